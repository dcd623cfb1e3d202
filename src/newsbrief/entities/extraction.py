"""Finding the registry's entities in a brief's title and body, in either script (no database:
``registry`` builds the ``Automaton`` from it, the quality bench from the data files).

One Aho-Corasick automaton holds every name, alias and acronym, folded to lower case; a
match is kept when

- a Latin-script text stands alone (``US`` in ``US-Japan`` but not in ``USB``), an acronym
  has its own case (``US`` is not ``us``, ``III`` not ``iii``) and a proper name is
  capitalized where the registry capitalizes it (``Turkey``, not ``turkey``; ``JAPAN`` in a
  headline in capitals is fine); a field's names match in any case;
- in Chinese, no longer registered word covers it: matches are taken longest first, so
  ``中國大陸`` is one mention, ``國家科學委員會`` is not ``科學``, and blockers (``台中``,
  ``中美洲``) are registered words that name nothing.

Simplified text is read through OpenCC (``s2twp``) first, so 芯片 is 晶片 and 台积电 台積電.

An organization's name followed by an acronym in brackets (``Industrial Development Bureau
(IDB)``, ``工業局（IDB）``) links the two: both are sure, and an acronym the registry did not
know is *learned* (``Result.learned``). The confidence says what the evidence is worth: a full
name more than a bare acronym, both more than a field's generic word (``software``), a
demonym (``Japanese``) or an ambiguous word; a generic or ambiguous field word followed by its
trade (``software firm``) counts as a name, a weak organization's mention beside its country
(``SEC`` ... ``US``) is raised, and a mention in the title or a repeated one adds to it. A few
words name another country in Simplified text (我国: China) than in Traditional (我國: Taiwan).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Hashable, Iterable

import ahocorasick

NAME, ACRONYM, LEARNED, DEMONYM, GENERIC, WEAK, PAIR, BLOCKER = (
    "name", "acronym", "learned", "demonym", "generic", "weak", "pair", "blocker",
)  # fmt: skip
#: How sure one mention makes the extractor, by the kind of text that named the entity.
WEIGHT = {NAME: 0.9, ACRONYM: 0.82, LEARNED: 0.8, PAIR: 0.8, GENERIC: 0.65, DEMONYM: 0.6,
          WEAK: 0.45}  # fmt: skip
#: A name and its acronym in brackets: the surest mention there is.
LINKED = 0.97
#: A text that names several entities of one kind (one acronym, two organizations).
AMBIGUOUS = 0.6
#: A weak or ambiguous organization's mention when the text also names its country
#: (``SEC`` beside ``US``, ``Commerce Department`` in a text about America).
CORROBORATED = 0.7
#: What makes a generic word (software, 電力, oil) name an industry: a word for its firms or
#: its market right after it (software firm, oil giant, 軟體業者, 電力公司).
CUE = re.compile(
    r"(?:\s+|-)(?:industry|industries|sector|firms?|compan(?:y|ies)|makers?|giants?|groups?|"
    r"markets?|analysts?|producers?|manufacturers?|suppliers?|providers?|operators?|"
    r"businesses|stocks|shares|ministers?|ministry|prices|costs|bills|supplies|exports|"
    r"imports|sales|demand)\b|(?:產業|業者|業|公司|廠商|廠|行業|市場|類股|股|部長|價格)"
)
IN_TITLE, REPEATED, OFTEN = 0.08, 0.05, 0.08
CEILING = 0.99
EVIDENCE_CHARS, CONTEXT = 300, 24
NESTED = ("country", "organization")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: What may follow a name as its acronym in brackets.
BRACKETED = re.compile(r"\s*[(（]\s*(?:[^()（）,，、]{0,80}[,，、]\s*)?([^()（）]{1,40}?)\s*[)）]")
ACRONYM_SHAPE = re.compile(r"[A-Z][A-Za-z0-9&*.\-]{1,11}")


@dataclasses.dataclass(frozen=True)
class Term:
    """A text that names ``targets`` (entity keys: ids, or slugs in the bench); none for a
    blocker, two for 台日."""

    text: str
    targets: tuple[Hashable, ...]
    kind: str
    entity_kind: str  # country, organization, field; "" for a pair or blocker
    #: The country an organization belongs to: naming it corroborates a weak mention.
    parent: Hashable | None = None
    #: "hans": only in a text written in Simplified script (我国 is China there); "hant":
    #: only in one that was not (我國 is Taiwan); "": in any.
    script: str = ""


@dataclasses.dataclass
class Found:
    key: Hashable
    confidence: float
    evidence: str
    mentions: int


@dataclasses.dataclass(frozen=True)
class Learned:
    """An acronym the text gave for an organization the registry knows by name."""

    key: Hashable
    text: str


@dataclasses.dataclass
class Result:
    found: dict[Hashable, Found]
    learned: list[Learned]


@functools.cache
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2twp")


def normalize(text: str) -> str:
    """Simplified Chinese (and mainland vocabulary) in Taiwan's Traditional usage; Traditional
    text as written (s2twp would turn its 台 into 臺, which the registry has both ways)."""
    return _read(text)[0]


def _read(text: str) -> tuple[str, bool]:
    """The text in Traditional script, and whether it was written in Simplified."""
    if not CJK.search(text):
        return text, False
    converted = _to_traditional().convert(text)
    if converted.replace("臺", "台") == text.replace("臺", "台"):
        return text, False
    return converted, True


def _fold(text: str) -> str:
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


class Automaton:
    """Every term, folded, in one automaton (build it once per registry version)."""

    def __init__(self, terms: Iterable[Term]):
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[Term]] = {}
        for term in terms:
            key = _fold(term.text.strip())
            if key:
                by_key.setdefault(key, []).append(term)
        for key, found in by_key.items():
            # A blocker yields to a text that names something.
            named = [t for t in found if t.targets] or found
            self._automaton.add_word(key, (len(key), tuple(dict.fromkeys(named))))
        self.size = len(by_key)
        if by_key:
            self._automaton.make_automaton()

    def extract(self, title: str, body: str = "") -> Result:
        (title, in_title), (body, in_body) = _read(title or ""), _read(body or "")
        text = f"{title}\n{body}"
        mentions = self._mentions(text, "hans" if in_title or in_body else "hant")
        return _score(text, len(title), mentions)

    def _mentions(self, text: str, script: str = "hant") -> list[tuple[int, int, Term, str]]:
        """(start, end, term, kind) of every kept match, longest leftmost first."""
        if not self.size:
            return []
        folded = _fold(text)
        candidates = []
        for end, (length, terms) in self._automaton.iter(folded):
            start, end = end - length + 1, end + 1
            kept = [t for t in terms if t.script in ("", script) and _fits(text, start, end, t)]
            if kept:
                candidates.append((start, end, kept))
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        chosen, reach, inside, outer, organization = [], -1, -1, -1, False
        for start, end, terms in candidates:
            if start < reach:
                # A country or organization an organization's name contains is named
                # too: US Department of Energy, 經濟部工業局 (the IDB of the MOEA). An
                # organization only where it leads the name or follows "of" (韓交通部 is
                # not Taiwan's 交通部).
                if start >= inside and end <= reach and organization:
                    nested = [t for t in terms if t.entity_kind in NESTED and (
                        t.entity_kind == "country" or start == outer
                        or text[outer:start].endswith(" of "))]  # fmt: skip
                    chosen += [(start, end, t, t.kind) for t in nested]
                    inside = end if nested else inside
                continue
            reach, inside, outer = end, start, start
            organization = any(t.entity_kind == "organization" for t in terms)
            for term in terms:
                if term.targets:
                    chosen.append((start, end, term, term.kind))
        chosen.sort(key=lambda c: c[0])
        return chosen


def _fits(text: str, start: int, end: int, term: Term) -> bool:
    seen = text[start:end]
    if _latin(seen[0]) and start > 0 and _latin(text[start - 1]):
        return False
    if _latin(seen[-1]) and end < len(text) and _latin(text[end]):
        return False
    if term.kind in (ACRONYM, LEARNED) or (term.kind == WEAK and _is_acronym(term.text)):
        return seen == term.text
    if term.entity_kind == "field" and not CJK.search(seen):
        return seen == term.text if _capital_inside(term.text) else True
    if CJK.search(seen):
        return True
    return all(s.isupper() for s, t in zip(seen, term.text, strict=False) if t.isupper())


def _capital_inside(text: str) -> bool:
    """PCs, LEDs, iPhone: a capital after the first letter makes the case part of the name
    (``PCS`` is a trade union, not computers)."""
    return any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)


def _is_acronym(text: str) -> bool:
    return any(c.isupper() for c in text) and not any(c.islower() for c in text)


def _score(text: str, title_end: int, mentions) -> Result:
    linked, learned = _brackets(text, mentions)
    best: dict[Hashable, float] = {}
    count: dict[Hashable, int] = {}
    titled: set = set()
    evidence: dict[Hashable, list[str]] = {}
    counted: set = set()  # (start, key): two terms of one text (Software, software) are one
    for index, (start, end, term, kind) in enumerate(mentions):
        ambiguous = len(term.targets) > 1 and kind != PAIR and term.entity_kind != "field"
        if kind in (GENERIC, WEAK) and term.entity_kind == "field" and CUE.match(text, end):
            kind = NAME
        weight = LINKED if index in linked else WEIGHT[kind] * (AMBIGUOUS if ambiguous else 1)
        for key in term.targets:
            best[key] = max(best.get(key, 0.0), weight)
            if (start, key) in counted:
                continue
            counted.add((start, key))
            count[key] = count.get(key, 0) + 1
            if start < title_end:
                titled.add(key)
            snippets = evidence.setdefault(key, [])
            if len(snippets) < 3:
                snippet = _snippet(text, start, end)
                if snippet not in snippets:
                    snippets.append(snippet)
    named = {key for key, weight in best.items() if weight >= WEIGHT[DEMONYM]}
    for _start, _end, term, _kind in mentions:
        if term.parent is not None and term.parent in named:
            for key in term.targets:
                best[key] = max(best[key], CORROBORATED)
    for item in learned:
        best[item.key] = LINKED
        count[item.key] = count.get(item.key, 0) + 1
    found = {}
    for key, weight in best.items():
        n = count[key]
        bonus = (IN_TITLE if key in titled else 0) + (
            OFTEN if n >= 3 else REPEATED if n == 2 else 0
        )
        found[key] = Found(
            key,
            round(min(CEILING, weight + bonus), 3),
            " | ".join(evidence.get(key, []))[:EVIDENCE_CHARS],
            n,
        )
    return Result(found, learned)


def _brackets(text: str, mentions) -> tuple[set[int], list[Learned]]:
    """Names followed by their acronym in brackets: the indexes of the mentions linked (both
    the name's and the acronym's), and the acronyms learned."""
    linked, learned = set(), []
    at = {start: index for index, (start, *_rest) in enumerate(mentions)}
    for index, (_start, end, term, kind) in enumerate(mentions):
        if kind in (ACRONYM, LEARNED, BLOCKER) or term.entity_kind != "organization":
            continue
        bracket = BRACKETED.match(text, end)
        if bracket is None:
            continue
        inner = bracket.group(1)
        inside = at.get(bracket.start(1))
        if inside is not None and set(mentions[inside][2].targets) & set(term.targets):
            linked.update((index, inside))
        elif inside is None and len(term.targets) == 1 and _new_acronym(inner):
            linked.add(index)
            learned.append(Learned(term.targets[0], inner))
    return linked, learned


def _new_acronym(text: str) -> bool:
    return bool(ACRONYM_SHAPE.fullmatch(text)) and sum(c.isupper() for c in text) >= 2


def _snippet(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT) : start].split("\n")[-1]
    after = text[end : end + CONTEXT].split("\n")[0]
    return f"{before}{text[start:end]}{after}".strip()
