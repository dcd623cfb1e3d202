"""The reader's pages: the board, a brief, categories and the monthly archive.

Listings show the briefs in the reader's language unless ``?lang=`` asks for another one or
for ``all``; the category and archive indexes show what their pages will, from the counts
``listing`` keeps (counting the archive takes seconds at a million briefs).
"""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from newsbrief import charts

from . import listing, neighbours
from .limits import YEARS
from .models import (
    LANGUAGE_CHOICES,
    Brief,
    BriefTag,
    Category,
    RelatedLink,
    SourceLink,
    reader_language,
)

LANGUAGE_FILTERS = [code for code, _ in LANGUAGE_CHOICES] + ["all"]


def _published(request):
    board = request.board
    if not board:
        return Brief.objects.none()
    return Brief.objects.published().filter(board=board)


def _shown(request) -> tuple:
    """The published briefs a listing shows, and the context its language filter needs."""
    default = reader_language()
    choice = request.GET.get("lang")
    lang = choice if choice in LANGUAGE_FILTERS else default
    briefs = _published(request)
    if lang != "all":
        briefs = briefs.filter(language=lang)
    context = {
        "languages": [code for code, _ in LANGUAGE_CHOICES] if lang == "all" else [lang],
        "lang_filter": lang,
        "language_filters": LANGUAGE_FILTERS,
        "lang_query": "" if lang == default else f"?lang={lang}",
    }
    return briefs, context


class ListingPage:
    """One page of a listing, found without counting the listing: a count walks every
    published brief of the language (seconds at a million briefs, on every render), and
    readers page by Newer / Older. Fetches one brief more than it shows to know whether an
    older page exists. Quacks like the paginator's page for ``_pagination.html``."""

    def __init__(self, briefs, number: int, size: int, ids=None):
        start = (number - 1) * size
        if ids is None:
            rows = list(briefs[start : start + size + 1])
        else:
            # By primary key alone: the ids are of listed briefs already, and with the
            # listing's filters SQLite walks the language's listing index instead.
            wanted = [row["brief_id"] for row in ids[start : start + size + 1]]
            found = briefs.model.objects.for_listing().in_bulk(wanted)
            rows = [found[pk] for pk in wanted if pk in found]
        self.number = number
        self.object_list = rows[:size]
        self._more = len(rows) > size

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _page_number(request) -> int:
    """``?page=``; one whose offset no database can count to (a 64-bit OFFSET) is a 404,
    before it is asked."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        return 1
    if number * (settings.NEWSBRIEF_PAGE_SIZE + 1) >= 2**63:
        raise Http404("no such page")
    return max(number, 1)


def _listing(request, briefs, shown: dict, template: str, context: dict, ids=None):
    """A page of ``briefs``, or (``ids``) of the briefs with these ids, in their order."""
    size = settings.NEWSBRIEF_PAGE_SIZE
    page = ListingPage(briefs.for_listing(), _page_number(request), size, ids=ids)
    if not page.object_list and page.number > 1:
        return _last_page(request, briefs, page.number, size)
    return render(request, template, {**context, **shown, "page": page, "briefs": page.object_list})


def _last_page(request, briefs, number: int, size: int):
    """A page past the end of a listing (an old bookmark, a listing that shrank) leads to its
    last page. The count stops at the requested page's offset, which the page's own query
    has just walked, so a far page costs no more than it did."""
    shown = briefs.order_by()[: (number - 1) * size].count()
    query = request.GET.copy()
    last = -(-shown // size)
    if last > 1:
        query["page"] = str(last)
    else:
        query.pop("page", None)
    return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def board_index(request):
    briefs, shown = _shown(request)
    return _listing(request, briefs, shown, "briefs/board_index.html", {"section": "index"})


def brief_detail(request, pk: int):
    related = RelatedLink.objects.select_related("target").prefetch_related(
        "target__brief_tags__category"
    )
    brief = get_object_or_404(
        _published(request)
        .select_related("author", "board")
        .prefetch_related(
            "brief_tags__category",
            "source_links",
            Prefetch("related_links", queryset=related),
        ),
        pk=pk,
    )
    # The citing briefs' ids first, by the link's target index: as a join or a subquery,
    # SQLite walks the whole archive by publication date instead.
    citing = list(RelatedLink.objects.filter(target=brief).values_list("brief_id", flat=True))
    later = _published(request).filter(pk__in=citing) if citing else Brief.objects.none()
    later = list(later.for_listing())
    related = _oldest_first(brief.related_links.all())
    versions = list(brief.other_versions().prefetch_related("source_links"))
    same_language = _published(request).filter(language=brief.language)
    newer, older = neighbours.newer_and_older(same_language, brief)
    return render(
        request,
        "briefs/brief_detail.html",
        {
            "brief": brief,
            "versions": versions,
            "related": related,
            "story": _story(brief, related, later),
            "further": _further_information(brief, versions),
            "trail": brief.latest_revision(),
            "later": later,
            "newer": newer,
            "older": older,
        },
    )


def _story(brief: Brief, related: list[RelatedLink], later: list[Brief]):
    """The brief among its related historical messages and the later ones that cite it, on
    one time axis (``charts.events``); None when it has neither."""
    earlier = [(_shown_date(link), link) for link in related]
    earlier = [
        charts.Event(day, link.target.title if _listed(link) else link.cited_title, "earlier")
        for day, link in earlier
        if day is not None
    ]
    after = [charts.Event(b.local_published_date, b.title, "later") for b in later]
    if not earlier and not after:
        return None
    own = charts.Event(brief.local_published_date, brief.title, "this")
    days = [e.date for e in (*earlier, own, *after)]
    described = ngettext(
        "%(earlier)s earlier message and %(later)s later, from %(first)s to %(last)s, as listed "
        "below.",
        "%(earlier)s earlier messages and %(later)s later, from %(first)s to %(last)s, as "
        "listed below.",
        len(earlier),
    ) % {
        "earlier": len(earlier),
        "later": len(after),
        "first": min(days).strftime("%Y/%m/%d"),
        "last": max(days).strftime("%Y/%m/%d"),
    }
    return charts.events(
        [*earlier, own, *after],
        chart_id="story",
        title=_("This brief's story in time"),
        description=described,
    )


def _listed(link: RelatedLink) -> bool:
    return link.target is not None and link.target.status == Brief.Status.PUBLISHED


def _shown_date(link: RelatedLink) -> dt.date | None:
    """The date the page prints for a related message: its brief's, or the cited one."""
    return link.target.local_published_date if _listed(link) else link.cited_date


def _oldest_first(links) -> list[RelatedLink]:
    """Related messages by date, as the seed page lists them (the ranking order is the
    desk's and the API's); undated ones last, in rank order."""
    return sorted(links, key=lambda link: (_shown_date(link) or dt.date.max, link.rank))


def _further_information(brief: Brief, versions: list[Brief]) -> list[SourceLink]:
    """The brief's sources, each with an address: one lost on import (the seed page's
    ``(#)``) is taken from a version that cites the same source (label and date)."""
    known = {(x.label, x.date): x.url for v in versions for x in v.source_links.all() if x.url}
    links = list(brief.source_links.all())
    for link in links:
        link.url = link.url or known.get((link.label, link.date), "")
    return links


def category_list(request):
    _, shown = _shown(request)
    counts = (
        listing.category_counts(request.board, shown["languages"], timezone.now())
        if request.board
        else {}
    )
    categories = Category.objects.filter(pk__in=counts)
    for category in categories:
        category.count = counts[category.pk]
    language = reader_language()
    ordered = sorted(categories, key=lambda c: c.name_for(language).casefold())
    context = {"categories": ordered, "section": "categories", **shown}
    return render(request, "briefs/category_list.html", context)


def category_detail(request, slug: str):
    category = get_object_or_404(Category, slug=slug)
    briefs, shown = _shown(request)
    # The page's ids from the category's own entries of the tags' listing index, in date
    # order: filtering the briefs by tag walks every brief of the language instead.
    tagged = BriefTag.objects.filter(
        category=category,
        board=request.board or None,
        language__in=shown["languages"],
        status=Brief.Status.PUBLISHED,
        published_at__lte=timezone.now(),
    ).order_by("-published_at", "-brief_id")
    name = category.name_for(get_language())
    counts = (
        listing.category_month_counts(request.board, shown["languages"], category, timezone.now())
        if request.board
        else []
    )
    timeline = charts.timeline(
        counts,
        get_language(),
        per_year=_("Briefs in %(name)s, per year") % {"name": name},
        per_month=_("Briefs in %(name)s, per month") % {"name": name},
        unit=lambda n: ngettext("%(count)s brief", "%(count)s briefs", n) % {"count": n},
    )
    context = {"category": category, "section": "categories", "timeline": timeline}
    template = "briefs/category_detail.html"
    return _listing(request, briefs, shown, template, context, ids=tagged.values("brief_id"))


def archive_index(request):
    _, shown = _shown(request)
    counts = (
        listing.month_counts(request.board, shown["languages"], timezone.now())
        if request.board
        else []
    )
    months = [{"month": month, "count": n} for month, n in counts]
    return render(
        request, "briefs/archive_index.html", {"months": months, "section": "archive", **shown}
    )


def archive_month(request, year: int, month: int):
    if not (1 <= month <= 12 and year in YEARS):
        raise Http404("no such month")
    start = dt.datetime(year, month, 1, tzinfo=timezone.get_current_timezone())
    end = neighbours.next_month_start(start)
    briefs, shown = _shown(request)
    earlier, later = neighbours.earlier_and_later_months(briefs, start, end)
    context = {"month": start, "section": "archive", "earlier": earlier, "later": later}
    briefs = briefs.filter(published_at__gte=start, published_at__lt=end)
    return _listing(request, briefs, shown, "briefs/archive_month.html", context)
