"""Matching passages with the matches marked: text escaped first, then ``<mark>`` added, so
nothing a brief or a query contains is ever rendered as markup."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analyzer import IS_HAN, positive_terms, tokens_with_offsets

PASSAGE_CHARS = 220
LEAD_CHARS = 60


def match_spans(text: str, node) -> list[tuple[int, int]]:
    """Where ``text`` shows the query's words, prefixes and Chinese substrings."""
    words, prefixes = positive_terms(node)
    han = [w for w in words if IS_HAN.search(w)]
    spans = []
    for start, end, key, surface in tokens_with_offsets(text):
        if not key:
            continue
        if IS_HAN.match(key):
            for term in han:
                at = key.find(term)
                while at >= 0:
                    spans.append((start + at, start + at + len(term)))
                    at = key.find(term, at + 1)
        elif key in words or any(surface.startswith(p) for p in prefixes):
            spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans, offset: int = 0) -> str:
    out, at = [], 0
    for start, end in spans:
        start, end = max(start - offset, 0), min(end - offset, len(text))
        if end <= 0 or start >= len(text):
            continue
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def highlight_all(text: str, node) -> SafeString:
    return mark_safe(_marked(text, match_spans(text, node)))  # escaped above


def passages(text: str, node, count: int = 1) -> list[SafeString]:
    """Up to ``count`` passages of ``text`` showing the most matches (the opening when none).
    Chinese passages are half as many characters: each says about twice as much."""
    size = PASSAGE_CHARS // 2 if len(IS_HAN.findall(text[:400])) > 100 else PASSAGE_CHARS
    spans = match_spans(text, node)
    if not spans:
        cut = text[:size]
        return [mark_safe(escape(cut) + ("…" if len(text) > len(cut) else ""))]
    found: list[SafeString] = []
    taken: list[tuple[int, int]] = []
    for _ in range(count):
        best, best_score = None, 0
        for start, _end in spans[:50]:
            begin = max(0, start - min(LEAD_CHARS, size // 4))
            if any(begin < e and s < begin + size for s, e in taken):
                continue
            inside = {text[a:b].casefold() for a, b in spans if begin <= a and b <= begin + size}
            score = len(inside) * 1000 + sum(1 for a, _ in spans if begin <= a < begin + size)
            if score > best_score:
                best, best_score = begin, score
        if best is None:
            break
        begin = best
        space = text.rfind(" ", max(0, begin - 15), begin + 1) if begin else -1
        if space >= 0:
            begin = space + 1
        end = min(len(text), begin + size)
        taken.append((begin, end))
        piece = _marked(text[begin:end], spans, begin)
        prefix = "…" if begin else ""
        suffix = "…" if end < len(text) else ""
        found.append(mark_safe(prefix + piece + suffix))  # escaped above
    return found
