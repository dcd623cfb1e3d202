"""The facets of a listing: the countries, organizations and fields of the briefs it lists,
with counts, as filters that combine.

A ``Listing`` is the board, the reader's languages, and optionally a category, a month, a
search query and selected entities. With at most one narrowing (the board, a category, a
month, or one entity) the kept counts answer (``counting``: one indexed read). A combination
is counted over its briefs, walking the ``entity_listing`` index of its rarest selected
entity (or the category's tags, or the month's briefs) and checking the others per row:
exactly, up to its newest ``COUNTED_BRIEFS`` briefs found within ``WALKED`` rows, which the
page says when that is not all of them; never the archive. A search query counts its best
``SEARCH_FACET_HITS`` matches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone

from newsbrief.briefs import neighbours
from newsbrief.briefs.limits import YEARS
from newsbrief.briefs.models import Brief, BriefTag, Category

from . import counting
from .models import BriefEntity, Entity, EntityCount

KINDS = (Entity.Kind.COUNTRY, Entity.Kind.ORGANIZATION, Entity.Kind.FIELD)
#: The most entities one listing combines; more in an address are left out.
MAX_SELECTED = 4
#: The search matches whose entities a results page counts (the backend's most per query).
SEARCH_FACET_HITS = 1000
#: The newest briefs of a combination whose entities are counted: a combination of frequent
#: entities holds a good part of the archive, which no page can count.
COUNTED_BRIEFS = 500
#: The most rows of its rarest entity's index (or its category's) a combination walks to
#: find them: two entities seldom together would otherwise walk all of the rarer one's.
WALKED = 10_000
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
PUBLISHED = Brief.Status.PUBLISHED


SEARCH_FILTERS = ("author", "date_from", "date_to")


def search_filters(get) -> dict:
    """The search filters of a query string (``get``: its ``getlist``) that read: an author
    name, ISO dates."""
    found = {}
    author = (get("author") or [""])[0].strip()
    if 0 < len(author) <= 150:
        found["author"] = author
    for name in ("date_from", "date_to"):
        try:
            day = dt.date.fromisoformat((get(name) or [""])[0])
        except ValueError:
            continue
        if day.year in YEARS:
            found[name] = day
    return found


def parse_month(text: str | None) -> dt.date | None:
    """``2012-03`` as that month's first day, or None for anything else."""
    found = MONTH.fullmatch(text or "")
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if year not in YEARS or not 1 <= month <= 12:
        return None
    return dt.date(year, month, 1)


def selected_entities(slugs) -> list[Entity]:
    """The live entities the slugs name, in the order given, once each, at most
    ``MAX_SELECTED``; a merged entity's slug names the one it was merged into; unknown slugs
    are left out."""
    wanted = list(dict.fromkeys(s for s in slugs if isinstance(s, str) and 0 < len(s) <= 120))
    found = Entity.objects.select_related("merged_into").in_bulk(
        wanted[: MAX_SELECTED * 4], field_name="slug"
    )
    chosen: dict[int, Entity] = {}
    for slug in wanted:
        entity = found.get(slug)
        while entity is not None and entity.merged_into_id is not None:
            entity = entity.merged_into if entity.merged_into.merged_into_id is None else None
        if entity is not None and entity.pk not in chosen:
            chosen[entity.pk] = entity
    return list(chosen.values())[:MAX_SELECTED]


@dataclasses.dataclass
class Listing:
    board: object
    languages: list[str]
    now: dt.datetime
    category: Category | None = None
    month: dt.date | None = None
    query: str = ""
    selected: list[Entity] = dataclasses.field(default_factory=list)
    #: The search's other filters (``author``, ``date_from``, ``date_to``), with a query.
    search_filters: dict = dataclasses.field(default_factory=dict)

    @property
    def narrowings(self) -> int:
        return len(self.selected) + (self.category is not None) + (self.month is not None)

    @property
    def kept(self) -> bool:
        """Whether the kept counts answer: no query and one narrowing at most."""
        return not self.query and self.narrowings <= 1

    def _month_range(self) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(self.month, dt.time(), timezone.get_default_timezone())
        return start, neighbours.next_month_start(start)

    @functools.cached_property
    def search_ids(self) -> list[int]:
        """The best ``SEARCH_FACET_HITS`` matches of the query (search's public interface)."""
        from newsbrief.search.backends import get_backend

        language = self.languages[0] if len(self.languages) == 1 else None
        hits = get_backend().search_ids(
            self.query,
            limit=SEARCH_FACET_HITS,
            language=language,
            categories=(self.category.slug,) if self.category else (),
            now=self.now,
            **self.search_filters,
        )
        return [pk for pk, _score in hits]

    def lead(self):
        """The rows of the listing index the listing walks, newest first: its rarest selected
        entity's, else its category's tags; None when neither leads (the board, a month:
        see ``briefs``)."""
        if self.selected:
            rows = BriefEntity.objects.filter(counting.shown_filter(), entity=self._rarest_first[0])
        elif self.category is not None:
            rows = BriefTag.objects.filter(category=self.category)
        else:
            return None
        rows = rows.filter(
            board=self.board or None,
            language__in=self.languages,
            status=PUBLISHED,
            published_at__lte=self.now,
        )
        if self.month is not None:
            start, end = self._month_range()
            rows = rows.filter(published_at__gte=start, published_at__lt=end)
        return rows.order_by("-published_at", "-brief_id")

    def ids(self, window: int | None = None):
        """The listed briefs' ids (``brief_id``), newest first: the ``lead`` rows (only its
        newest ``window`` with one) whose briefs also name the other selected entities and
        are in the category, looked up per row by (brief, entity) and (brief, category): an
        IN list would read every row of a frequent entity before the first page."""
        lead = self.lead()
        if lead is None:
            return None
        rows = lead
        if window is not None:
            rows = rows.filter(pk__in=lead.values("pk")[:window])
        brief = OuterRef("brief_id")
        for entity in self._rarest_first[1:]:
            rows = rows.filter(Exists(_naming(entity).filter(brief_id=brief)))
        if self.selected and self.category is not None:
            tagged = BriefTag.objects.filter(category=self.category, brief_id=brief)
            rows = rows.filter(Exists(tagged))
        if self.query:
            rows = rows.filter(brief_id__in=self.search_ids)
        return rows.values("brief_id")

    @functools.cached_property
    def _rarest_first(self) -> list[Entity]:
        """The selected entities, the one on fewest briefs first (by the kept counts): the
        walk of its rows is the longest a combination costs."""
        if len(self.selected) < 2:
            return self.selected
        rows = (
            EntityCount.objects.filter(
                board=self.board or None, language__in=self.languages, scope="",
                entity__in=[e.pk for e in self.selected],
            )
            .values("entity").annotate(n=Sum("count")).values_list("entity", "n")
        )  # fmt: skip
        n = dict(rows)
        return sorted(self.selected, key=lambda e: n.get(e.pk, 0))

    def briefs(self):
        """The listed briefs as ``Brief`` rows (what ``ids`` narrows, or all of it when it
        is None)."""
        briefs = Brief.objects.published(at=self.now).filter(
            board=self.board or None, language__in=self.languages
        )
        if self.month is not None:
            start, end = self._month_range()
            briefs = briefs.filter(published_at__gte=start, published_at__lt=end)
        if self.query:
            briefs = briefs.filter(pk__in=self.search_ids)
        return briefs


def _naming(entity: Entity):
    return BriefEntity.objects.filter(counting.shown_filter(), entity=entity).values("brief_id")


@dataclasses.dataclass
class Facets:
    """``groups``: [(kind, [(Entity, n)])] in ``KINDS`` order, kinds without entities left
    out; ``total``: briefs listed when known; ``counted``: how many of the newest were
    counted when not all; ``searched``: how many search matches were counted (None unless
    the listing has a query)."""

    groups: list
    total: int | None = None
    counted: int | None = None
    searched: int | None = None

    def __bool__(self) -> bool:
        return bool(self.groups)


def facets(listing: Listing, limit: int | None = None) -> Facets:
    """The top ``limit`` (``NEWSBRIEF_FACET_ENTITIES``) entities of each kind in
    ``listing``, most first, then by English name; the selected ones among them."""
    limit = settings.NEWSBRIEF_FACET_ENTITIES if limit is None else limit
    if limit <= 0 or not listing.board:
        return Facets([])
    counted = searched = None
    if listing.kept:
        found, total = _kept(listing)
    else:
        found, total, counted, searched = _counted(listing)
    entities = Entity.objects.in_bulk(list(found))
    for entity in listing.selected:
        entities[entity.pk] = entity
        if total is not None:
            found[entity.pk] = total
    by_kind: dict[str, list] = {kind: [] for kind in KINDS}
    for pk, n in found.items():
        entity = entities.get(pk)
        if entity is not None and n > 0 and entity.merged_into_id is None:
            by_kind[entity.kind].append((entity, n))
    chosen = {e.pk for e in listing.selected}
    groups = []
    for kind in KINDS:
        ranked = sorted(by_kind[kind], key=lambda item: (-item[1], item[0].name_en, item[0].pk))
        shown = ranked[:limit] + [item for item in ranked[limit:] if item[0].pk in chosen]
        if shown:
            groups.append((kind, shown))
    return Facets(groups, total, counted, searched)


def _kept(listing: Listing) -> tuple[dict[int, int], int | None]:
    """{entity id: n} from the kept counts, and the briefs listed when it is one entity's."""
    board, languages, now = listing.board, listing.languages, listing.now
    if listing.selected:
        entity = listing.selected[0]
        found = counting.counts(board, languages, now, scopes=[counting.with_scope(entity.pk)])
        own = counting.counts(board, languages, now, scopes=[""], entity=entity)
        return {e: n for (_s, e), n in found.items()}, own.get(("", entity.pk), 0)
    if listing.category is not None:
        scope = counting.category_scope(listing.category.pk)
    elif listing.month is not None:
        scope = counting.month_scope(listing.month)
    else:
        scope = ""
    found = counting.counts(board, languages, now, scopes=[scope])
    return {e: n for (_s, e), n in found.items()}, None


def _counted(listing: Listing) -> tuple[dict[int, int], int | None, int | None, int | None]:
    """Counted over the newest listed briefs (``COUNTED_BRIEFS`` at most, found among the
    newest ``WALKED`` rows of the index the listing walks): {entity id: n}, how many are
    listed (None when not all were counted, unless the kept counts know), how many were
    counted when not all (else None), and the search matches counted (None without a
    query)."""
    ids = listing.ids(window=WALKED)
    if ids is None:
        ids = listing.briefs().order_by("-published_at", "-pk").values_list("pk", flat=True)
        walked_all = True
    else:
        ids = ids.values_list("brief_id", flat=True)
        walked_all = not listing.lead()[WALKED : WALKED + 1].exists()
    newest = list(ids[: COUNTED_BRIEFS + 1])
    complete = walked_all and len(newest) <= COUNTED_BRIEFS
    newest = newest[:COUNTED_BRIEFS]
    rows = (
        BriefEntity.objects.filter(counting.shown_filter(), brief_id__in=newest)
        .values("entity")
        .annotate(n=Count("pk"))
        .values_list("entity", "n")
    )
    total = len(newest) if complete else _pair_total(listing)
    searched = len(listing.search_ids) if listing.query else None
    return dict(rows), total, None if complete else len(newest), searched


def _pair_total(listing: Listing) -> int | None:
    """The briefs naming both of two entities, when that is all the listing asks: kept."""
    if listing.query or listing.category or listing.month or len(listing.selected) != 2:
        return None
    first, second = listing.selected
    found = counting.counts(
        listing.board, listing.languages, listing.now,
        scopes=[counting.with_scope(first.pk)], entity=second,
    )  # fmt: skip
    return found.get((counting.with_scope(first.pk), second.pk), 0)
