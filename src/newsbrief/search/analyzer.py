"""The one analyzer: what a brief's text and a reader's query become, for every backend.

Indexing and querying go through the same steps, so a term can only match a term made the same
way: NFKC and case folding; Chinese folded *before* jieba segments it (jieba segments
Traditional text badly) to one canonical form, Simplified script with mainland vocabulary
(OpenCC's ``tw2sp``, phrase by phrase: ``晶片`` and ``芯片`` are one term, as are ``網路`` and
``网络``, ``臺灣`` and ``台湾``); English stop words dropped and the rest Snowball-stemmed; numbers
kept exactly.

Beside the segmented words, Chinese runs also give character bigrams and unigrams ("grams"):
a query of one or two characters, or a word that jieba keeps inside a longer one (``公安`` in
``公安局``), is still found as a substring. Where the phrase folding changed a run's wording,
its characters-only folding (``t2s``: ``晶片`` as ``晶片``) adds its own grams too, so a
fragment of the original wording is still found.

``parse_query`` turns a reader's query into a small tree (`Word`, `Prefix`, `Phrase`, `And`,
`Or`, `Not`) that backends translate into their own queries; it never fails, whatever the input.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
import unicodedata

import jieba
import opencc
import Stemmer

#: CJK ideographs (unified, extension A, compatibility, and the supplementary planes), as a
#: character class's contents.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = f"[{HAN}]+"
_WORD = f"[^\\W_{HAN}]+"
_TOKEN = re.compile(f"({_HAN_RUN})|({_WORD})")
IS_HAN = re.compile(f"[{HAN}]")

#: Lucene's English stop words: too common to tell briefs apart.
STOP_WORDS = frozenset(
    ("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
     "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
     "they", "this", "to", "was", "will", "with")
)  # fmt: skip

#: Gram lists of different runs are kept apart by this token, so a phrase of bigrams (a
#: substring) never matches across two runs.
GRAM_BREAK = "|"

#: Longer "words" (hashes, base64, runs of letters) are not indexed or searched for.
MAX_TERM_CHARS = 64
#: A shorter prefix (``a*``) would stand for a good part of the vocabulary: it is a word.
MIN_PREFIX_CHARS = 2
#: The longest query taken as typed; the rest is ignored (a 10 kB paste is not a query).
MAX_QUERY_CHARS = 512
#: The most terms one query may carry.
MAX_QUERY_TERMS = 32

_lock = threading.Lock()


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@functools.cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@functools.cache
def _segmenter() -> jieba.Tokenizer:
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


#: Rounds of phrase folding at most: ``tw2sp`` is not idempotent (Taiwan's ``程式`` becomes
#: ``程序``, which as Taiwan wording becomes ``进程``), so it is applied until nothing changes,
#: and a word typed in the canonical form folds to itself.
FOLD_ROUNDS = 3


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@functools.lru_cache(maxsize=20_000)
def fold_han(run: str) -> str:
    """A run of Chinese in its canonical form: Simplified script, mainland vocabulary."""
    convert = _converter("tw2sp").convert
    for _ in range(FOLD_ROUNDS):
        folded = convert(run)
        if folded == run:
            break
        run = folded
    return run


def fold_characters(run: str) -> str:
    """A run of Chinese folded character by character only (Simplified script, its own
    vocabulary): the fallback that keeps the original wording findable."""
    return _converter("t2s").convert(run)


def fold(text: str) -> str:
    """Width, case, script and regional vocabulary folded: what every later step sees."""
    text = _normalize(text)
    if not IS_HAN.search(text):
        return text
    return re.sub(_HAN_RUN, lambda m: fold_han(m.group()), text)


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    if not word.isalpha():
        return word  # numbers and codes (2012, 7nm) match exactly
    return _stemmer().stemWord(word)


@functools.lru_cache(maxsize=20_000)
def _segment(run: str) -> tuple[str, ...]:
    with _lock:  # jieba's tokenizer is not safe to share between threads
        return tuple(w for w in _segmenter().cut(run, HMM=True) if w.strip())


def bigrams(run: str) -> tuple[str, ...]:
    """A Chinese run's substring keys: its bigrams, or the character itself when alone."""
    if len(run) == 1:
        return (run,)
    return tuple(run[i : i + 2] for i in range(len(run) - 1))


def _latin_term(word: str) -> str | None:
    if word in STOP_WORDS or len(word) > MAX_TERM_CHARS:
        return None
    return _stem(word)


@dataclasses.dataclass
class Analysis:
    """A text's terms: ``words`` (segmented, stemmed; what ``index_terms`` returns) and
    ``grams`` (Chinese bigrams, then unigrams, runs apart by `GRAM_BREAK`)."""

    words: list[str]
    grams: list[str]


def _wording(original: str, folded: str) -> str:
    """The part of a run whose characters-only folding differs from its phrase folding (with
    a character of context each side), or "" when they agree."""
    chars = fold_characters(original)
    if chars == folded:
        return ""
    if len(chars) != len(folded):
        return chars
    differ = [i for i, (a, b) in enumerate(zip(chars, folded, strict=True)) if a != b]
    return chars[max(0, differ[0] - 1) : differ[-1] + 2]


def analyze(text: str) -> Analysis:
    words: list[str] = []
    bis: list[str] = []
    unis: list[str] = []
    for match in _TOKEN.finditer(_normalize(text or "")):
        han, latin = match.groups()
        if han:
            folded = fold_han(han)
            words.extend(w for w in _segment(folded) if len(w) <= MAX_TERM_CHARS)
            wording = _wording(han, folded)
            for run in (folded, wording):
                if len(run) > 1:
                    bis.extend(bigrams(run))
                    bis.append(GRAM_BREAK)
            unis.extend(folded)
            unis.extend(c for c in wording if c not in folded)
        else:
            term = _latin_term(latin)
            if term:
                words.append(term)
    return Analysis(words, [*bis, *unis])


def index_terms(text: str, language: str | None = None) -> list[str]:
    """The words a text is indexed (and compared, by related-message ranking) under.
    ``language`` is accepted for the future: the analysis already handles mixed text."""
    return analyze(text).words


# The query tree ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Word:
    """A term. ``grams`` is set for Chinese: the bigrams (or the single character) that find
    the word inside a longer one. ``exact`` marks quoted Chinese, which is never made
    optional."""

    term: str
    grams: tuple[str, ...] = ()
    exact: bool = False


@dataclasses.dataclass(frozen=True)
class Prefix:
    """Words that begin with ``stem`` (``semicond*``)."""

    stem: str


@dataclasses.dataclass(frozen=True)
class Phrase:
    """Words in this order, next to each other."""

    words: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class And:
    children: tuple


@dataclasses.dataclass(frozen=True)
class Or:
    children: tuple


@dataclasses.dataclass(frozen=True)
class Not:
    child: object


@dataclasses.dataclass(frozen=True)
class AtLeast:
    """At least ``count`` of ``children``: the relaxed form of an AND that found too little."""

    children: tuple
    count: int


@dataclasses.dataclass(frozen=True)
class Near:
    """Query words typed next to each other, found next to each other: a score bonus, never a
    condition. ``terms`` are ``(position, term)``: words in the ``words`` field, or, when
    ``grams``, each Chinese word's bigrams at its character offset, so the words must stand
    together in the text whatever jieba made of it."""

    terms: tuple[tuple[int, str], ...]
    grams: bool = False


Node = Word | Prefix | Phrase | And | Or | Not | AtLeast | Near

_QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')


def _clean(text: str) -> str:
    """Control and format characters out, whitespace single, length bounded."""
    text = "".join(
        " " if unicodedata.category(c)[0] in "CZ" else c
        for c in (text or "")[: MAX_QUERY_CHARS * 2]
    )
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def _chunk(text: str, *, quoted: bool) -> Node | None:
    """One whitespace-free chunk, or a quoted phrase, as a node."""
    parts: list[Node] = []
    latin: list[str] = []

    def flush() -> None:
        if len(latin) > 1 and quoted:
            parts.append(Phrase(tuple(latin)))
        else:
            parts.extend(Word(w, exact=quoted) for w in latin)
        latin.clear()

    prefix = not quoted and text.endswith("*")
    matches = list(_TOKEN.finditer(_normalize(text)))
    for i, match in enumerate(matches):
        han, word = match.groups()
        if han:
            han = fold_han(han)
            flush()
            if quoted:
                han = han[:MAX_TERM_CHARS]
                parts.append(Word(han, bigrams(han), exact=True))
            else:
                parts.extend(Word(w, bigrams(w)) for w in _segment(han))
        elif prefix and i == len(matches) - 1 and len(word) >= MIN_PREFIX_CHARS:
            flush()
            parts.append(Prefix(word[:MAX_TERM_CHARS]))
        else:
            term = _latin_term(word)
            if term:
                latin.append(term)
    flush()
    parts = list(dict.fromkeys(parts))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _leaves(node) -> int:
    if isinstance(node, And | Or | AtLeast):
        return sum(_leaves(c) for c in node.children)
    if isinstance(node, Not):
        return _leaves(node.child)
    if isinstance(node, Phrase):
        return len(node.words)
    return 1


def parse_query(text: str) -> Node | None:
    """The reader's query as a tree, or ``None`` when nothing in it can be searched for.

    Words are ANDed; ``OR`` (in capitals) joins the words on either side; ``-word`` or
    ``-"a phrase"`` excludes; ``"quotes"`` make a phrase (an unclosed quote runs to the end);
    ``word*`` is a prefix. Anything else (stray operators, FTS syntax, punctuation) is only
    text to the analyzer, so no input is an error."""
    clauses: list[Node] = []
    negated: list[Node] = []
    pending_or = False
    budget = MAX_QUERY_TERMS
    for match in _QUERY_PART.finditer(_clean(text)):
        phrase, bare = match.groups()
        negate = False
        if bare is not None:
            if bare == "OR":
                pending_or = bool(clauses)
                continue
            if bare.startswith("-") and len(bare) > 1:
                negate, bare = True, bare.lstrip("-")
                if bare.startswith('"'):
                    phrase, bare = bare.strip('"'), None
        node = _chunk(phrase if bare is None else bare, quoted=bare is None)
        if node is None or node in clauses or Not(node) in negated:
            continue
        budget -= _leaves(node)
        if budget < 0:
            break
        if negate:
            negated.append(Not(node))
            pending_or = False
        elif pending_or:
            last = clauses.pop()
            siblings = last.children if isinstance(last, Or) else (last,)
            clauses.append(Or((*siblings, node)))
            pending_or = False
        else:
            clauses.append(node)
    if not clauses:
        return None
    if len(clauses) == 1 and not negated and not isinstance(clauses[0], And):
        return clauses[0]
    parts = (clause.children if isinstance(clause, And) else (clause,) for clause in clauses)
    flat = list(dict.fromkeys(c for part in parts for c in part))
    return And((*flat, *_nearness(flat), *negated))


def _plain(node) -> bool:
    """A word that relaxing and nearness apply to: not quoted, not a prefix or a group."""
    return isinstance(node, Word) and not node.exact


def _nearness(clauses: list) -> list[Near]:
    """A `Near` for each stretch of two or more plain words typed one after the other, Latin
    words and Chinese words apart (a one-character Chinese word ends a stretch: it has no
    bigram to place)."""
    found: list[Near] = []
    stretch: list[Word] = []

    def close() -> None:
        if len(stretch) > 1:
            if stretch[0].grams:
                at, terms = 0, []
                for word in stretch:
                    terms.extend((at + i, g) for i, g in enumerate(word.grams))
                    at += len(word.term)
                found.append(Near(tuple(terms), grams=True))
            else:
                found.append(Near(tuple(enumerate(w.term for w in stretch))))
        stretch.clear()

    for clause in clauses:
        usable = _plain(clause) and (not clause.grams or len(clause.term) > 1)
        if not usable or (stretch and bool(stretch[0].grams) != bool(clause.grams)):
            close()
        if usable:
            stretch.append(clause)
    close()
    return found


def optional_words(node) -> list:
    """The query's clauses that may be missing from a brief when too few have them all: plain
    words, prefixes and OR groups (quoted phrases and exclusions stay strict)."""
    clauses = node.children if isinstance(node, And) else (node,)
    return [c for c in clauses if _plain(c) or isinstance(c, Prefix | Or)]


def relaxed(node, count: int) -> Node:
    """``node`` matching briefs with at least ``count`` of its `optional_words`."""
    optional = optional_words(node)
    clauses = node.children if isinstance(node, And) else (node,)
    required = [c for c in clauses if c not in optional]
    return And((*required, AtLeast(tuple(optional), count)))


def prefix_stems(prefix: str) -> tuple[str, ...]:
    """Index terms a prefix can stand for beyond those it begins: stemming may have cut the
    word shorter than the prefix typed (``regenerat*`` must find ``regen``, the stem of
    ``regenerative``), so its own truncations down to four letters count as exact terms."""
    return tuple(prefix[:k] for k in range(max(4, len(prefix) - 4), len(prefix)))


def positive_terms(node) -> tuple[set[str], set[str]]:
    """The words and prefixes a match can show (for highlighting): exclusions left out."""
    words: set[str] = set()
    prefixes: set[str] = set()

    def walk(n) -> None:
        if isinstance(n, Word):
            words.add(n.term)
        elif isinstance(n, Prefix):
            prefixes.add(n.stem)
        elif isinstance(n, Phrase):
            words.update(n.words)
        elif isinstance(n, And | Or | AtLeast):
            for child in n.children:
                walk(child)

    if node is not None:
        walk(node)
    return words, prefixes


@functools.lru_cache(maxsize=20_000)
def _fold_char(c: str) -> str:
    return fold(c)


def tokens_with_offsets(text: str):
    """``(start, end, key, surface)`` for each word of ``text`` as written: ``key`` is its
    term (stemmed; empty for a stop word; a whole run for Chinese, phrase-folded where that
    keeps its length, so ``晶片`` shows a search for ``芯片``) and ``surface`` the folded word,
    for marking matches."""
    folded_chars = [_fold_char(c) for c in text]
    folded = None if any(len(c) != 1 for c in folded_chars) else "".join(folded_chars)
    source = folded if folded is not None else text
    for match in _TOKEN.finditer(source):
        han, word = match.groups()
        if han:
            phrased = fold_han(text[match.start() : match.end()] if folded else han)
            chars = "".join(_fold_char(c) for c in han)
            yield match.start(), match.end(), phrased if len(phrased) == len(han) else chars, han
        else:
            surface = fold(word) if folded is None else word
            key = _stem(surface) if surface not in STOP_WORDS else ""
            yield match.start(), match.end(), key, surface
