"""From fetched bytes to what a draft needs: feed entries, article text and metadata.

Pure functions, no HTTP and no database: ``fetch`` brings the bytes, ``ingesting`` decides
what to keep. Malformed input is an ``ExtractError`` with a message for the editor; what can
be salvaged (the entries of a feed with a broken tail, a page in a mislabelled charset) is.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import hashlib
import html
import io
import logging
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import charset_normalizer
import feedparser
import nh3
import trafilatura

log = logging.getLogger(__name__)

#: Query parameters that track a reader rather than name an article.
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src)$", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


class ExtractError(ValueError):
    """Input that gave nothing usable; the message says why."""


@dataclasses.dataclass(frozen=True)
class Entry:
    """One feed entry, as far as the feed tells it."""

    id: str
    link: str
    title: str = ""
    summary: str = ""
    date: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class Feed:
    title: str
    entries: list[Entry]


@dataclasses.dataclass(frozen=True)
class Article:
    """An article page's text (plain, paragraphs on their own lines) and metadata."""

    title: str = ""
    text: str = ""
    date: dt.date | None = None
    site_name: str = ""


def parse_feed(body: bytes, url: str, content_type: str = "") -> Feed:
    """The entries of an RSS or Atom document. A feed with a malformed tail gives the entries
    before it (logged); a malformed or unrecognised document with no entries is an error."""
    # A stream, never bytes or str: feedparser would take those for a file name or an address.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-type": content_type or "application/xml",
                          "content-location": url},
    )  # fmt: skip
    entries = [entry for raw in parsed.entries if (entry := _entry(raw, url))]
    problem = ""
    if parsed.bozo:
        problem = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"[:300]
    if not entries and (parsed.bozo or not parsed.get("version")):
        raise ExtractError(f"not a readable RSS or Atom feed ({problem or 'no feed found'})")
    if problem:
        log.warning("feed %s is malformed, using what parses: %s", url, problem)
    return Feed(title=strip_markup(parsed.feed.get("title", "")), entries=entries)


def _entry(raw: dict, base: str) -> Entry | None:
    """An entry with something to read (a link or a summary), or ``None``."""
    link = raw.get("link", "").strip()
    link = urljoin(base, link) if link else ""
    title = strip_markup(raw.get("title", ""))
    summary = strip_markup(raw.get("summary", ""))
    if not link and not summary:
        return None
    return Entry(
        id=raw.get("id", "").strip() or link or digest(f"{title}\n{summary}"),
        link=link,
        title=title,
        summary=summary,
        date=_struct_date(raw.get("published_parsed") or raw.get("updated_parsed")),
    )


def decode_page(body: bytes, charset: str | None) -> str:
    """A page's text. UTF-8 first (text in another charset is almost never valid UTF-8, so
    a wrong label cannot win over it), then the charset the server named, then the page's
    own ``<meta charset>``, then a guess from the bytes; ``ExtractError`` if none fits."""
    declared = META_CHARSET.search(body[:4096])
    candidates = ["utf-8", charset, declared and declared.group(1).decode("ascii", "replace")]
    for name in candidates:
        encoding = _codec(name)
        if encoding:
            try:
                return body.decode(encoding)
            except UnicodeDecodeError:
                continue
    guess = charset_normalizer.from_bytes(body[:200_000]).best()
    if guess is not None and guess.encoding:
        log.info("guessed charset %s for a page labelled %s", guess.encoding, charset)
        return body.decode(guess.encoding, errors="replace")
    raise ExtractError(f"the page's text is not valid in {charset or 'any known charset'}")


def extract_article(page: str, url: str) -> Article:
    """The article's main text and metadata (trafilatura), or an empty ``Article`` when the
    page has no recognisable article."""
    try:
        doc = trafilatura.bare_extraction(
            page, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # trafilatura raises whatever its parsers meet on hostile HTML
        raise ExtractError(f"could not read the page: {type(exc).__name__}: {exc}") from None
    if doc is None:
        return Article()
    title = strip_markup(doc.title or "")
    lines = [strip_markup(line) for line in (doc.text or "").splitlines()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the page's own heading
    return Article(
        title=title,
        text="\n".join(line for line in lines if line),
        date=_iso_date(doc.date),
        site_name=strip_markup(doc.sitename or ""),
    )


def strip_markup(text: str) -> str:
    """Plain text from a fragment that may carry HTML: tags go (scripts and styles with their
    content), entities are decoded, runs of spaces fold; line breaks stay."""
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(text, tags=set()))
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def to_markdown(text: str) -> str:
    """Paragraphs of plain text as a Markdown body. Characters that Markdown or HTML would
    read as syntax are escaped, so the body shows the text as written; the rendered body is
    sanitized again by ``briefs.rendering`` like every other."""
    paragraphs = [" ".join(p.split()) for p in text.splitlines()]
    return "\n\n".join(_escape(p) for p in paragraphs if p)


def _escape(paragraph: str) -> str:
    paragraph = re.sub(r"([\\`*_\[\]])", r"\\\1", paragraph).replace("<", "&lt;")
    # A leading "#", ">", "-", "+" or "1." would make a heading, a quote or a list.
    paragraph = re.sub(r"^([#>+-])", r"\\\1", paragraph)
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", paragraph)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_url(url: str) -> str:
    """The address that names an article, for de-duplication: scheme and host lower-cased,
    default port, fragment and tracking parameters dropped, parameters sorted, no trailing
    slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and (scheme, parts.port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{parts.port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not TRACKING.match(k))  # fmt: skip
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def content_hash(text: str) -> str:
    """The same story under another address: a hash of its case-folded words."""
    return digest(" ".join(text.casefold().split()))


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def _struct_date(value) -> dt.date | None:
    try:
        return dt.date(*value[:3]) if value else None
    except (TypeError, ValueError):
        return None


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
