"""What the related ranker knows of one brief (or one corpus item): its analyzer terms (of the
whole text and of the title alone), the
names and numbers it mentions, its tags, its date and language.

Entities are found without a tagger, so they work the same in both languages: runs of
capitalised words and acronyms (organisations, countries, people), numbers of two or more
digits, and the Latin-script names a Chinese brief carries (``ECFA``, ``ITRI``). Chinese place
and organisation names need no rule: jieba keeps them whole, so they are already terms.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter

from newsbrief.search.analyzer import analyze

# A capitalised word or an acronym, possibly with inner dots/hyphens/digits (``F-16``, ``U.S.``).
_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+|[A-Z][A-Z0-9&.\-]*[A-Z0-9])\b(?:\s+(?:[A-Z][a-z]+|[A-Z]{2,}))*"
)
UNDATED = dt.date(1970, 1, 1)
_NUMBER = re.compile(r"\b\d[\d,.]*\d\b")
#: Capitalised only because they start a sentence or a heading, not names.
_NOT_NAMES = frozenset(
    [
        "A",
        "An",
        "And",
        "Are",
        "As",
        "At",
        "Be",
        "But",
        "By",
        "For",
        "From",
        "He",
        "Her",
        "His",
        "How",
        "I",
        "If",
        "In",
        "Is",
        "It",
        "Its",
        "My",
        "No",
        "Not",
        "Of",
        "On",
        "Or",
        "She",
        "So",
        "Some",
        "That",
        "The",
        "Their",
        "Then",
        "There",
        "These",
        "They",
        "This",
        "To",
        "We",
        "What",
        "When",
        "Where",
        "Which",
        "Who",
        "Why",
        "Will",
        "With",
        "You",
        "Your",
        "Re",
        "Subject",
        "Also",
        "Any",
        "All",
        "Do",
        "Does",
        "Did",
        "Can",
        "Could",
        "Would",
        "Should",
        "Thanks",
        "Hi",
        "Yes",
        "Well",
        "Just",
        "Has",
        "Have",
        "Had",
        "Was",
        "Were",
        "One",
        "Our",
        "Us",
        "Me",
        "Mr",
        "Dr",
        "Ok",
        "OK",
    ]
)


def entities(text: str) -> set[str]:
    """Names and numbers in ``text``, folded to lower case."""
    found = set()
    for match in _NAME.finditer(text):
        words = [w for w in match.group().split() if w not in _NOT_NAMES]
        if words:
            found.add(" ".join(words).lower())
    found.update(m.group().replace(",", "") for m in _NUMBER.finditer(text))
    return found


@dataclasses.dataclass
class Profile:
    """One item as the ranker sees it. ``key`` is the caller's (a brief id, a corpus id);
    ``group`` joins the language versions of one news item (a translation key)."""

    key: object
    language: str
    date: dt.date
    terms: Counter
    title_terms: Counter
    entities: frozenset[str]
    tags: frozenset[str]
    group: object = None
    text: str = ""

    @classmethod
    def of(cls, key, *, title: str, body: str, language: str, date=None, tags=(), group=None):
        """``date`` may be unknown (a corpus without dates): all such items count as one day."""
        text = f"{title}\n{body}"
        return cls(
            key=key,
            language=language,
            date=date or UNDATED,
            terms=Counter(analyze(text).words),
            title_terms=Counter(analyze(title).words),
            entities=frozenset(entities(text)),
            tags=frozenset(tags),
            group=group,
            text=text,
        )
