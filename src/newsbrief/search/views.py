"""The results page: ranked briefs with their matching passages, a notice when they have
only most of the words, counts by language, category and year to narrow by, and each hit's
other-language versions; in pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsbrief import charts
from newsbrief.accounts.rates import limit
from newsbrief.briefs.models import LANGUAGE_CHOICES, Category, reader_language

from .backends import get_backend
from .forms import SearchForm

#: Each language's name in itself, for the links to a hit's other versions.
ENDONYMS = {"en": "English", "zh-hant": "中文"}
#: The most categories the page lists to narrow by (the form's list has them all).
MAX_CATEGORIES = 10


class _Results:
    """What the paginator pages through: each page is one backend query for that page; the
    first also counts the matches by language, category and year."""

    def __init__(self, query: str, filters: dict):
        self.query, self.filters = query, filters
        self.total = None
        self.first = None
        self.complete = None
        self.facets: dict = {}

    def _fetch(self, offset: int, limit: int, facets: bool = False):
        results = get_backend().search(
            self.query, offset=offset, limit=limit, facets=facets, **self.filters
        )
        self.total = results.total
        if facets:
            self.complete, self.facets = results.complete, results.facets
        return results.hits

    def count(self) -> int:
        if self.total is None:
            self.first = self._fetch(0, settings.NEWSBRIEF_PAGE_SIZE, facets=True)
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice):
        start, stop = window.start or 0, window.stop
        if stop <= start:
            return []
        if start == 0 and self.first is not None and stop <= settings.NEWSBRIEF_PAGE_SIZE:
            return self.first[:stop]
        return self._fetch(start, stop - start)


def grouped(hits) -> list:
    """The hits with those that are another version of a hit above them left out: they
    show as that hit's "also in" link."""
    shown, seen = [], set()
    for hit in hits:
        if hit.brief_id in seen:
            continue
        shown.append(hit)
        seen.add(hit.brief_id)
        seen.update(v.pk for v in hit.versions)
    return shown


def _url(params, **changes) -> str:
    """The page's address with ``changes`` (``None`` removes a key), back on page 1."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()


def facet_lists(form, params, facets: dict, language: str) -> list[dict]:
    """``[{"name", "label", "values": [{"label", "count", "url", "active", "lang"}],
    "remove_url"}]``: the counts as links that set the filter and keep the rest."""
    if not facets:
        return []
    lists = []
    names = dict(LANGUAGE_CHOICES)
    active = form.value("lang")
    lists.append(
        {
            "name": "lang",
            "label": _("Language"),
            "values": [
                {
                    "label": names.get(code, code),
                    "count": count,
                    "active": code == active,
                    "url": _url(params, lang=code),
                }
                for code, count in facets.get("language", [])
            ],
            "remove_url": _url(params, lang=None) if active else None,
        }
    )
    counts = list(facets.get("category", []))
    active = form.value("category")
    shown = counts[:MAX_CATEGORIES] + [
        (slug, n) for slug, n in counts[MAX_CATEGORIES:] if slug == active
    ]
    categories = Category.objects.in_bulk([slug for slug, _n in shown], field_name="slug")
    lists.append(
        {
            "name": "category",
            "label": _("Category"),
            "values": [
                {
                    "label": categories[slug].name_for(language) if slug in categories else slug,
                    "count": count,
                    "active": slug == active,
                    "url": _url(params, category=slug),
                }
                for slug, count in shown
            ],
            "remove_url": _url(params, category=None) if active else None,
        }
    )
    date_from, date_to = form.value("date_from"), form.value("date_to")
    active = None
    whole_year = date_from and date_to and date_from.year == date_to.year
    if whole_year and (date_from.month, date_from.day, date_to.month, date_to.day) == (
        1,
        1,
        12,
        31,
    ):
        active = str(date_from.year)
    years = sorted(facets.get("year", []), key=lambda item: item[0], reverse=True)
    lists.append(
        {
            "name": "year",
            "label": _("Year"),
            "values": [
                {
                    "label": year,
                    "count": count,
                    "active": year == active,
                    "url": _url(params, date_from=f"{year}-01-01", date_to=f"{year}-12-31"),
                }
                for year, count in years
            ],
            "remove_url": _url(params, date_from=None, date_to=None) if active else None,
        }
    )
    return [facet for facet in lists if facet["values"]]


def _timeline(results: _Results):
    """The matches per year, from the counts by year the first page's query makes: every
    match is counted (``results.total``), not only the page's."""
    years = dict((int(year), n) for year, n in results.facets.get("year", []))
    if not years:
        return None
    points = [(str(y), str(y), years.get(y, 0)) for y in range(min(years), max(years) + 1)]
    title = ngettext(
        "The %(count)s matching brief, per year",
        "The %(count)s matching briefs, per year",
        results.total,
    ) % {"count": results.total}
    return charts.bars(
        points,
        chart_id="search-years",
        title=title,
        label_heading=_("Year"),
        value_heading=_("Briefs"),
        height=120,
    )


@limit("NEWSBRIEF_THROTTLE_SEARCH")
def search_results(request):
    language = reader_language()
    form = SearchForm(request.GET or None, language=language)
    context = {"form": form, "section": "search", "query": form.query, "searched": False}
    if form.is_bound:
        form.is_valid()  # fills errors; filters that fail are left out
    if form.query:
        filters = {
            "language": form.value("lang"),
            "categories": [form.value("category")] if form.value("category") else [],
            "author": form.value("author"),
            "date_from": form.value("date_from"),
            "date_to": form.value("date_to"),
        }
        results = _Results(form.query, filters)
        page = Paginator(results, settings.NEWSBRIEF_PAGE_SIZE).get_page(request.GET.get("page"))
        hits = grouped(page.object_list)
        for hit in hits:
            hit.also_in = [
                {
                    "version": v,
                    "language": v.language,
                    "name": format_html(
                        '<span lang="{}">{}</span>', v.language, ENDONYMS.get(v.language, "")
                    ),
                }
                for v in hit.versions
            ]
        context.update(
            searched=True,
            page=page,
            hits=hits,
            complete=results.complete,
            relaxed=results.complete is not None,
            facets=facet_lists(form, request.GET, results.facets, language),
            timeline=_timeline(results),
            filtered=form.filtered,
            unfiltered_url="?" + urlencode({"q": form.query}),
        )
    return render(request, "search/results.html", context)
