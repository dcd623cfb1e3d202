"""Markdown to sanitized HTML. Everything a brief shows as HTML passes through ``render_body``."""

import html

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "span": {"class"}}


def sanitize(fragment: str) -> str:
    """Strip scripts, event handlers and non-http(s)/mailto links from an HTML fragment."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_body(body: str, source_line: str = "") -> str:
    """Render a Markdown body; ``source_line`` (``CENS.com (2012/03/19)``) opens its first
    paragraph, as on the seed page."""
    rendered = markdown.markdown(body, extensions=["sane_lists"], output_format="html")
    if source_line:
        lead = f'<span class="source">{html.escape(source_line)}</span>'
        rendered = (
            f"<p>{lead} {rendered[3:]}"
            if rendered.startswith("<p>")
            else f"<p>{lead}</p>{rendered}"
        )
    return sanitize(rendered)
