"""What the reader's listings keep beside the briefs, so that no page counts or joins the
archive: each tag's copy of its brief's listing fields, and the number of published briefs per
category and per month (``CategoryCount``, ``MonthCount``).

``publishing`` calls ``footprint`` before a change and ``follow`` after it, in the change's
transaction; a delete subtracts in ``pre_delete`` (every path: the actions, the admin, a
queryset). Scheduled briefs (published, due later) are counted from the start and subtracted
by the pages until due, so nothing has to run when their time comes. ``recount`` rebuilds all
of it from the briefs, set-based (the migration that added it, ``newsbrief recount``).
"""

from __future__ import annotations

import collections
import datetime as dt

from django.apps import apps as installed_apps
from django.db import connection
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import Brief, BriefTag, CategoryCount, MonthCount

PUBLISHED = Brief.Status.PUBLISHED
#: The brief fields a tag keeps a copy of.
COPIED = ("board_id", "language", "status", "published_at")


def month_of(moment: dt.datetime) -> dt.date:
    """The month a publication time files under: in the board's zone, not the reader's."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def copied(brief: Brief) -> dict:
    return {name: getattr(brief, name) for name in COPIED}


def footprint(brief: Brief | None, categories=None) -> frozenset:
    """The counts ``brief`` adds one to: its month's and each of its categories' (ids, or its
    tags' as stored when not given), none unless published."""
    if brief is None or brief.status != PUBLISHED or brief.published_at is None:
        return frozenset()
    if categories is None:
        categories = BriefTag.objects.filter(brief=brief).values_list("category_id", flat=True)
    key = (brief.board_id, brief.language)
    return frozenset(
        [(MonthCount, *key, month_of(brief.published_at))]
        + [(CategoryCount, *key, category) for category in categories]
    )


def follow(
    brief: Brief,
    before: frozenset,
    *,
    tags_copied: bool = False,
    categories=None,
    into: collections.Counter | None = None,
) -> None:
    """After a change of ``brief`` (its row and tags written): its tags' copies (unless written
    with them, ``tags_copied``) and the counts follow it from ``before`` (or the changes are
    added ``into`` a counter, for ``add`` once for a batch of changes). ``categories``: the
    ids of the tags just written, when the caller has them."""
    if not tags_copied:
        BriefTag.objects.filter(brief=brief).update(**copied(brief))
    changes = collections.Counter(footprint(brief, categories))
    changes.subtract(before)
    if into is None:
        add(changes)
    else:
        into.update(changes)


#: Counts per upsert statement (four values a row, well under SQLite's variable limit).
UPSERT_ROWS = 500


def add(changes: collections.Counter) -> None:
    """Add ``changes`` ({count key: n}) to the counts: an upsert per table and
    ``UPSERT_ROWS`` keys, so that a batch of saves adds its hundreds of changes at once."""
    # In one order (categories, then months, each ascending), so that two saves at once on
    # PostgreSQL lock the rows they share in the same order and never deadlock.
    rows = sorted(
        ((key, n) for key, n in changes.items() if n),
        key=lambda item: (item[0][0].__name__, item[0][1:]),
    )
    for model in (CategoryCount, MonthCount):
        field = model._meta.get_field("month" if model is MonthCount else "category")
        mine = [(board, language, field.get_db_prep_value(key, connection), n)
                for (kind, board, language, key), n in rows if kind is model]  # fmt: skip
        table, column = model._meta.db_table, field.column
        for start in range(0, len(mine), UPSERT_ROWS):
            chunk = mine[start : start + UPSERT_ROWS]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (board_id, language, {column}, count) VALUES "
                    + ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
                    + f" ON CONFLICT (board_id, language, {column}) "
                    f"DO UPDATE SET count = {table}.count + excluded.count",
                    [value for row in chunk for value in row],
                )


@receiver(pre_delete, sender=Brief, dispatch_uid="listing-brief-deleted")
def _deleted(sender, instance: Brief, **kwargs) -> None:
    add(collections.Counter(dict.fromkeys(footprint(instance), -1)))


# -- the pages' side -------------------------------------------------------------------------


def _due_later(board, languages: list[str], now: dt.datetime):
    """Published briefs not yet due: few, and found by the listing index."""
    return Brief.objects.filter(
        board=board, language__in=languages, status=PUBLISHED, published_at__gt=now
    )


def category_counts(board, languages: list[str], now: dt.datetime) -> dict[int, int]:
    """{category id: published briefs in ``languages`` due by ``now``}, categories with none
    left out."""
    counts = collections.Counter(
        dict(
            CategoryCount.objects.filter(board=board, language__in=languages)
            .values("category")
            .annotate(n=Sum("count"))
            .values_list("category", "n")
        )
    )
    later = _due_later(board, languages, now).values("pk")
    counts.subtract(BriefTag.objects.filter(brief__in=later).values_list("category_id", flat=True))
    return {category: n for category, n in counts.items() if n > 0}


def month_counts(board, languages: list[str], now: dt.datetime) -> list[tuple[dt.date, int]]:
    """(month, published briefs in ``languages`` due by ``now``), newest month first."""
    counts = collections.Counter(
        dict(
            MonthCount.objects.filter(board=board, language__in=languages)
            .values("month")
            .annotate(n=Sum("count"))
            .values_list("month", "n")
        )
    )
    later = _due_later(board, languages, now).values_list("published_at", flat=True)
    counts.subtract(month_of(at) for at in later)
    return sorted(((m, n) for m, n in counts.items() if n > 0), reverse=True)


# -- from scratch ----------------------------------------------------------------------------


def recount(apps=installed_apps) -> int:
    """Copy every brief's listing fields to its tags and count again from the briefs, all in
    set-based statements; how many counts were wrong or missing (0: what was kept agreed).
    ``apps``: a migration's historical models."""
    brief_model = apps.get_model("briefs", "Brief")
    tag_model = apps.get_model("briefs", "BriefTag")
    category_model = apps.get_model("briefs", "CategoryCount")
    month_model = apps.get_model("briefs", "MonthCount")
    fields = {n.removesuffix("_id"): n for n in COPIED}
    row = brief_model.objects.filter(pk=OuterRef("brief_id"))
    tag_model.objects.update(**{n: Subquery(row.values(f)[:1]) for n, f in fields.items()})

    published = brief_model.objects.filter(status=PUBLISHED, published_at__isnull=False)
    by_category = (
        tag_model.objects.filter(brief__in=published.values("pk"))
        .values_list("brief__board", "brief__language", "category")
        .annotate(n=Count("pk"))
    )
    tz = timezone.get_default_timezone()
    by_month = (
        published.annotate(month=TruncMonth("published_at", tzinfo=tz))
        .values_list("board", "language", "month")
        .annotate(n=Count("pk"))
    )
    fresh = {
        category_model: {(b, lang, c): n for b, lang, c, n in by_category},
        month_model: {(b, lang, month_of(m)): n for b, lang, m, n in by_month},
    }
    wrong = 0
    for model, counts in fresh.items():
        field = "month" if model is month_model else "category_id"
        kept = {
            (b, lang, k): n
            for b, lang, k, n in model.objects.values_list("board", "language", field, "count")
        }
        wrong += sum(kept.get(k, 0) != n for k, n in counts.items())
        wrong += sum(n != 0 for k, n in kept.items() if k not in counts)
        model.objects.all().delete()
        model.objects.bulk_create(
            model(board_id=b, language=lang, **{field: k}, count=n)
            for (b, lang, k), n in counts.items()
        )
    return wrong
