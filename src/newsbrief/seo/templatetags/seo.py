"""``{% page_meta %}`` (every page, in base.html) and ``{% brief_meta brief versions %}``
(a brief's page): the head's canonical, alternates, description and cards (``seo/meta.py``)."""

from django import template

from .. import meta

register = template.Library()


@register.inclusion_tag("seo/meta.html", takes_context=True)
def page_meta(context) -> dict:
    return meta.page_meta(context)


@register.inclusion_tag("seo/meta.html", takes_context=True)
def brief_meta(context, brief, versions) -> dict:
    return meta.brief_meta(context, brief, versions)
