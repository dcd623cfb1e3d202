"""``newsbrief bench search --quality``: known-item search on real text, against baselines.

1. **Corpus.** Real documentation that installs from Debian (``make bench-quality-data``):
   Traditional Chinese (``debian-reference-zh-tw``, ``maint-guide-zh-tw``, the zh_TW pages
   of ``manpages-zh``) and English (``debian-reference-en``, ``maint-guide``, the pages of
   ``manpages`` and ``manpages-dev``). HTML books give one item per section (the heading is
   the title, the section's own text the body); a man page gives one item (its NAME line's
   description is the title, the page rendered as text by a small roff reader the body).
   Bodies under ``MIN_BODY`` characters are dropped, longer ones cut at ``MAX_BODY``. Cached
   as JSON Lines under the work directory, keyed by the packages' versions.
2. **Queries**, seeded, per language and kind: ``title`` (2-4 contiguous words of the title),
   ``body`` (2-3 distinctive words of the body), ``fragment`` (Chinese: two characters from
   inside a longer word of the body and one other distinctive word; English: a body word and
   a title word). Chinese queries are typed in Simplified script with mainland vocabulary
   (OpenCC ``tw2sp``); ``regional`` marks those whose vocabulary differs by region
   (``tw2sp(q) != t2s(q)``). The relevant item is the one a query was drawn from; a query whose
   words all occur (as substrings) in more than ``MAX_MATCHING`` items is not used.
3. **Engines**, on the same items: newsbrief (the items loaded as published briefs into a
   database of their own, ``rebuild``, ``search_ids``), bm25s over character bigrams, bm25s
   over jieba words, and SQLite FTS5 with the trigram tokenizer. The baselines see text folded
   as a careful baseline would (NFKC, case folding, OpenCC ``tw2sp``), queries and documents.
4. **Figures**: MRR@10, success@1, success@10 and the zero-result rate per engine, language and
   kind (and the regional subset, and all kinds together), the ratio of newsbrief's MRR@10 to
   the best baseline's, and the targets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gzip
import hashlib
import html
import json
import random
import re
import sqlite3
import subprocess
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

from newsbrief.search.analyzer import HAN, IS_HAN, STOP_WORDS

from .search import git_revision, machine, search_code_version

LANGUAGES = ("zh-hant", "en")
KINDS = ("title", "body", "fragment")
ENGINES = ("newsbrief", "bm25s-bigrams", "bm25s-jieba", "fts5-trigram")
BASELINES = ENGINES[1:]

#: Debian packages per language; the zh_TW pages only of manpages-zh.
PACKAGES = {
    "zh-hant": ("debian-reference-zh-tw", "maint-guide-zh-tw", "manpages-zh"),
    "en": ("debian-reference-en", "maint-guide", "manpages", "manpages-dev"),
}
MIN_BODY = 80
MAX_BODY = 4000
MAX_TITLE = 200
#: A query whose words all occur in more items than this is too ambiguous to be a known item.
MAX_MATCHING = 20
LIMIT = 10
#: Bump when the corpus builder changes what it makes of the same packages.
CORPUS_FORMAT = 1

TARGET_ZH_RATIO = 1.05  # newsbrief's Chinese MRR@10 >= 1.05 x the best baseline's
TARGET_ZH_ZERO = 0.01  # newsbrief's Chinese zero-result rate <= 1%

_HAN_RUN = re.compile(f"[{HAN}]+")
_TOKEN = re.compile(f"([{HAN}]+)|([^\\W_{HAN}]+)")
#: A query word outside Chinese: letters and digits, inner ``-_.`` kept (``apt-get``).
_LATIN = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
_LETTER = re.compile(r"[A-Za-z]")


class MissingData(RuntimeError):
    """A package of the corpus is not installed."""


@dataclasses.dataclass(frozen=True)
class Item:
    key: str  # package:file#section, unique
    language: str
    title: str
    body: str
    source: str = ""  # the package

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"


# The corpus: HTML sections ---------------------------------------------------------------

_BLOCK = frozenset(
    ("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "pre", "table", "tr", "td", "th", "br",
     "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tbody", "thead",
     "caption")
)  # fmt: skip
_SKIP_CLASSES = frozenset(("toc", "navheader", "navfooter", "list-of-tables", "list-of-figures"))
_VOID = frozenset(("br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"))
_NUMBERING = re.compile(r"^(?:[A-Z]|\d+)(?:\.\d+)*\.\s+|^(?:章|附錄|節)\s*[A-Z\d.]+\s*")


class _Sections(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, list[str]]] = []
        self.heading: list[str] | None = None
        self.skip_depth = 0  # inside an element skipped with everything in it
        self.stack: list[tuple[str, bool]] = []  # (tag, whether it opened a skip)
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        skip = tag in ("head", "script", "style") or bool(classes & _SKIP_CLASSES)
        if tag not in _VOID:
            self.stack.append((tag, skip))
        if skip:
            self.skip_depth += 1
        if self.skip_depth:
            return
        if tag == "pre":
            self.pre += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = []
        elif tag in _BLOCK:
            self._text("\n")

    def handle_startendtag(self, tag, attrs):
        if not self.skip_depth and tag in _BLOCK:
            self._text("\n")

    def handle_endtag(self, tag):
        if tag in _VOID or not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            name, skip = self.stack.pop()
            if skip:
                self.skip_depth -= 1
            elif not self.skip_depth and name == "pre":
                self.pre -= 1
            if name == tag:
                break
        if self.skip_depth:
            return
        if re.fullmatch(r"h[1-6]", tag) and self.heading is not None:
            title = " ".join("".join(self.heading).split())
            self.sections.append((_NUMBERING.sub("", title).strip(), []))
            self.heading = None
        elif tag in _BLOCK:
            self._text("\n")

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.heading is not None:
            self.heading.append(data)
        elif self.pre:
            self._text(data.replace("\n", "\x00"))  # line breaks kept
        else:
            self._text(data.replace("\n", " "))  # a wrapped line: a space, as HTML shows it

    def _text(self, data: str) -> None:
        if self.sections and self.heading is None:
            self.sections[-1][1].append(data)


def _tidy(text: str) -> str:
    """Whitespace as HTML shows it: runs within a block one space, blocks one per line."""
    lines = []
    for block in text.split("\n"):
        for line in block.split("\x00"):
            line = " ".join(line.split())
            if line:
                lines.append(line)
    return "\n".join(lines)


def html_sections(text: str) -> list[tuple[str, str]]:
    """``(title, body)`` per heading of an HTML document: the heading's text (section number
    dropped) and the text up to the next heading, tables of contents and navigation left
    out."""
    parser = _Sections()
    parser.feed(text)
    parser.close()
    return [(title, _tidy("".join(parts))) for title, parts in parser.sections if title]


# The corpus: man pages -------------------------------------------------------------------

_SPECIAL = {
    "em": "\u2014", "en": "\u2013", "hy": "-", "mi": "-", "aq": "'", "dq": '"', "lq": "\u201c",
    "rq": "\u201d", "oq": "\u2018", "cq": "\u2019", "bu": "\u2022", "co": "\u00a9",
    "rg": "\u00ae", "tm": "\u2122", "ga": "`", "ti": "~", "ha": "^", "rs": "\\", "sl": "/",
    "ba": "|", "br": "|", "lt": "<", "gt": ">", "pl": "+", "eq": "=", "mu": "\u00d7",
    "de": "\u00b0", "+-": "\u00b1", "->": "\u2192", "<-": "\u2190", "<=": "\u2264",
    ">=": "\u2265", "!=": "\u2260", "at": "@", "sh": "#", "Do": "$", "ct": "\u00a2",
    "Po": "\u00a3", "Eu": "\u20ac", "ss": "\u00df", "fm": "\u2032", "sq": "\u25a1",
    "aa": "\u00b4", "ul": "_", "ru": "_", "bv": "|", "lB": "[", "rB": "]", "lC": "{",
    "rC": "}",
}  # fmt: skip
_STRINGS = {"R": "\u00ae", "Tm": "\u2122", "lq": "\u201c", "rq": "\u201d", "S": ""}
_ESCAPE = re.compile(
    r"""\\(?:
        \((?P<special2>..)
      | \[(?P<special>[^\]]*)\]
      | \*(?:\((?P<string2>..)|\[(?P<stringn>[^\]]*)\]|(?P<string1>.))
      | [fF](?:\(..|\[[^\]]*\]|.)
      | s[-+]?(?:\(..|\[[^\]]*\]|\d+|'[^']*')
      | [nmgkY][-+]?(?:\(..|\[[^\]]*\]|.)
      | [hvwlLoZXbDNxRAC]'[^']*'
      | (?P<space>[ ~0|^t])
      | (?P<drop>[&,/%:{}cdupacrzjE])
      | (?P<minus>-)
      | (?P<e>[e\\])
      | (?P<other>.)
    )""",
    re.VERBOSE,
)
_ALTERNATING = frozenset(("BR", "RB", "BI", "IB", "IR", "RI"))
_BREAKS = frozenset(("PP", "P", "LP", "sp", "br", "TP", "TQ", "HP", "RS", "RE", "SY", "YS",
                     "EX", "EE", "UE", "ME", "in", "ti", "bp"))  # fmt: skip
_JOINED = frozenset(("B", "I", "SM", "SB", "OP"))


def _unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        g = m.groupdict()
        if g["special2"] or g["special"]:
            name = g["special2"] or g["special"]
            if name.startswith("u") and re.fullmatch(r"u[0-9A-Fa-f]{4,6}", name):
                return chr(int(name[1:], 16))
            return _SPECIAL.get(name, "")
        for key in ("string2", "stringn", "string1"):
            if g[key]:
                return _STRINGS.get(g[key], "")
        if g["space"]:
            return " " if g["space"] in " ~0t" else ""
        if g["minus"]:
            return "-"
        if g["e"]:
            return "\\"
        if g["other"]:
            return g["other"]
        return ""

    return _ESCAPE.sub(one, text)


def _arguments(line: str) -> list[str]:
    """A request line's arguments: words, or quoted strings (``""`` an escaped quote)."""
    out, i, n = [], 0, len(line)
    while i < n:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            break
        if line[i] == '"':
            j, word = i + 1, []
            while j < n:
                if line[j] == '"':
                    if j + 1 < n and line[j + 1] == '"':
                        word.append('"')
                        j += 2
                        continue
                    break
                word.append(line[j])
                j += 1
            out.append("".join(word))
            i = j + 1
        else:
            j = i
            while j < n and line[j] not in " \t":
                j += 1
            out.append(line[i:j])
            i = j
    return out


def _comment_free(line: str) -> str:
    """The line without a ``\\"`` comment (a ``\\\\"`` is an escaped backslash and a quote)."""
    i = 0
    while True:
        i = line.find('\\"', i)
        if i < 0:
            return line
        backslashes = len(line[:i]) - len(line[:i].rstrip("\\"))
        if backslashes % 2 == 0:
            return line[:i]
        i += 2


def _joined_lines(source: str) -> list[str]:
    """Source lines, a line that ends in an (unescaped) backslash joined to the next."""
    out: list[str] = []
    pending = ""
    for line in source.splitlines():
        stripped = line.rstrip("\\")
        if (len(line) - len(stripped)) % 2 == 1:
            pending += line[:-1]
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending)
    return out


def man_text(source: str) -> tuple[str, str] | None:
    """``(title, body)`` of a man page's roff source: the NAME line's description (after
    ``\\-``) and the page as plain text, paragraphs one per line. ``None`` for a page that
    only points to another (``.so``)."""
    lines: list[str] = []  # output lines; "" between paragraphs
    current: list[str] = []
    name_parts: list[str] = []
    section = 0  # .SH seen so far
    fill = True
    table = 0  # 0 outside .TS; 1 reading its format; 2 its data
    tag = False  # after .TP: the next line is the tag, a line of its own
    skip_until = None  # inside .de/.ig: the line that ends it

    def flush() -> None:
        if current:
            lines.append(" ".join(current))
            current.clear()

    def emit(text: str) -> None:
        nonlocal tag
        text = text.strip()
        if not text:
            return
        if section == 1:
            name_parts.append(text)
        if fill and not table:
            current.append(text)
        else:
            flush()
            lines.append(text)
        if tag:
            flush()
            tag = False

    for raw in _joined_lines(source):
        if skip_until is not None:
            if raw.strip() == skip_until:
                skip_until = None
            continue
        line = _comment_free(raw)
        if table == 1:
            if line.rstrip().endswith("."):
                table = 2
            continue
        if line[:1] in (".", "'"):
            request = line[1:].strip()
            if not request:
                continue
            name, _, rest = request.partition(" ")
            name = name.strip()
            args = _arguments(rest)
            if name == "so":
                return None
            if name in ("de", "de1", "ig", "am"):
                skip_until = ".." if name != "ig" or not args else f".{args[0]}"
                continue
            if name in ("SH", "SS"):
                flush()
                if name == "SH":
                    section += 1
                if lines and lines[-1]:
                    lines.append("")
                heading = _unescape(" ".join(args)).strip()
                if heading:
                    lines.append(heading)
                continue
            if name == "TS":
                flush()
                table = 1
                continue
            if name == "TE":
                table = 0
                continue
            if name in ("nf", "EX"):
                flush()
                fill = False
                continue
            if name in ("fi", "EE"):
                fill = True
                continue
            if name in ("IP", "TP", "HP", "PP", "P", "LP", "sp"):
                flush()
                tag = name == "TP"
                if name in ("PP", "P", "LP", "sp") and lines and lines[-1]:
                    lines.append("")
                if name == "IP" and args:
                    emit(_unescape(args[0]))
                continue
            if name in _BREAKS:
                flush()
                continue
            if name in _JOINED:
                emit(_unescape(" ".join(args)))
                continue
            if name in _ALTERNATING:
                emit(_unescape("".join(args)))
                continue
            if name in ("SY", "UR", "MT"):
                continue
            continue  # anything else: formatting, conditionals, registers
        if table == 2:
            if line.strip() in ("T{", "T}", "_", "=") or not line.strip():
                continue
            line = line.replace("T{", " ").replace("T}", " ").replace("\t", " ")
        emit(_unescape(line))
    flush()
    if not section:
        return None
    name_line = " ".join(name_parts)
    title = re.split(r"\s+[-\u2014\u2013]\s+|\s[-]\s?", name_line, maxsplit=1)
    title = (title[1] if len(title) > 1 else title[0]).strip()
    body = "\n".join(lines).strip()
    body = re.sub(r"\n{3,}", "\n\n", body)
    return title, body


# The corpus: building it from the packages -----------------------------------------------


def package_versions(packages: Iterable[str]) -> dict[str, str]:
    """Each package's installed version; ``MissingData`` naming those not installed."""
    versions, missing = {}, []
    for package in packages:
        try:
            result = subprocess.run(
                ["dpkg-query", "-W", "-f", "${db:Status-Status} ${Version}", package],
                capture_output=True,
                text=True,
            )
        except FileNotFoundError:  # not a Debian system
            missing.append(package)
            continue
        status, _, version = result.stdout.strip().partition(" ")
        if result.returncode != 0 or status != "installed":
            missing.append(package)
        else:
            versions[package] = version
    if missing:
        raise MissingData(
            f"the search quality benchmark reads Debian packages that are not installed "
            f"({', '.join(missing)}): run `make bench-quality-data` (as root) first"
        )
    return versions


def package_files(package: str) -> list[Path]:
    out = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=True)
    return sorted(Path(p) for p in out.stdout.splitlines() if Path(p).is_file())


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def _item(key: str, language: str, title: str, body: str, source: str) -> Item | None:
    title = " ".join(title.split())[:MAX_TITLE]
    body = body.strip()
    if not title or len(body) < MIN_BODY:
        return None
    if len(body) > MAX_BODY:
        cut = body[:MAX_BODY]
        space = cut.rfind(" ", MAX_BODY - 200)
        body = cut[:space] if space > 0 and not IS_HAN.search(cut[-1]) else cut
    return Item(key, language, title, body.strip(), source)


def items_of(package: str, language: str) -> list[Item]:
    """The items one installed package gives."""
    items: list[Item] = []
    for path in package_files(package):
        name = path.name
        if name.endswith(".html") and (
            (language == "zh-hant" and name.endswith(".zh-tw.html"))
            or (language == "en" and name.endswith(".en.html"))
        ):
            for n, (title, body) in enumerate(html_sections(_read(path))):
                item = _item(f"{package}:{name}#{n}", language, title, body, package)
                if item:
                    items.append(item)
        elif "/man/" in str(path) and re.search(r"\.\d\w*(\.gz)?$", name):
            parts = path.parts
            translated = parts[parts.index("man") + 1]
            if (language == "zh-hant") != (translated == "zh_TW"):
                continue
            if language == "en" and not translated.startswith("man"):
                continue  # another translation
            page = man_text(_read(path))
            if page:
                item = _item(f"{package}:{translated}/{name}", language, *page, package)
                if item:
                    items.append(item)
    return items


def build_corpus(log=print) -> tuple[list[Item], dict[str, str]]:
    versions = package_versions(p for packages in PACKAGES.values() for p in packages)
    items: list[Item] = []
    seen: set[tuple[str, str]] = set()
    for language, packages in PACKAGES.items():
        for package in packages:
            found = 0
            for item in items_of(package, language):
                if (item.title, item.body) in seen:
                    continue
                seen.add((item.title, item.body))
                items.append(item)
                found += 1
            log(f"corpus: {package} {versions[package]}: {found} items")
    return items, versions


def corpus_key(versions: dict[str, str]) -> str:
    blob = json.dumps([CORPUS_FORMAT, MIN_BODY, MAX_BODY, sorted(versions.items())])
    return hashlib.sha1(blob.encode()).hexdigest()[:10]


def load_corpus(workdir: Path, log=print) -> tuple[list[Item], dict]:
    """The corpus, from its cache under ``workdir`` when the packages are the same."""
    versions = package_versions(p for packages in PACKAGES.values() for p in packages)
    key = corpus_key(versions)
    path = workdir / f"quality-corpus-{key}.jsonl"
    if path.exists():
        with path.open(encoding="utf-8") as f:
            items = [Item(**json.loads(line)) for line in f]
        return items, {"key": key, "packages": versions, "cached": True}
    items, versions = build_corpus(log)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(dataclasses.asdict(item), ensure_ascii=False) + "\n")
    tmp.rename(path)
    return items, {"key": key, "packages": versions, "cached": False}


# Chinese script and words ----------------------------------------------------------------


@functools.cache
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def tw2sp(text: str) -> str:
    """Taiwan Traditional to Simplified with mainland phrases (網路 -> 网络)."""
    return _opencc("tw2sp").convert(text) if IS_HAN.search(text) else text


def t2s(text: str) -> str:
    return _opencc("t2s").convert(text) if IS_HAN.search(text) else text


@functools.cache
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def zh_words(text: str) -> list[str]:
    """jieba's words of Traditional text, as written: jieba segments the text folded to
    Simplified (it segments Traditional badly), and the words are read back at the same
    places when folding kept the length."""
    simple = t2s(text)
    cut = list(_jieba().cut(simple, HMM=True))
    if len(simple) == len(text):
        out, at = [], 0
        for word in cut:
            out.append(text[at : at + len(word)])
            at += len(word)
        cut = out
    return [w for w in cut if _TOKEN.fullmatch(w) or _LATIN.fullmatch(w)]


def words_of(text: str, language: str) -> list[str]:
    """The words a query can be made of: jieba's for Chinese text (Latin words as jieba
    gives them), ``_LATIN`` words otherwise."""
    if language == "zh-hant":
        return [w for w in zh_words(text) if IS_HAN.search(w) or _LETTER.search(w)]
    return [w for w in _LATIN.findall(text) if _LETTER.search(w)]


def _query_word(word: str) -> bool:
    """Distinctive enough to stand in a body query: a Chinese word of 2+ characters, or a
    word of 3+ characters with a letter that is not a stop word."""
    if IS_HAN.search(word):
        return len(word) >= 2 and bool(_HAN_RUN.fullmatch(word))
    return len(word) >= 3 and word.lower() not in STOP_WORDS and bool(_LETTER.search(word))


def fold_text(text: str) -> str:
    """What the substring test compares: NFKC and case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def baseline_fold(text: str) -> str:
    """What the baselines see: NFKC, case folding, Chinese to mainland Simplified."""
    return tw2sp(fold_text(text))


# Queries ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Query:
    language: str
    kind: str
    text: str  # as typed: Simplified for Chinese
    target: int  # index of the item in the corpus
    words: tuple[str, ...]  # as drawn from the item (Traditional for Chinese)
    regional: bool = False


@dataclasses.dataclass
class _Profile:
    title: list[str]
    body: list[str]
    counts: Counter


def _profiles(items: list[Item]) -> list[_Profile]:
    out = []
    for item in items:
        body = words_of(item.body, item.language)
        key = [w.lower() for w in body]
        out.append(_Profile(words_of(item.title, item.language), body, Counter(key)))
    return out


def _distinctive(profile: _Profile, df: Counter, cap: int, exclude=()) -> list[str]:
    """The item's body words by rarity in the corpus (then by frequency in the item), those
    in 2 to ``cap`` items first, then those in one item only."""
    excluded = {w.lower() for w in exclude}
    seen, candidates = set(), []
    for word in profile.body:
        low = word.lower()
        if low in seen or low in excluded or not _query_word(word):
            continue
        seen.add(low)
        if df[low] <= cap:
            candidates.append(word)
    common = [w for w in candidates if df[w.lower()] >= 2]
    unique = [w for w in candidates if df[w.lower()] < 2]

    def order(words):
        return sorted(words, key=lambda w: (df[w.lower()], -profile.counts[w.lower()]))

    return order(common) + order(unique)


def _phrase_end(word: str) -> bool:
    """Whether a title phrase may begin or end with the word: not a stop word, nor a lone
    Chinese character (``的``)."""
    return word.lower() not in STOP_WORDS and not (len(word) == 1 and IS_HAN.match(word))


def _title_words(item_title: list[str], rng: random.Random) -> list[str] | None:
    n = len(item_title)
    if n < 2:
        return None
    size = rng.randint(2, min(4, n))
    starts = list(range(n - size + 1))
    rng.shuffle(starts)
    fallback = None
    for start in starts:
        words = item_title[start : start + size]
        if any(_query_word(w) for w in words):
            if _phrase_end(words[0]) and _phrase_end(words[-1]):
                return words
            fallback = fallback or words
    return fallback


def _draw(kind: str, language: str, profile: _Profile, df: Counter, cap: int, rng) -> list | None:
    if kind == "title":
        return _title_words(profile.title, rng)
    if kind == "body":
        pool = _distinctive(profile, df, cap)[:12]
        size = rng.choice((2, 3))
        if len(pool) < 2:
            return None
        return rng.sample(pool, min(size, len(pool)))
    # fragment
    if language == "zh-hant":
        pool = _distinctive(profile, df, cap * 3)[:30]
        longer = [w for w in pool if IS_HAN.search(w) and len(w) >= 3]
        if not longer:
            return None
        word = rng.choice(longer)
        at = rng.randrange(len(word) - 1)
        fragment = word[at : at + 2]
        others = [w for w in pool[:12] if w != word and fragment not in w and w not in fragment]
        if not others:
            return None
        return [fragment, rng.choice(others)]
    titles = [w for w in profile.title if _query_word(w)]
    pool = _distinctive(profile, df, cap, exclude=profile.title)[:12]
    if not titles or not pool:
        return None
    return [rng.choice(pool), rng.choice(titles)]


def build_queries(items: list[Item], per_kind: int, seed: int = 1) -> list[Query]:
    """``per_kind`` queries per language and kind (fewer when the items run out), each from
    an item of its own; deterministic for a seed."""
    profiles = _profiles(items)
    folded = [fold_text(item.text) for item in items]
    queries: list[Query] = []
    for language in LANGUAGES:
        members = [i for i, item in enumerate(items) if item.language == language]
        if not members:
            continue
        df: Counter = Counter()
        for i in members:
            df.update(profiles[i].counts.keys())
        cap = max(3, len(members) // 100)
        for kind in KINDS:
            rng = random.Random(f"{seed}:{language}:{kind}")
            order = list(members)
            rng.shuffle(order)
            made = 0
            for i in order:
                if made >= per_kind:
                    break
                words = _draw(kind, language, profiles[i], df, cap, rng)
                if not words:
                    continue
                needles = [fold_text(w) for w in words]
                if not all(n in folded[i] for n in needles):
                    continue
                matching = sum(
                    1 for j in members if all(n in folded[j] for n in needles)
                )  # fmt: skip
                if matching > MAX_MATCHING:
                    continue
                typed = " ".join(words)
                regional = False
                if language == "zh-hant":
                    regional = tw2sp(typed) != t2s(typed)
                    typed = tw2sp(typed)
                queries.append(Query(language, kind, typed, i, tuple(words), regional))
                made += 1
    return queries


# Engines ---------------------------------------------------------------------------------


def bigram_tokens(text: str) -> list[str]:
    """Character bigrams of each Chinese run (a lone character itself) and the other words,
    of text already folded."""
    out: list[str] = []
    for han, latin in _TOKEN.findall(text):
        if han:
            out.extend([han] if len(han) == 1 else [han[i : i + 2] for i in range(len(han) - 1)])
        else:
            out.append(latin.lower())
    return out


def jieba_tokens(text: str) -> list[str]:
    """jieba's words of each Chinese run and the other words, of text already folded."""
    out: list[str] = []
    for han, latin in _TOKEN.findall(text):
        if han:
            out.extend(w for w in _jieba().cut(han, HMM=True) if w.strip())
        else:
            out.append(latin.lower())
    return out


class Bm25sEngine:
    """bm25s (Lucene's BM25, k1 1.5, b 0.75) over the tokens ``tokenize`` makes."""

    def __init__(self, name: str, tokenize: Callable[[str], list[str]]):
        self.name = name
        self.tokenize = tokenize

    def build(self, texts: list[str]) -> None:
        import bm25s
        from bm25s.tokenization import Tokenized

        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in self.tokenize(text)] for text in texts]
        self.retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
        self.retriever.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
        self.vocab = vocab

    def search(self, query: str, limit: int = LIMIT) -> list[int]:
        import numpy as np

        tokens = [self.vocab[t] for t in self.tokenize(query) if t in self.vocab]
        if not tokens:
            return []
        scores = self.retriever.get_scores(tokens)
        top = np.argsort(-scores, kind="stable")[:limit]
        return [int(i) for i in top if scores[i] > 0]


class Fts5TrigramEngine:
    """SQLite FTS5, ``tokenize='trigram'``; the query's words each quoted, ORed, ranked by
    ``bm25``."""

    name = "fts5-trigram"

    def build(self, texts: list[str]) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='trigram')")
        with self.db:
            self.db.executemany(
                "INSERT INTO t(rowid, text) VALUES (?, ?)", enumerate(texts, start=1)
            )

    @staticmethod
    def match(query: str) -> str:
        return " OR ".join('"' + w.replace('"', '""') + '"' for w in query.split())

    def search(self, query: str, limit: int = LIMIT) -> list[int]:
        if not query.split():
            return []
        rows = self.db.execute(
            "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?",
            (self.match(query), limit),
        ).fetchall()
        return [rowid - 1 for (rowid,) in rows]


# newsbrief: the items as published briefs ------------------------------------------------

_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@dataclasses.dataclass
class _Record:
    """An item shaped as ``loading.prepare`` takes a brief (``corpus.BenchBrief``'s fields)."""

    uid: uuid.UUID
    translation_key: uuid.UUID
    language: str
    title: str
    body: str
    published_at: dt.datetime
    author: str = "editor01"
    tags: tuple = ()
    source_name: str = ""
    source_date: dt.date | None = None

    def to_content(self):
        from newsbrief.briefs.content import BriefContent

        return BriefContent(
            language=self.language,
            title=self.title,
            body=self.body,
            author=self.author,
            published_at=self.published_at,
            uid=self.uid,
            translation_key=self.translation_key,
        )


def markdown_literal(text: str) -> str:
    """Text a Markdown body shows as written (no emphasis, links or raw HTML made of it)."""
    return html.escape(re.sub(r"([\\`*_{}\[\]()#+\-.!])", r"\\\1", text), quote=False)


def _uid(item: Item, what: str = "") -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"newsbrief-bench-quality:{item.key}{what}")


def load_items(items: list[Item]) -> int:
    """The items as published briefs ``1..N`` in the default database (empty, or holding
    exactly these); returns how many were added."""
    from newsbrief.briefs.models import Brief

    from . import loading

    count = Brief.objects.count()
    if count:
        first = Brief.objects.filter(pk=1).values_list("uid", flat=True).first()
        if count == len(items) and first == _uid(items[0]):
            return 0
        raise RuntimeError(
            f"the database holds {count} briefs that are not this benchmark's corpus: "
            "give the quality benchmark a database of its own"
        )
    ids = loading.fixtures()
    batch = loading.BATCH
    for start in range(0, len(items), batch):
        stop = min(start + batch, len(items))
        records = (
            (
                i + 1,
                _Record(
                    uid=_uid(items[i]),
                    translation_key=_uid(items[i], ":translation"),
                    language=items[i].language,
                    title=items[i].title,
                    body=markdown_literal(items[i].body),
                    published_at=_EPOCH + dt.timedelta(minutes=i),
                ),
            )
            for i in range(start, stop)
        )
        loading.write(loading.prepare(records, ids, start, stop))
    return len(items)


# Metrics ---------------------------------------------------------------------------------


def rank_of(target: int, ranked: list[int]) -> int | None:
    """The 1-based rank of ``target`` in the top ``LIMIT``, or ``None``."""
    for position, found in enumerate(ranked[:LIMIT], start=1):
        if found == target:
            return position
    return None


def metrics(results: list[tuple[int | None, int]]) -> dict:
    """``(rank, hits)`` per query: MRR@10, success@1, success@10, zero-result rate."""
    n = len(results)
    if not n:
        return {"queries": 0, "mrr10": None, "s1": None, "s10": None, "zero": None}
    return {
        "queries": n,
        "mrr10": round(sum(1 / r for r, _ in results if r) / n, 4),
        "s1": round(sum(1 for r, _ in results if r == 1) / n, 4),
        "s10": round(sum(1 for r, _ in results if r) / n, 4),
        "zero": round(sum(1 for _, hits in results if hits == 0) / n, 4),
    }


def subsets(queries: list[Query], language: str) -> dict[str, list[int]]:
    """The query indexes of each reported subset of a language: each kind, the regional
    ones (Chinese), all."""
    mine = [i for i, q in enumerate(queries) if q.language == language]
    out = {kind: [i for i in mine if queries[i].kind == kind] for kind in KINDS}
    if language == "zh-hant":
        out["regional"] = [i for i in mine if queries[i].regional]
    out["all"] = mine
    return out


# The run ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Options:
    queries: int = 300  # per language and kind
    seed: int = 1
    workdir: Path = Path("var/bench")
    backend: str | None = None  # None: the embedded default (tantivy); "postgres"
    jobs: int = 2
    progress: bool = True


def run(options: Options, log=print, items: list[Item] | None = None) -> dict:
    """The whole benchmark (``items``: a corpus given instead of the Debian one)."""
    from . import loading

    options.workdir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if items is None:
        items, corpus = load_corpus(options.workdir, log)
    else:
        blob = json.dumps([dataclasses.asdict(i) for i in items], ensure_ascii=False)
        corpus = {"key": "given-" + hashlib.sha1(blob.encode()).hexdigest()[:10]}
        corpus.update(packages={}, cached=False)
    timings["corpus_s"] = time.perf_counter() - started
    log(f"corpus: {len(items):,} items ({timings['corpus_s']:.1f} s)")
    if options.backend == "postgres":
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        return _run(options, items, corpus, timings, log)
    with loading.use_sqlite(options.workdir / f"quality-{corpus['key']}.sqlite3"):
        return _run(options, items, corpus, timings, log)


def _newsbrief(options: Options, key: str):
    from newsbrief.search.backends import get_backend

    if options.backend == "postgres":
        return get_backend("postgres")
    return get_backend("tantivy", path=options.workdir / f"quality-{key}-newsbrief")


def _run(options: Options, items: list[Item], corpus: dict, timings: dict, log) -> dict:
    started = time.perf_counter()
    queries = build_queries(items, options.queries, options.seed)
    timings["queries_s"] = time.perf_counter() - started
    log(f"queries: {len(queries):,} ({timings['queries_s']:.1f} s)")

    started = time.perf_counter()
    added = load_items(items)
    timings["newsbrief_load_s"] = time.perf_counter() - started
    backend = _newsbrief(options, corpus["key"])
    started = time.perf_counter()
    backend.rebuild(progress=options.progress, jobs=options.jobs)
    timings["newsbrief_build_s"] = time.perf_counter() - started
    log(f"newsbrief: {added:,} briefs loaded, index rebuilt ({timings['newsbrief_build_s']:.1f} s)")

    engines: dict[str, Callable[[str], list[int]]] = {
        "newsbrief": lambda q: [int(pk) - 1 for pk, _ in backend.search_ids(q, limit=LIMIT)]
    }
    started = time.perf_counter()
    texts = [baseline_fold(item.text) for item in items]
    timings["baseline_fold_s"] = time.perf_counter() - started
    for engine in (
        Bm25sEngine("bm25s-bigrams", bigram_tokens),
        Bm25sEngine("bm25s-jieba", jieba_tokens),
        Fts5TrigramEngine(),
    ):
        started = time.perf_counter()
        engine.build(texts)
        timings[f"{engine.name}_build_s"] = time.perf_counter() - started
        log(f"{engine.name}: built ({timings[f'{engine.name}_build_s']:.1f} s)")
        engines[engine.name] = lambda q, engine=engine: engine.search(baseline_fold(q), LIMIT)

    outcomes: dict[str, list[tuple[int | None, int]]] = {}
    for name, search in engines.items():
        started = time.perf_counter()
        outcomes[name] = []
        for q in queries:
            ranked = search(q.text)
            outcomes[name].append((rank_of(q.target, ranked), len(ranked)))
        timings[f"{name}_search_s"] = time.perf_counter() - started

    figures: dict = {
        "machine": machine(),
        "revision": git_revision(),
        "search_code": search_code_version(),
        "backend": options.backend or "embedded",
        "seed": options.seed,
        "queries_per_kind": options.queries,
        "corpus": {
            **corpus,
            "items": {lang: sum(1 for i in items if i.language == lang) for lang in LANGUAGES},
        },
        "results": {},
    }
    for language in LANGUAGES:
        for subset, members in subsets(queries, language).items():
            row = figures["results"].setdefault(language, {}).setdefault(subset, {})
            for name in engines:
                row[name] = metrics([outcomes[name][i] for i in members])
    ratios, targets = {}, {}
    for language in LANGUAGES:
        row = figures["results"].get(language, {}).get("all")
        if not row or not row["newsbrief"]["queries"]:
            continue
        best = max(BASELINES, key=lambda e: row[e]["mrr10"])
        theirs = row[best]["mrr10"]
        ratios[language] = {
            "best_baseline": best,
            "mrr10_ratio": round(row["newsbrief"]["mrr10"] / theirs, 3) if theirs else None,
        }
    zh = figures["results"].get("zh-hant", {}).get("all", {}).get("newsbrief")
    if zh and zh["queries"] and "zh-hant" in ratios:
        ratio = ratios["zh-hant"]["mrr10_ratio"]
        targets[f"zh MRR@10 >= {TARGET_ZH_RATIO:g}x best baseline"] = (
            ratio is not None and ratio >= TARGET_ZH_RATIO
        )
        targets[f"zh zero-result rate <= {TARGET_ZH_ZERO:.0%}"] = zh["zero"] <= TARGET_ZH_ZERO
    figures["ratios"] = ratios
    figures["targets_met"] = targets
    figures["timings_s"] = {k: round(v, 2) for k, v in timings.items()}
    figures["queries"] = [
        {
            "language": q.language,
            "kind": q.kind,
            "text": q.text,
            "regional": q.regional,
            "target": items[q.target].key,
            "ranks": {name: outcomes[name][i][0] for name in engines},
            "hits": {name: outcomes[name][i][1] for name in engines},
        }
        for i, q in enumerate(queries)
    ]
    if hasattr(backend, "close") and options.backend != "postgres":
        from newsbrief.search.backends import reset_backends

        reset_backends()
    return figures


def _cell(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def report(figures: dict) -> str:
    """The figures as plain-text tables."""
    m = figures["machine"]
    counts = figures["corpus"]["items"]
    lines = [
        f"newsbrief bench search --quality: {counts.get('zh-hant', 0):,} Chinese and "
        f"{counts.get('en', 0):,} English items, up to {figures['queries_per_kind']} queries "
        f"per language and kind, seed {figures['seed']}",
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['date']}",
        f"backend: {figures['backend']}; revision {figures.get('revision')}, "
        f"search code {figures.get('search_code')}; corpus {figures['corpus']['key']}",
    ]
    engines = list(ENGINES)
    for language, rows in figures["results"].items():
        sizes = ", ".join(f"{s} {r['newsbrief']['queries']}" for s, r in rows.items())
        lines += ["", f"{language}: queries {sizes}"]
        for metric, label in (
            ("mrr10", "MRR@10"), ("s1", "success@1"), ("s10", "success@10"),
            ("zero", "zero results"),
        ):  # fmt: skip
            lines.append(f"{label:<14}" + "".join(f"{e:>15}" for e in engines))
            for subset, row in rows.items():
                lines.append(
                    f"  {subset:<12}" + "".join(f"{_cell(row[e][metric]):>15}" for e in engines)
                )
    if figures["ratios"]:
        lines += ["", "newsbrief MRR@10 / best baseline's: " + ", ".join(
            f"{lang} {r['mrr10_ratio']} ({r['best_baseline']})"
            for lang, r in figures["ratios"].items()
        )]  # fmt: skip
    lines.append("timings s: " + ", ".join(f"{k} {v}" for k, v in figures["timings_s"].items()))
    if figures["targets_met"]:
        lines.append("targets: " + ", ".join(
            f"{k}: {'met' if v else 'MISSED'}" for k, v in figures["targets_met"].items()
        ))  # fmt: skip
    return "\n".join(lines)
