"""``{% feed_links %}``: the autodiscovery links of the feeds that match the page;
``{% feed_url fmt %}``: the reader's-language feed, for a link on the page;
``{% entity_feed_url entity fmt %}``: an entity's feed in the reader's language."""

from django import template

from newsbrief.briefs.models import Category, reader_language
from newsbrief.entities.models import Entity

from ..views import FORMATS, Scope

register = template.Library()


@register.inclusion_tag("feeds/autodiscovery.html", takes_context=True)
def feed_links(context) -> dict:
    """The page's category or entity in the reader's language (on its page), then the
    reader's language, then the whole board in both; each in RSS and Atom. Feed readers offer
    the first one by default."""
    board, reader = context.get("board"), reader_language()
    scopes = [Scope(board, language=reader), Scope(board)]
    category, entity = context.get("category"), context.get("entity")
    if isinstance(category, Category):
        scopes.insert(0, Scope(board, language=reader, category=category))
    if isinstance(entity, Entity):
        scopes.insert(0, Scope(board, language=reader, entity=entity))
    links = [
        {
            "type": writer.content_type.split(";")[0],
            "title": f"{scope.title()} ({writer.name})",
            "href": scope.url(fmt),
            "hreflang": scope.language,
        }
        for scope in scopes
        for fmt, writer in FORMATS.items()
    ]
    return {"links": links}


@register.simple_tag(takes_context=True)
def feed_url(context, fmt: str) -> str:
    return Scope(context.get("board"), language=reader_language()).url(fmt)


@register.simple_tag(takes_context=True)
def entity_feed_url(context, entity: Entity, fmt: str) -> str:
    return Scope(context.get("board"), language=reader_language(), entity=entity).url(fmt)
