"""Previous and next: the briefs either side of one in its listing, the months either side of
a month in the archive. Shared by the reader's pages and by the stored pages' dependencies
(a brief's neighbours show its title, a month's neighbours link to it).

Each is one walk of a listing index (``board, language, status, -published_at``) from a
publication time, stopping at the first row: no count, no offset."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Brief


def newer_and_older(briefs, brief: Brief) -> tuple[Brief | None, Brief | None]:
    """The briefs just before and just after ``brief`` in the listing order of ``briefs``
    (newest first, ties by number, as ``Brief.Meta.ordering``)."""
    at, pk = brief.published_at, brief.pk
    if at is None:
        return None, None
    briefs = briefs.only("pk", "title", "language", "published_at")
    newer = briefs.filter(published_at__gte=at).exclude(published_at=at, pk__lte=pk)
    older = briefs.filter(published_at__lte=at).exclude(published_at=at, pk__gte=pk)
    return (
        newer.order_by("published_at", "pk").first(),
        older.order_by("-published_at", "-pk").first(),
    )


def month_start(moment: dt.datetime) -> dt.datetime:
    """The first instant of the board-time month ``moment`` falls in."""
    local = timezone.localtime(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(start: dt.datetime) -> dt.datetime:
    year, month = start.year + start.month // 12, start.month % 12 + 1
    return start.replace(year=year, month=month)


def earlier_and_later_months(
    briefs, start: dt.datetime, end: dt.datetime
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The starts of the nearest earlier and later months than ``[start, end)`` that hold
    one of ``briefs``."""
    times = briefs.order_by().values_list("published_at", flat=True)
    before = times.filter(published_at__lt=start).order_by("-published_at").first()
    after = times.filter(published_at__gte=end).order_by("published_at").first()
    return (
        month_start(before) if before else None,
        month_start(after) if after else None,
    )
