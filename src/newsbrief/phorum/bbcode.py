"""Phorum bodies (BBCode, and HTML where a module allowed it) to the product's Markdown, and
to the plain text Phorum showed (for the report's old-against-new checksum).

Phorum 5.2's BBCode module knows the tags in ``KNOWN``; a closed tag it does not know
(``[marquee]...[/marquee]``) is left as text and named in the report. A bracketed word
without a closing tag is text too: that is how the board's ``[Category]`` tags are written.
"""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata

import nh3

#: Tags whose words are kept and whose look is not (colours, sizes, alignment...).
PLAIN = {"u", "s", "strike", "color", "size", "font", "center", "left", "right", "small",
         "large", "tt"}  # fmt: skip
KNOWN = PLAIN | {"b", "i", "url", "email", "img", "quote", "code", "list", "*", "hr",
                 "sub", "sup"}  # fmt: skip

_CLOSED = re.compile(r"\[/([a-z]+)\]", re.I)
_CODE = re.compile(r"\[code\](.*?)\[/code\]", re.I | re.S)
# The innermost pair: its text holds no opening of the same tag.
_PAIR = r"\[{tag}(?:=(?P<arg>[^\]]*))?\](?P<text>(?:(?!\[{tag}[\]=]).)*?)\[/{tag}\]"
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")
_AUTOLINK = re.compile(r"<[a-z]+:[^>\s]*>")
_NOT_ALNUM = re.compile(r"[\W_]+")
_HTML = re.compile(r"</?(?:a|b|strong|i|em|br|p|div|li|ul|ol|span|font|img)\b", re.I)


@dataclasses.dataclass
class Converted:
    markdown: str
    unknown: set[str]


def _pair(tag: str) -> re.Pattern:
    return re.compile(_PAIR.format(tag=re.escape(tag)), re.I | re.S)


_PAIRS = {tag: _pair(tag) for tag in KNOWN - {"*", "hr", "code"}}


def _apply(text: str, tag: str, replace, closed: set[str]) -> str:
    """Replace innermost pairs first, until none is left (nesting of one tag in itself)."""
    if tag not in closed:
        return text
    pattern = _PAIRS[tag]
    for _round in range(20):
        text, n = pattern.subn(replace, text)
        if not n:
            break
    return text


def _url(match: re.Match) -> str:
    target = (match["arg"] or match["text"]).strip().strip("\"'")
    words = re.sub(r"([\\\[\]])", r"\\\1", match["text"].strip())  # as link text
    if not match["arg"]:
        return f"<{target}>" if re.match(r"https?://", target) else words
    return f"[{words}]({target.replace(' ', '%20')})"


def _quote(match: re.Match) -> str:
    name = (match["arg"] or "").strip().strip("\"'")
    who = f"{name} wrote:\n\n" if name else ""
    lines = re.sub(r"\n{3,}", "\n\n", who + match["text"].strip()).split("\n")
    return "\n\n" + "\n".join(f"> {line}" if line else ">" for line in lines) + "\n\n"


def _list(match: re.Match) -> str:
    ordered = bool(match["arg"])
    items = [i.strip() for i in re.split(r"\[\*\]", match["text"]) if i.strip()]
    return (
        "\n\n"
        + "\n".join(f"{n}. {item}" if ordered else f"- {item}" for n, item in enumerate(items, 1))
        + "\n\n"
    )


def _from_html(text: str) -> str:
    """The HTML a module let through, as Markdown: links and emphasis kept, other tags
    dropped (their words kept), entities read."""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</?(?:p|div)\b[^>]*>", "\n\n", text, flags=re.I)
    text = re.sub(r"<li\b[^>]*>", "\n- ", text, flags=re.I)
    text = re.sub(r"<(b|strong)\b[^>]*>(.*?)</\1>", r"**\2**", text, flags=re.I | re.S)
    text = re.sub(r"<(i|em)\b[^>]*>(.*?)</\1>", r"*\2*", text, flags=re.I | re.S)
    text = re.sub(
        r"<a\b[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", r"[\2](\1)", text,
        flags=re.I | re.S,
    )  # fmt: skip
    return html.unescape(nh3.clean(text, tags=set()))


def to_markdown(body: str) -> Converted:
    """The body as Markdown, and the closed tags that were not BBCode Phorum knows."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    if _HTML.search(text):
        text = _from_html(text)
    closed = {t.lower() for t in _CLOSED.findall(text)}  # only these pairs can be there
    unknown = closed - KNOWN
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(match[1].strip("\n"))
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, text)
    for tag in PLAIN:
        text = _apply(text, tag, lambda m: m["text"], closed)
    text = _apply(text, "b", lambda m: f"**{m['text'].strip()}**", closed)
    text = _apply(text, "i", lambda m: f"*{m['text'].strip()}*", closed)
    text = _apply(text, "sub", lambda m: f"<sub>{m['text']}</sub>", closed)
    text = _apply(text, "sup", lambda m: f"<sup>{m['text']}</sup>", closed)
    text = _apply(text, "img", lambda m: f"<{m['text'].strip()}>", closed)
    text = _apply(text, "email", lambda m: f"<{(m['arg'] or m['text']).strip()}>", closed)
    text = _apply(text, "url", _url, closed)
    text = _apply(text, "list", _list, closed)
    text = _apply(text, "quote", _quote, closed)
    text = re.sub(r"\[hr\]", "\n\n***\n\n", text, flags=re.I)
    text = re.sub("\x00(\\d+)\x00", lambda m: f"\n\n```\n{codes[int(m[1])]}\n```\n\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return Converted(text, unknown)


def shown_text(body: str) -> str:
    """The words Phorum showed for ``body``: BBCode's markup gone, a link's words kept (not
    its target), an image's address kept."""
    return without_targets(to_markdown(body).markdown)


def without_targets(markdown: str) -> str:
    """Markdown's links as their words only."""
    return _LINK_TARGET.sub("]", markdown)


def normalized(text: str) -> str:
    """What the checksum compares: letters and digits only, in NFC, case folded, so that
    layout, markup and punctuation (which the two renderings write differently) do not
    count, and every word does."""
    text = _LINK_TARGET.sub("]", text)  # link targets: addresses change, on purpose
    text = _AUTOLINK.sub("", text)  # autolinks the new page may write as links
    # ``\W`` and ``_`` are exactly what ``str.isalnum`` refuses.
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFC", text).casefold())
