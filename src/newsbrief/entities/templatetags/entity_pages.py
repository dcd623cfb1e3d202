"""Entities on the reader's pages: an entity's name in the reader's language, a link to its
page, and a count of briefs in words."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from ..views import briefs_count as words

register = template.Library()


@register.simple_tag
def entity_name(entity) -> str:
    return entity.name_for(get_language())


@register.simple_tag
def entity_link(entity, query: str = ""):
    """A link to the entity's page (keeping the listing's ``?lang=``), its name marked with
    the language it is written in."""
    name = entity.name_for(get_language())
    language = "zh-hant" if name == entity.name_zh_hant and name != entity.name_en else "en"
    return format_html(
        '<a href="{}{}" lang="{}">{}</a>', entity.get_absolute_url(), query, language, name
    )


@register.simple_tag
def briefs_count(n: int) -> str:
    return words(n)
