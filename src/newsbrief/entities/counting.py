"""The counts kept for facets and timelines, so that no page counts the archive.

A brief's *footprint* is the set of ``EntityCount`` keys it adds one to: for each entity it
shows (``shown``), the board's count, each category's, its month's, and each other entity's
it appears with; for each pair of countries, their year's and their fields'. ``Counted`` keeps
the inputs it was last counted with, so ``follow`` subtracts exactly what was added before and
adds the new footprint, under that row's lock. Every path that changes a brief sends
``brief_saved`` after commit, which ``receivers`` follow; an entity decision follows itself;
a delete subtracts in ``pre_delete``. Scheduled briefs count from the start and are taken off
by the read side until due, as the listing counts are.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from newsbrief.briefs.listing import increment, month_of
from newsbrief.briefs.models import Brief, BriefTag

from .models import BriefEntity, Counted, Entity, EntityCount
from .signals import counts_changed

PUBLISHED = Brief.Status.PUBLISHED
COUNTRY = Entity.Kind.COUNTRY
FIELD = Entity.Kind.FIELD


def min_confidence() -> float:
    return settings.NEWSBRIEF_ENTITY_MIN_CONFIDENCE


def shown_filter() -> Q:
    """The brief's entities readers see: what an editor confirmed or added, and proposals at
    least ``NEWSBRIEF_ENTITY_MIN_CONFIDENCE`` sure."""
    decided = Q(decision__in=[BriefEntity.Decision.CONFIRMED, BriefEntity.Decision.ADDED])
    proposed = Q(decision=BriefEntity.Decision.PROPOSED, confidence__gte=min_confidence())
    return decided | proposed


def month_scope(month: dt.date) -> str:
    return f"m{month:%Y-%m}"


def category_scope(category_id: int) -> str:
    return f"c{category_id}"


def with_scope(entity_id: int) -> str:
    return f"e{entity_id}"


def pair_year_scope(country_id: int, year: int) -> str:
    return f"e{country_id}y{year}"


def pair_fields_scope(country_id: int, other_id: int) -> str:
    return f"e{country_id}e{other_id}"


@dataclasses.dataclass(frozen=True)
class Inputs:
    board_id: int
    language: str
    month: dt.date | None
    published_at: dt.datetime | None
    categories: tuple[int, ...]
    entities: tuple[tuple[int, str], ...]  # (id, kind)

    def keys(self) -> Iterator[tuple[int, str, str, int]]:
        """The footprint: (board, language, scope, entity) keys, none unless published."""
        if self.month is None:
            return
        board, language = self.board_id, self.language
        scopes = ["", month_scope(self.month), *map(category_scope, self.categories)]
        for entity, _kind in self.entities:
            for scope in scopes:
                yield board, language, scope, entity
        for (a, kind_a), (b, kind_b) in itertools.permutations(self.entities, 2):
            yield board, language, with_scope(a), b
            if kind_a == COUNTRY and kind_b == COUNTRY:
                yield board, language, pair_year_scope(a, self.month.year), b
                for field, kind in self.entities:
                    if kind == FIELD:
                        yield board, language, pair_fields_scope(a, b), field


def _stored(row: Counted | None) -> Inputs | None:
    if row is None:
        return None
    return Inputs(
        row.board_id, row.language, row.month, row.published_at,
        tuple(row.categories), tuple(tuple(e) for e in row.entities),
    )  # fmt: skip


def _current(briefs: list[Brief]) -> dict[int, Inputs]:
    ids = [b.pk for b in briefs]
    categories = collections.defaultdict(list)
    for brief_id, category in (
        BriefTag.objects.filter(brief_id__in=ids).order_by("category_id")
        .values_list("brief_id", "category_id")
    ):  # fmt: skip
        categories[brief_id].append(category)
    entities = collections.defaultdict(list)
    for brief_id, entity, kind in (
        BriefEntity.objects.filter(shown_filter(), brief_id__in=ids)
        .order_by("entity_id").values_list("brief_id", "entity_id", "entity__kind")
    ):  # fmt: skip
        entities[brief_id].append((entity, kind))
    result = {}
    for brief in briefs:
        published = brief.status == PUBLISHED and brief.published_at is not None
        result[brief.pk] = Inputs(
            brief.board_id,
            brief.language,
            month_of(brief.published_at) if published else None,
            brief.published_at if published else None,
            tuple(categories[brief.pk]),
            tuple(entities[brief.pk]),
        )
    return result


def follow(brief: Brief) -> None:
    follow_many([brief.pk])


def follow_many(brief_ids: Iterable[int]) -> int:
    """Bring the counts, ``Counted`` and the entity rows' listing copies in step with the
    briefs as they are now, in one transaction; briefs gone are skipped. Returns the number
    of briefs whose footprint changed."""
    ids = sorted(set(brief_ids))
    if not ids:
        return 0
    with transaction.atomic():
        stored = {
            row.brief_id: row
            for row in Counted.objects.select_for_update().filter(brief_id__in=ids)
        }
        briefs = list(Brief.objects.filter(pk__in=ids).order_by("pk"))
        current = _current(briefs)
        delta: collections.Counter = collections.Counter()
        changed, fresh, stale, copied = 0, [], [], []
        uncopied = set(
            BriefEntity.objects.filter(brief_id__in=ids, board__isnull=True)
            .values_list("brief_id", flat=True)
        )  # fmt: skip
        for brief in briefs:
            new, old = current[brief.pk], _stored(stored.get(brief.pk))
            if new == old:
                if brief.pk in uncopied:
                    copied.append(brief.pk)
                continue
            changed += 1
            delta.update(new.keys())
            if old is not None:
                delta.subtract(old.keys())
                stale.append(brief.pk)
            fresh.append(
                Counted(
                    brief_id=brief.pk, board_id=new.board_id, language=new.language,
                    month=new.month, published_at=new.published_at,
                    categories=list(new.categories), entities=[list(e) for e in new.entities],
                )
            )  # fmt: skip
            copied.append(brief.pk)
        _copy(copied)
        Counted.objects.filter(brief_id__in=stale).delete()
        Counted.objects.bulk_create(fresh)
        add(delta)
        if fresh:
            briefs_done = [row.brief_id for row in fresh]
            named = {e for row in fresh for e, _kind in row.entities}
            named |= {e for row in stored.values() for e, _kind in row.entities}
            transaction.on_commit(
                lambda: counts_changed.send(
                    sender=Counted, brief_ids=briefs_done, entity_ids=named
                ),
                robust=True,
            )
    return changed


def _copy(brief_ids: list[int]) -> None:
    """The briefs' listing fields onto their entity rows: one statement for them all."""
    if not brief_ids:
        return
    own = Brief.objects.filter(pk=OuterRef("brief_id"))
    BriefEntity.objects.filter(brief_id__in=brief_ids).update(
        **{field: Subquery(own.values(field)[:1])
           for field in ("board_id", "language", "status", "published_at")}
    )  # fmt: skip


def add(delta: collections.Counter) -> None:
    """Add ``delta`` ({(board, language, scope, entity): n}) to the counts, in key order so
    that two writers on PostgreSQL lock shared rows in the same order."""
    rows = [(*key, n) for key, n in sorted(delta.items()) if n]
    columns = ["board_id", "language", "scope", "entity_id"]
    increment(EntityCount._meta.db_table, columns, rows)


@receiver(pre_delete, sender=Brief, dispatch_uid="entities-brief-deleted")
def _deleted(sender, instance: Brief, **kwargs) -> None:
    old = _stored(Counted.objects.filter(brief_id=instance.pk).first())
    if old is not None:
        delta = collections.Counter()
        delta.subtract(old.keys())
        add(delta)


def recount(batch: int = 2000, progress=None) -> int:
    """Rebuild every count from the briefs (a repair; after a restore). ``progress``: called
    with the number of briefs done after each batch."""
    with transaction.atomic():
        EntityCount.objects.all().delete()
        Counted.objects.all().delete()
    ids = list(Brief.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        follow_many(ids[start : start + batch])
        if progress:
            progress(min(batch, len(ids) - start))
    return len(ids)


# -- the pages' side -------------------------------------------------------------------------


def _due_later(board, languages: list[str], now: dt.datetime) -> collections.Counter:
    """The footprint of published briefs not yet due (few), to take off what is read."""
    later = collections.Counter()
    for row in Counted.objects.filter(board=board, language__in=languages, published_at__gt=now):
        later.update(_stored(row).keys())
    return later


def counts(board, languages: list[str], now: dt.datetime, *, scopes=None, prefix="", entity=None):
    """{(scope, entity id): published briefs due by ``now``} for ``scopes`` (or every scope
    that starts with ``prefix``; and one ``entity`` when given), summed over ``languages``,
    zeros left out."""
    rows = EntityCount.objects.filter(board=board, language__in=languages)
    if scopes is not None:
        rows = rows.filter(scope__in=scopes)
    elif prefix:  # a range, which an index serves on SQLite too (LIKE with ESCAPE is not)
        rows = rows.filter(scope__gte=prefix, scope__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
    if entity is not None:
        rows = rows.filter(entity=entity)
    result = collections.Counter(
        {
            (scope, e): n
            for scope, e, n in rows.values("scope", "entity")
            .annotate(n=Sum("count"))
            .values_list("scope", "entity", "n")
        }
    )
    entity_id = getattr(entity, "pk", entity)
    for (_b, _l, scope, e), n in _due_later(board, languages, now).items():
        wanted = scope in scopes if scopes is not None else scope.startswith(prefix)
        if wanted and (entity is None or e == entity_id):
            result[(scope, e)] -= n
    return {key: n for key, n in result.items() if n > 0}


def top(board, languages, scope: str, now, *, kind: str | None = None, limit: int = 10):
    """The ``limit`` entities most counted in ``scope`` (of ``kind``), as [(Entity, n)],
    most first, then by name."""
    found = counts(board, languages, now, scopes=[scope])
    entities = Entity.objects.in_bulk([e for _s, e in found])
    ranked = [
        (entities[e], n) for (_s, e), n in found.items()
        if e in entities and (kind is None or entities[e].kind == kind)
    ]  # fmt: skip
    ranked.sort(key=lambda item: (-item[1], item[0].name_en))
    return ranked[:limit]


def timeline(board, languages, entity, now) -> list[tuple[dt.date, int]]:
    """(month, briefs naming ``entity``), oldest first: its months' counts."""
    found = counts(board, languages, now, prefix="m", entity=entity)
    return sorted(
        (dt.date(int(scope[1:5]), int(scope[6:8]), 1), n) for (scope, _e), n in found.items()
    )
