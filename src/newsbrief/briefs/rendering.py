"""Markdown to sanitized HTML. Everything a brief shows as HTML passes through ``render_body``.

The parser is markdown-it-py (CommonMark): its work grows with the length of a body, where
Python-Markdown, used before, took the square of it on runs of ``[`` or ``<`` (36 s for
15,000 of them) and recursed once per level of nesting (a ``RecursionError`` at 500).
Nesting is bounded too: past ``NESTING`` levels the parser would silently drop the rest, so
such a body is refused instead."""

import html

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from .errors import InvalidContent

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "span": {"class"}}
#: Levels of block nesting the parser goes into (a list item takes two: list and item);
#: lists or quotes nested eight deep still fit.
NESTING = 20

_markdown = MarkdownIt("commonmark", {"maxNesting": NESTING})


def sanitize(fragment: str) -> str:
    """Strip scripts, event handlers and non-http(s)/mailto links from an HTML fragment."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def has_images(body: str) -> bool:
    """Whether the body writes Markdown images, which ``sanitize`` drops: a brief's pictures
    are uploaded (checked, stripped, resized) and shown after the body, never fetched from
    elsewhere, so the desk tells the editor instead of dropping them without a word."""
    tokens = _markdown.parse(body)
    return any(child.type == "image" for token in tokens for child in token.children or ())


def render_body(body: str, source_line: str = "") -> str:
    """Render a Markdown body; ``source_line`` (``CENS.com (2012/03/19)``) opens its first
    paragraph, as on the seed page. ``InvalidContent`` on ``body`` if it nests deeper than
    the parser goes."""
    env: dict = {}
    tokens = _markdown.parse(body, env)
    if any(token.level >= NESTING - 1 for token in tokens):
        message = _("Lists and quotes are nested too deeply here.")
        raise InvalidContent(f"body: {message}", {"body": [message]})
    rendered = _markdown.renderer.render(tokens, _markdown.options, env).strip()
    if source_line:
        lead = f'<span class="source">{html.escape(source_line)}</span>'
        rendered = (
            f"<p>{lead} {rendered[3:]}"
            if rendered.startswith("<p>")
            else f"<p>{lead}</p>{rendered}"
        )
    return sanitize(rendered)
