"""``{% entity_facets %}``: a listing's countries, organizations and fields as links to the
browse page, which lists the briefs that name them within the page's scope.

The briefs' and search's templates load it (templates are no imports, so ``briefs`` and
``search`` stay free of ``entities``); the browse view renders the same part.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import LANGUAGE_CHOICES, Category, reader_language

from .. import facets as read
from ..models import Entity

register = template.Library()

HEADINGS = {
    Entity.Kind.COUNTRY: _("Countries and regions"),
    Entity.Kind.ORGANIZATION: _("Organizations"),
    Entity.Kind.FIELD: _("Fields"),
}
ALL = [code for code, _name in LANGUAGE_CHOICES]


def browse_url(listing: read.Listing, lang: str, slugs: list[str]) -> str:
    """The browse page of ``listing``'s scope with the entities ``slugs``; ``lang`` is the
    page's language filter (left out when it is the reader's default)."""
    return _scope_url(listing, lang)(slugs)


def _scope_url(listing: read.Listing, lang: str):
    """``browse_url`` for one scope and many entity lists: the scope's part made once."""
    scope: list[tuple[str, str]] = []
    if listing.category is not None:
        scope.append(("category", listing.category.slug))
    if listing.month is not None:
        scope.append(("month", f"{listing.month:%Y-%m}"))
    if listing.query:
        scope.append(("q", listing.query))
        scope += [(name, str(value)) for name, value in listing.search_filters.items()]
    if lang != reader_language():
        scope.append(("lang", lang))
    base = reverse("entities:browse")

    def url(slugs: list[str]) -> str:
        params = [("e", slug) for slug in slugs] + scope
        return base + ("?" + urlencode(params) if params else "")

    return url


def presented(listing: read.Listing, lang: str) -> dict:
    """The part's context: each kind's heading and entries (name, count, link that adds the
    entity, or for a selected one the link that removes it)."""
    found = read.facets(listing)
    language = reader_language()
    chosen = [e.slug for e in listing.selected]
    url = _scope_url(listing, lang)
    groups = []
    for kind, ranked in found.groups:
        items = []
        for entity, n in ranked:
            active = entity.slug in chosen
            others = [s for s in chosen if s != entity.slug]
            items.append(
                {
                    "name": entity.name_for(language),
                    "count": n,
                    "active": active,
                    "url": None if active else url([*chosen, entity.slug]),
                    "remove_url": url(others) if active else None,
                }
            )
        groups.append({"kind": kind, "heading": HEADINGS[kind], "items": items})
    return {
        "groups": groups,
        "searched": found.searched,
        "counted": found.counted,
        "most_searched": read.SEARCH_FACET_HITS,
    }


def _month(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, timezone.get_default_timezone()).date().replace(day=1)
    return value.replace(day=1) if isinstance(value, dt.date) else None


@register.inclusion_tag("entities/_facets.html", takes_context=True)
def entity_facets(context, category=None, month=None, search=None):
    """The facets of the page's listing: the board in the page's languages (its ``?lang=``
    filter), narrowed to ``category`` and ``month``; or (``search``: the results page's
    form) the matches of its query and filters."""
    request = context["request"]
    query, filters, lang = "", {}, None
    if search is not None:
        query = search.query
        filters = {name: search.value(name) for name in read.SEARCH_FILTERS}
        filters = {name: value for name, value in filters.items() if value}
        category = search.value("category")
        lang = search.value("lang") or ""
    if lang is None:
        lang = context.get("lang_filter") or reader_language()
    if lang not in ALL:
        lang = "all"  # search's "" (every language), or a value its form refused
    if isinstance(category, str):
        category = Category.objects.filter(slug=category).first() if category else None
    listing = read.Listing(
        board=request.board,
        languages=ALL if lang == "all" else [lang],
        now=timezone.now(),
        category=category,
        month=_month(month),
        query=query,
        search_filters=filters,
    )
    return presented(listing, lang)
