"""The results page: ranked briefs with their matching passages, filters and pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language

from .backends import get_backend
from .forms import SearchForm


class _Results:
    """What the paginator pages through: each page is one backend query for that page."""

    def __init__(self, query: str, filters: dict):
        self.query, self.filters = query, filters
        self.total = None
        self.first = None

    def _fetch(self, offset: int, limit: int):
        results = get_backend().search(self.query, offset=offset, limit=limit, **self.filters)
        self.total = results.total
        return results.hits

    def count(self) -> int:
        if self.total is None:
            self.first = self._fetch(0, settings.NEWSBRIEF_PAGE_SIZE)
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


def search_results(request):
    language = "zh-hant" if get_language().startswith("zh") else "en"
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
        page = Paginator(_Results(form.query, filters), settings.NEWSBRIEF_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(
            searched=True,
            page=page,
            hits=page.object_list,
            filtered=form.filtered,
            unfiltered_url="?" + urlencode({"q": form.query}),
        )
    return render(request, "search/results.html", context)
