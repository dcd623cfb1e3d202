"""What the reader's listings keep beside the briefs, so that no page counts or joins the
archive: each tag's copy of its brief's listing fields, and the number of published briefs per
category, per month and per category and month (``CategoryCount``, ``MonthCount``,
``CategoryMonthCount``: a category's timeline).

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

from .models import Brief, BriefTag, CategoryCount, CategoryMonthCount, MonthCount

PUBLISHED = Brief.Status.PUBLISHED
#: The brief fields a tag keeps a copy of.
COPIED = ("board_id", "language", "status", "published_at")


def month_of(moment: dt.datetime) -> dt.date:
    """The month a publication time files under: in the board's zone, not the reader's."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def copied(brief: Brief) -> dict:
    return {name: getattr(brief, name) for name in COPIED}


def footprint(brief: Brief | None, categories=None) -> frozenset:
    """The counts ``brief`` adds one to: its month's, each of its categories' (ids, or its
    tags' as stored when not given) and each category's in its month, none unless published."""
    if brief is None or brief.status != PUBLISHED or brief.published_at is None:
        return frozenset()
    if categories is None:
        categories = BriefTag.objects.filter(brief=brief).values_list("category_id", flat=True)
    key, month = (brief.board_id, brief.language), month_of(brief.published_at)
    return frozenset(
        [(MonthCount, *key, month)]
        + [(CategoryCount, *key, category) for category in categories]
        + [(CategoryMonthCount, *key, (category, month)) for category in categories]
    )


#: Each count's key fields, after the board and language.
KEYS = {
    MonthCount: ("month",),
    CategoryCount: ("category_id",),
    CategoryMonthCount: ("category_id", "month"),
}


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


#: Counts per upsert statement (six values a row at most, well under SQLite's limit).
UPSERT_ROWS = 500


def increment(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Add each row's last value to the ``count`` at its key (the other values, in
    ``columns``, which a unique constraint covers), inserting the counts not there yet: one
    upsert per ``UPSERT_ROWS`` rows. Kept counts everywhere (these, the entities') add so."""
    names = ", ".join(columns)
    marks = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    for start in range(0, len(rows), UPSERT_ROWS):
        chunk = rows[start : start + UPSERT_ROWS]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({names}, count) VALUES "
                + ", ".join([marks] * len(chunk))
                + f" ON CONFLICT ({names}) DO UPDATE SET count = {table}.count + excluded.count",
                [value for row in chunk for value in row],
            )


def add(changes: collections.Counter) -> None:
    """Add ``changes`` ({count key: n}) to the counts: an upsert per table and
    ``UPSERT_ROWS`` keys, so that a batch of saves adds its hundreds of changes at once."""
    # In one order (by table, then key, ascending), so that two saves at once on PostgreSQL
    # lock the rows they share in the same order and never deadlock.
    rows = sorted(
        ((key, n) for key, n in changes.items() if n),
        key=lambda item: (item[0][0].__name__, item[0][1:]),
    )
    for model, names in KEYS.items():
        fields = [model._meta.get_field(name) for name in names]
        mine = []
        for (kind, board, language, key), n in rows:
            if kind is model:
                parts = key if isinstance(key, tuple) else (key,)
                prepared = [
                    f.get_db_prep_value(v, connection) for f, v in zip(fields, parts, strict=True)
                ]
                mine.append((board, language, *prepared, n))
        columns = ["board_id", "language", *(f.column for f in fields)]
        increment(model._meta.db_table, columns, mine)


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


def category_month_counts(board, languages: list[str], category, now: dt.datetime):
    """(month, published briefs of ``category`` in ``languages`` due by ``now``), oldest
    month first: the category's timeline."""
    counts = collections.Counter(
        dict(
            CategoryMonthCount.objects.filter(
                category=category, board=board, language__in=languages
            )
            .values("month")
            .annotate(n=Sum("count"))
            .values_list("month", "n")
        )
    )
    later = _due_later(board, languages, now).filter(brief_tags__category=category)
    counts.subtract(month_of(at) for at in later.values_list("published_at", flat=True))
    return sorted((m, n) for m, n in counts.items() if n > 0)


# -- from scratch ----------------------------------------------------------------------------


def recount(apps=installed_apps) -> int:
    """Copy every brief's listing fields to its tags and count again from the briefs, all in
    set-based statements; how many counts were wrong or missing (0: what was kept agreed).
    ``apps``: a migration's historical models."""
    brief_model = apps.get_model("briefs", "Brief")
    tag_model = apps.get_model("briefs", "BriefTag")
    category_model = apps.get_model("briefs", "CategoryCount")
    month_model = apps.get_model("briefs", "MonthCount")
    try:
        category_month_model = apps.get_model("briefs", "CategoryMonthCount")
    except LookupError:  # a migration from before it (0008): the one that adds it fills it
        category_month_model = None
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
    by_category_month = collections.Counter()
    for b, lang, c, m, n in (
        tag_model.objects.filter(brief__in=published.values("pk"))
        .annotate(month=TruncMonth("brief__published_at", tzinfo=tz))
        .values_list("brief__board", "brief__language", "category", "month")
        .annotate(n=Count("pk"))
        if category_month_model else ()
    ):  # fmt: skip
        by_category_month[(b, lang, (c, month_of(m)))] += n
    fresh = {
        category_model: {(b, lang, (c,)): n for b, lang, c, n in by_category},
        month_model: {(b, lang, (month_of(m),)): n for b, lang, m, n in by_month},
    }
    if category_month_model:
        fresh[category_month_model] = dict(by_category_month)
    names = {model: KEYS[current] for model, current in (
        (category_model, CategoryCount), (month_model, MonthCount),
        (category_month_model, CategoryMonthCount),
    )}  # fmt: skip
    wrong = 0
    for model, counts in fresh.items():
        fields = names[model]
        kept = {
            (b, lang, tuple(k)): n
            for b, lang, *k, n in model.objects.values_list("board", "language", *fields, "count")
        }
        wrong += sum(kept.get(k, 0) != n for k, n in counts.items())
        wrong += sum(n != 0 for k, n in kept.items() if k not in counts)
        model.objects.all().delete()
        model.objects.bulk_create(
            model(board_id=b, language=lang, **dict(zip(fields, k, strict=True)), count=n)
            for (b, lang, k), n in counts.items()
        )
    return wrong
