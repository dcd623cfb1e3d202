"""The seed text format: a brief page as text, as ``shared/seed`` shows it.

::

    techman / March 20, 2012 09:20PM
    [\\[International Cooperation\\] Taiwan-Japan ...](#)          <- title link (optional)
    [International Cooperation] Taiwan-Japan ... ([Chinese Version](#))
    CENS.com (2012/03/19) Taiwan and Japan ...                    <- body, opening with its source
    Related Historical Messages:
    [\\[International Cooperation\\] Taiwan and Japan ... 2011/09/05](#)
    Further Information:
    [CENS.com 2012/03/19](#)
    -----
    [National Science Council International Cooperation Sci-Tech Newsbrief](#)
    -----
    Edited 2 time(s). Last edit at 03/20/2012 09:25PM by techman.

Pages in Traditional Chinese use the Chinese labels and dates (see ``LABELS`` and
``briefs.dates``); a page may mix them. Link targets carry identity when this board wrote
the page: the title link ``urn:newsbrief:brief:UID``, the version link
``urn:newsbrief:versions:KEY`` (shared by a brief's language versions) and related entries
the cited brief's ``urn:newsbrief:brief:UID``; ``#`` means unknown. Without a uid, a page's
identity is derived from its language, author and publication time (``page_uid``), so
importing the same page again finds the same brief; without a version key, the page's uid
is its key, so a version written later can name it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo
from collections.abc import Iterator

from newsbrief.briefs.content import BriefContent, Citation, EditTrail, Link
from newsbrief.briefs.dates import format_date, format_datetime, parse_date, parse_datetime

from .errors import FormatError

LABELS = {
    "en": {
        "related": "Related Historical Messages:",
        "further": "Further Information:",
        "version": "Chinese Version",
    },
    "zh-hant": {"related": "相關歷史訊息：", "further": "延伸資訊：", "version": "英文版"},
}
# The version link names the *other* language: "Chinese Version" appears on English pages.
VERSION_LABELS = {
    "Chinese Version": "en",
    "中文版": "en",
    "English Version": "zh-hant",
    "英文版": "zh-hant",
}


def _label_variants(key: str) -> dict[str, str]:
    """A section label -> its page language, accepting either width of the final colon."""
    found = {}
    for language, labels in LABELS.items():
        stem = labels[key].rstrip(":：")
        found |= {f"{stem}:": language, f"{stem}：": language}
    return found


RELATED_LABELS = _label_variants("related")
FURTHER_LABELS = _label_variants("further")

BRIEF_URN = "urn:newsbrief:brief:"
VERSIONS_URN = "urn:newsbrief:versions:"
PAGE_NAMESPACE = uuid.UUID("5b0e9c47-3c52-4d1a-9a52-6f1f1c1a2b7e")

_LINK = re.compile(r"\[(?P<text>(?:\\.|[^\\\]])*)\]\((?P<target>[^()\s]*)\)")
_TAGS = re.compile(r"((?:\[[^\[\]]+\])+)\s*(.*)", re.S)
# Every pattern matches in linear time on a hostile line: no two neighbouring repetitions
# can take the same characters, and the version link is matched from its last "([".
_VERSION = re.compile(r"\(\[(?P<label>[^\]]+)\]\((?P<target>[^()\s]*)\)\)")
_TRAILING_DATE = re.compile(r"(?P<text>.*) (?P<date>\d{4}/\d{1,2}/\d{1,2})")
_SOURCE = re.compile(r"(?P<name>[^\n]*?) ?\((?P<date>\d{4}/\d{1,2}/\d{1,2})\)\s+(?P<rest>.*)", re.S)
_WHEN = r"(?P<at>[\d/ :年月日上下午AaPpMm]+?)"
_TRAIL = [
    re.compile(r"Edited (?P<n>\d+) time\(s\)\. Last edit at " + _WHEN + r" by (?P<by>\S+)\."),
    re.compile(r"已編輯 ?(?P<n>\d+) ?次。最後編輯於 ?" + _WHEN + r"，編輯者：(?P<by>[^\s。]+)。"),
]
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_RULE = re.compile(r"-{3,}")


def escape_link_text(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def unescape_link_text(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _link(line: str) -> tuple[str, str] | None:
    match = _LINK.fullmatch(line)
    return (unescape_link_text(match["text"]), match["target"]) if match else None


def split_tags(text: str) -> tuple[tuple[str, ...], str]:
    """``[A][B] Title`` -> ``(("A", "B"), "Title")``."""
    match = _TAGS.fullmatch(text.strip())
    if not match:
        return (), text.strip()
    tags = tuple(" ".join(t.split()) for t in re.findall(r"\[([^\[\]]+)\]", match[1]))
    return tags, match[2].strip()


def join_tags(tags: tuple[str, ...], title: str) -> str:
    return "".join(f"[{t}]" for t in tags) + (" " if tags else "") + title


def _urn(target: str, prefix: str) -> uuid.UUID | None:
    if target.startswith(prefix):
        try:
            return uuid.UUID(target[len(prefix) :])
        except ValueError:
            return None
    return None


def page_uid(language: str, author: str, published_at: dt.datetime) -> uuid.UUID:
    """The identity of a page that carries none: same language, author and minute."""
    stamp = published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")
    return uuid.uuid5(PAGE_NAMESPACE, f"{language}|{author}|{stamp}")


class _Lines:
    """The page's lines with 1-based numbers, skipping blank ones."""

    def __init__(self, text: str):
        self.items = [(n, line.rstrip()) for n, line in enumerate(text.split("\n"), 1)]
        self.pos = 0

    def peek(self) -> tuple[int, str] | None:
        while self.pos < len(self.items) and not self.items[self.pos][1].strip():
            self.pos += 1
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self) -> tuple[int, str]:
        item = self.peek()
        if item is None:
            raise FormatError("the page ends too early", len(self.items))
        self.pos += 1
        return item

    def raw_until(self, stop) -> Iterator[tuple[int, str]]:
        """Lines, blank ones included, until one for which ``stop(line)`` holds."""
        while self.pos < len(self.items) and not stop(self.items[self.pos][1].strip()):
            yield self.items[self.pos]
            self.pos += 1


def _is_section(line: str) -> bool:
    """A line that ends the body: a section label, a rule or the edit trail."""
    return (
        line in RELATED_LABELS
        or line in FURTHER_LABELS
        or bool(_RULE.fullmatch(line))
        or any(p.fullmatch(line) for p in _TRAIL)
    )


def parse(text: str, tz: dt.tzinfo | str = "Asia/Taipei") -> BriefContent:
    """Read one page. Raises ``FormatError`` with the line at fault."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        raise FormatError(
            "the page contains NUL characters", text[: text.index("\x00")].count("\n") + 1
        )
    lines = _Lines(text)
    if lines.peek() is None:
        raise FormatError("the page is empty", 1)

    n, header = lines.take()
    author, sep, when = header.rpartition(" / ")
    if not sep or not author.strip():
        raise FormatError(f"expected the header 'AUTHOR / DATE TIME', found {header[:80]!r}", n)
    try:
        published_at = parse_datetime(when, tz)
    except ValueError as exc:
        raise FormatError(f"bad publication time: {exc}", n) from None
    author = author.strip()

    uid = None
    n, line = lines.take()
    title_link = _link(line.strip())
    if title_link is not None:
        uid = _urn(title_link[1], BRIEF_URN)
        n, line = lines.take()

    heading = line.strip()
    language = None
    translation_key = None
    version = _VERSION.fullmatch(heading, max(heading.rfind("(["), 0))
    if version and version["label"] in VERSION_LABELS:
        heading = heading[: version.start()].rstrip()
        language = VERSION_LABELS[version["label"]]
        translation_key = _urn(version["target"], VERSIONS_URN)
    tags, title = split_tags(heading)
    if not title:
        raise FormatError("the brief has no title", n)
    if _is_section(heading):
        raise FormatError("the brief has no title line", n)

    body_lines = [line for _, line in lines.raw_until(_is_section)]
    body = _normalize_body("\n".join(body_lines))
    source_name, source_date = "", None
    source = _SOURCE.fullmatch(body)
    if source:
        try:
            source_date = parse_date(source["date"])
        except ValueError:
            raise FormatError(f"bad source date {source['date']!r}", n + 1) from None
        source_name, body = source["name"].strip(), source["rest"].strip()
    if not body:
        raise FormatError("the brief has no body", n + 1)

    related: list[Citation] = []
    links: list[Link] = []
    board = ""
    trail = None
    section_language = None
    while lines.peek() is not None:
        n, line = lines.take()
        line = line.strip()
        if line in RELATED_LABELS:
            section_language = RELATED_LABELS[line]
            for n, entry in _entries(lines):
                related.append(_citation(entry, n))
        elif line in FURTHER_LABELS:
            section_language = FURTHER_LABELS[line]
            for n, entry in _entries(lines):
                links.append(_source_link(entry, n))
        elif _RULE.fullmatch(line):
            if board or trail:
                continue  # the closing rule(s)
            item = lines.peek()
            if item and (footer := _link(item[1].strip())):
                lines.take()
                board = " ".join(footer[0].split())
        elif trail is None and (trail := _trail(line, n, tz)) is not None:
            continue
        else:
            raise FormatError(f"unexpected line {line[:80]!r}", n)

    if language is None:
        language = section_language or ("zh-hant" if _CJK.search(title) else "en")
    uid = uid or page_uid(language, author, published_at)
    return BriefContent(
        uid=uid,
        translation_key=translation_key or uid,
        board=board,
        language=language,
        author=author,
        published_at=published_at,
        title=title,
        tags=tags,
        source_name=source_name,
        source_date=source_date,
        body=body,
        links=tuple(links),
        related=tuple(related),
        trail=trail,
    )


def _normalize_body(text: str) -> str:
    """Paragraphs separated by one blank line, no trailing spaces."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(
        "\n".join(x.rstrip() for x in p.split("\n")) for p in paragraphs if p.strip()
    )


def _entries(lines: _Lines) -> Iterator[tuple[int, str]]:
    """The link lines of a section."""
    while (item := lines.peek()) is not None and _link(item[1].strip()):
        lines.take()
        yield item[0], item[1].strip()


def _dated_link(line: str, n: int) -> tuple[str, dt.date | None, str]:
    """``[Text 2012/03/19](target)`` -> ``("Text", date(2012, 3, 19), "target")``."""
    text, target = _link(line)
    if match := _TRAILING_DATE.fullmatch(text):
        return match["text"], _date(match["date"], n), target
    return text, None, target


def _citation(line: str, n: int) -> Citation:
    text, date, target = _dated_link(line, n)
    tags, title = split_tags(text)
    if not title:
        raise FormatError("a related message without a title", n)
    return Citation(title=title, tags=tags, date=date, uid=_urn(target, BRIEF_URN))


def _source_link(line: str, n: int) -> Link:
    text, date, target = _dated_link(line, n)
    url = "" if target in {"", "#"} else target
    if url and not re.match(r"https?://", url):
        raise FormatError(f"a source link must be http(s), found {url[:80]!r}", n)
    return Link(label=" ".join(text.split()), url=url, date=date)


def _date(text: str, n: int) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise FormatError(str(exc), n) from None


def _trail(line: str, n: int, tz) -> EditTrail | None:
    for pattern in _TRAIL:
        if match := pattern.fullmatch(line):
            try:
                at = parse_datetime(match["at"], tz)
            except ValueError as exc:
                raise FormatError(f"bad edit time: {exc}", n) from None
            return EditTrail(count=int(match["n"]), at=at, by=match["by"].strip())
    return None


def render(content: BriefContent, tz: dt.tzinfo | str = "Asia/Taipei") -> str:
    """Write one page; ``parse(render(c))`` gives ``c`` back."""
    lang = "zh-hant" if content.language.startswith("zh") else "en"
    labels = LABELS[lang]

    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz

    def local(value: dt.datetime) -> dt.datetime:
        return value.astimezone(zone)

    if content.published_at is None:
        raise ValueError("only published briefs have a page")
    heading = join_tags(content.tags, content.title)
    uid = f"{BRIEF_URN}{content.uid}" if content.uid else "#"
    out = [
        f"{content.author} / {format_datetime(local(content.published_at), lang)}",
        f"[{escape_link_text(heading)}]({uid})",
    ]
    if content.translation_key:
        heading += f" ([{labels['version']}]({VERSIONS_URN}{content.translation_key}))"
    out.append(heading)
    body = content.body
    if content.source_name or content.source_date:
        date = f" ({format_date(content.source_date)})" if content.source_date else ""
        body = f"{content.source_name}{date} {body}"
    out.append(body)
    if content.related:
        out.append(labels["related"])
        for c in content.related:
            text = join_tags(c.tags, c.title) + (f" {format_date(c.date)}" if c.date else "")
            out.append(f"[{escape_link_text(text)}]({f'{BRIEF_URN}{c.uid}' if c.uid else '#'})")
    if content.links:
        out.append(labels["further"])
        for x in content.links:
            text = x.label + (f" {format_date(x.date)}" if x.date else "")
            out.append(f"[{escape_link_text(text)}]({x.url or '#'})")
    if content.board:
        out.append(f"-----  \n[{escape_link_text(content.board)}](#)  \n-----")
    if content.trail and content.trail.count:
        at = format_datetime(local(content.trail.at), lang, "short")
        if lang == "en":
            out.append(
                f"Edited {content.trail.count} time(s). Last edit at {at} by {content.trail.by}."
            )
        else:
            out.append(
                f"已編輯 {content.trail.count} 次。最後編輯於 {at}，編輯者：{content.trail.by}。"
            )
    return "\n\n".join(out) + "\n\n---\n"
