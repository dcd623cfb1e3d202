"""The browse page: the briefs that name every selected entity, within a category, a month or
a search, newest first, with the facets of what it lists.

The board's facet links lead here carrying their page's scope (``?e=japan&e=medical-devices
&category=...&month=2012-03&q=...&lang=...``). What names no entity is a page of its own
already (the board, a category, a month, a search), so the browse page sends there when no
known entity is left; unknown slugs, repeats and entities past ``facets.MAX_SELECTED`` are
left out. Every address here has a query string: it is never stored, and asks not to be
indexed (its filters' pages are).
"""

import dataclasses
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsbrief.briefs import dates
from newsbrief.briefs import views as board
from newsbrief.briefs.models import Brief, Category, reader_language

from . import facets as read
from .templatetags.facets import browse_url, presented


def _first(request, name: str) -> str:
    values = request.GET.getlist(name)
    return values[0] if values and isinstance(values[0], str) else ""


def browse(request):
    _briefs, shown = board._shown(request)
    slug = _first(request, "category")
    category = Category.objects.filter(slug=slug).first() if 0 < len(slug) <= 200 else None
    listing = read.Listing(
        board=request.board,
        languages=shown["languages"],
        now=timezone.now(),
        category=category,
        month=read.parse_month(_first(request, "month")),
        query=_first(request, "q").strip()[:500],
        selected=read.selected_entities(request.GET.getlist("e")[: read.MAX_SELECTED * 4]),
    )
    if listing.query:
        listing.search_filters = read.search_filters(request.GET.getlist)
    if not listing.selected:
        return redirect(_unfiltered(listing, shown["lang_query"]))
    lang = shown["lang_filter"]
    ids = listing.ids()
    context = {
        "section": "index",
        "listing": listing,
        "facets": presented(listing, lang),
        "filters": _filters(listing, lang),
        "heading": _("Briefs naming %(names)s")
        % {"names": " + ".join(e.name_for(reader_language()) for e in listing.selected)},
    }
    briefs = Brief.objects.filter(pk__in=ids)
    return board._listing(request, briefs, shown, "entities/browse.html", context, ids=ids)


def _unfiltered(listing: read.Listing, lang_query: str) -> str:
    """The page of the listing's scope without entities."""
    if listing.query:
        params = {"q": listing.query}
        if listing.category is not None:
            params["category"] = listing.category.slug
        params.update((name, str(value)) for name, value in listing.search_filters.items())
        return reverse("search:results") + "?" + urlencode(params)
    if listing.category is not None and listing.month is None:
        return reverse("briefs:category", args=[listing.category.slug]) + lang_query
    if listing.month is not None and listing.category is None:
        month = listing.month
        return reverse("briefs:archive_month", args=[month.year, month.month]) + lang_query
    return reverse("briefs:index") + lang_query


def _filters(listing: read.Listing, lang: str) -> list[dict]:
    """The filters in force, each named (``label``) with the address without it."""
    slugs = [e.slug for e in listing.selected]
    language = reader_language()

    def without(**changes) -> str:
        return browse_url(dataclasses.replace(listing, **changes), lang, slugs)

    filters = [
        {
            "label": e.name_for(language),
            "remove_url": browse_url(listing, lang, [s for s in slugs if s != e.slug]),
        }
        for e in listing.selected
    ]
    if listing.category is not None:
        name = listing.category.name_for(language)
        label = _("Category: %(name)s") % {"name": name}
        filters.append({"label": label, "remove_url": without(category=None)})
    if listing.month is not None:
        month = dates.format_month(listing.month.year, listing.month.month, get_language())
        filters.append({"label": month, "remove_url": without(month=None)})
    if listing.query:
        label = _("Search: %(query)s") % {"query": listing.query}
        filters.append({"label": label, "remove_url": without(query="", search_filters={})})
    return filters
