"""The reader's pages: the board, a brief, categories and the monthly archive."""

import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from .models import LANGUAGE_CHOICES, Brief, Category, RelatedLink


def _language_filter(request) -> str:
    """Which briefs a listing shows: ``?lang=en|zh-hant|all``, by default the reader's."""
    choice = request.GET.get("lang")
    if choice in {code for code, _ in LANGUAGE_CHOICES} | {"all"}:
        return choice
    return "zh-hant" if get_language().startswith("zh") else "en"


def _listing(request, briefs, template: str, context: dict):
    lang = _language_filter(request)
    if lang != "all":
        briefs = briefs.filter(language=lang)
    page = Paginator(briefs.for_listing(), settings.NEWSBRIEF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context |= {
        "page": page,
        "briefs": page.object_list,
        "lang_filter": lang,
        "language_choices": [*LANGUAGE_CHOICES, ("all", None)],
    }
    return render(request, template, context)


def _published(request):
    board = request.board
    if not board:
        return Brief.objects.none()
    return Brief.objects.published().filter(board=board)


def board_index(request):
    return _listing(request, _published(request), "briefs/board_index.html", {"section": "index"})


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
    return render(
        request,
        "briefs/brief_detail.html",
        {
            "brief": brief,
            "versions": list(brief.other_versions()),
            "trail": brief.latest_revision(),
            "later": _published(request).filter(related_links__target=brief).distinct(),
        },
    )


def category_list(request):
    categories = Category.objects.filter(briefs__in=_published(request)).annotate(
        count=Count("briefs")
    )
    zh = get_language().startswith("zh")
    ordered = sorted(categories, key=lambda c: c.name_for("zh-hant" if zh else "en").casefold())
    return render(
        request, "briefs/category_list.html", {"categories": ordered, "section": "categories"}
    )


def category_detail(request, slug: str):
    category = get_object_or_404(Category, slug=slug)
    return _listing(
        request,
        _published(request).filter(brief_tags__category=category),
        "briefs/category_detail.html",
        {"category": category, "section": "categories"},
    )


def archive_index(request):
    months = (
        _published(request)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    return render(request, "briefs/archive_index.html", {"months": months, "section": "archive"})


def archive_month(request, year: int, month: int):
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        raise Http404("no such month")
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    briefs = _published(request).filter(published_at__gte=start, published_at__lt=end)
    return _listing(
        request, briefs, "briefs/archive_month.html", {"month": start, "section": "archive"}
    )
