"""Small text helpers shared by the models and the formats."""

import unicodedata


def normalize_title(title: str) -> str:
    """A comparison key for titles: Unicode-normalized, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())
