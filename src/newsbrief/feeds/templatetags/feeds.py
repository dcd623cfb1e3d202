"""``{% feed_links %}``: the autodiscovery links of the feeds that match the page."""

from django import template
from django.utils.translation import get_language

from newsbrief.briefs.models import Category

from ..views import Scope

register = template.Library()
FORMATS = {"rss": ("RSS", "application/rss+xml"), "atom": ("Atom", "application/atom+xml")}


@register.inclusion_tag("feeds/autodiscovery.html", takes_context=True)
def feed_links(context) -> dict:
    """The page's category (on a category page), then the reader's language, then the whole
    board; each in RSS and Atom. Feed readers offer the first one by default."""
    board = context.get("board")
    reader = "zh-hant" if get_language().startswith("zh") else "en"
    scopes = [Scope(board, language=reader), Scope(board)]
    category = context.get("category")
    if isinstance(category, Category):
        scopes.insert(0, Scope(board, category=category))
    links = [
        {"type": media_type, "title": f"{scope.title()} ({name})", "href": scope.url(fmt)}
        for scope in scopes
        for fmt, (name, media_type) in FORMATS.items()
    ]
    return {"links": links}
