"""What every search backend offers, and what they share: the query tree from the analyzer,
the outbox drain, filters, hydration from the database and highlighting.

A backend implements ``prepare`` (a document's entry: analysis only), ``_apply`` (add these
entries, forget those ids), ``_reset`` and ``_add`` (for rebuilds), ``_query`` (the ids and
scores for a query tree under filters) and ``_facets`` (counts by language, category and year).

A search never comes back empty when the words are there: when fewer than `FEW_RESULTS`
briefs have every word, briefs with most of them follow (all but one, or at least half when
that is still few), and the results say so (``SearchResults.relaxed``).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import logging
import multiprocessing
import os
import threading
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from ..analyzer import optional_words, parse_query, relaxed
from ..highlight import highlight_all, passages
from ..indexing import Document, as_document, document_for, plain_body, searchable
from ..models import PendingChange

log = logging.getLogger(__name__)

DRAIN_BATCH = 500
MAX_LIMIT = 1000  # hits per query
MAX_OFFSET = 100_000  # how deep a reader can page
REBUILD_BATCH = 1000
#: With fewer briefs than this having every word, briefs with most of the words are added.
FEW_RESULTS = 5


@dataclasses.dataclass(frozen=True)
class Filters:
    """What a query is narrowed to. Dates are the board's local days, both inclusive;
    ``now`` hides briefs scheduled for later."""

    language: str | None = None
    categories: tuple[str, ...] = ()
    author: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    now: dt.datetime = dataclasses.field(default_factory=timezone.now)

    @property
    def start(self) -> dt.datetime | None:
        return _day_start(self.date_from) if self.date_from else None

    @property
    def end(self) -> dt.datetime:
        """The latest moment shown (exclusive unless it is ``now``): ``now``, or the end of
        ``date_to`` (a datetime: that moment) if earlier."""
        if not self.date_to:
            return self.now
        if isinstance(self.date_to, dt.datetime):
            return min(self.now, _day_start(self.date_to))
        return min(self.now, _day_start(min(self.date_to, LATEST) + dt.timedelta(days=1)))


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9000, 1, 1)


def _day_start(day) -> dt.datetime:
    """The day's first moment in the board's time, the day kept in years any clock can hold
    (a form may ask for 0001-01-01 or 9999-12-31)."""
    if isinstance(day, dt.datetime):
        day = day if timezone.is_aware(day) else timezone.make_aware(day)
        return min(max(day, _day_start(EARLIEST)), _day_start(LATEST))
    day = min(max(day, EARLIEST), LATEST)
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclasses.dataclass
class Hit:
    brief_id: int
    score: float
    title: str
    language: str
    date: dt.datetime
    url: str
    title_html: str = ""
    highlights: list = dataclasses.field(default_factory=list)
    brief: object = None
    versions: list = dataclasses.field(default_factory=list)  # the item's other languages

    def as_json(self) -> dict:
        return {
            "id": self.brief_id,
            "score": round(self.score, 4),
            "title": self.title,
            "lang": self.language,
            "date": timezone.localtime(self.date).isoformat() if self.date else None,
            "url": self.url,
        }


@dataclasses.dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    query: object = None  # the parsed tree; None when nothing could be searched for
    #: When briefs with most of the words were added: how many have them all (else None).
    complete: int | None = None
    #: ``{"language" | "category" | "year": [(value, count)]}``, most first, when asked for.
    facets: dict = dataclasses.field(default_factory=dict)

    @property
    def relaxed(self) -> bool:
        return self.complete is not None

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


def _batches(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _prepare_batch(prepare, batch):
    return [prepare(doc) for doc in batch]


def _prepared(prepare, batches, jobs: int):
    """Each batch's entries, in order; analyzed by ``jobs`` forked processes when more than
    one (the batches are read here, in this thread, which owns the database connection)."""
    if jobs <= 1:
        for batch in batches:
            yield _prepare_batch(prepare, batch)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        waiting: collections.deque = collections.deque()
        for batch in batches:
            waiting.append(pool.apply_async(_prepare_batch, (prepare, batch)))
            if len(waiting) >= 2 * jobs:
                yield waiting.popleft().get()
        while waiting:
            yield waiting.popleft().get()


def _pending() -> bool:
    """Whether the outbox holds anything: the check before every query, kept cheap."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {PendingChange._meta.db_table} LIMIT 1")
        return cursor.fetchone() is not None


class IndexBusy(Exception):
    """Another process holds the index for writing (a ``reindex``); the change waits."""


class SearchBackend:
    name = ""

    def __init__(self):
        self._drain_lock = threading.RLock()

    # -- the interface --------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        language: str | None = None,
        categories: Iterable[str] = (),
        author: str | None = None,
        date_from=None,
        date_to=None,
        limit: int = 10,
        offset: int = 0,
        facets: bool = False,
    ) -> SearchResults:
        """Ranked published briefs for ``query``, best first, hydrated and highlighted, with
        counts by language, category and year when ``facets``."""
        node = parse_query(query)
        if node is None:
            return SearchResults([], 0, None)
        self.catch_up()
        filters = Filters(language or None, tuple(categories), author or None, date_from, date_to)
        limit, offset = min(max(0, limit), MAX_LIMIT), min(max(0, offset), MAX_OFFSET)
        scored, total, complete, matched = self._ranked(node, filters, limit, offset, count=True)
        return SearchResults(
            self._hydrate(scored, node),
            total,
            node,
            complete,
            self._facets(matched, filters) if facets and total else {},
        )

    def search_ids(self, query: str, limit: int = 10, **filters) -> list[tuple[int, float]]:
        """``[(brief_id, score)]`` best first, straight from the index (for benchmarks)."""
        node = parse_query(query)
        if node is None:
            return []
        self.catch_up()
        limit = min(max(0, limit), MAX_LIMIT)
        return self._ranked(node, Filters(**filters), limit, 0, count=False)[0]

    def _ranked(self, node, filters: Filters, limit: int, offset: int, count: bool):
        """``(scored, total, complete, matched)``: the page of hits for ``node``, or, when
        fewer than `FEW_RESULTS` briefs match it whole, those briefs first and then the
        briefs with most of its optional words (``complete`` is then how many matched whole);
        ``matched`` is the tree the hits match. Without ``count`` (first pages only) the total
        is not counted, only whether it is few, and may be returned as 0."""
        if count:
            scored, total = self._query(node, filters, limit, offset, count=True)
        else:
            scored, _ = self._query(node, filters, max(limit, FEW_RESULTS), 0, count=False)
            total = len(scored) if len(scored) < FEW_RESULTS else 0
            scored = scored[:limit]
            if not total and scored:
                return scored, 0, None, node
        optional = len(optional_words(node))
        if total >= FEW_RESULTS or optional < 2:
            return scored, total, None, node
        best = None
        for keep in sorted({optional - 1, (optional + 1) // 2}, reverse=True):
            loose = relaxed(node, keep)
            more, found = self._query(loose, filters, offset + limit + total, 0, count=True)
            if found > total:
                best = more, found, loose
            if found >= FEW_RESULTS:
                break
        if best is None:
            return scored, total, None, node
        more, found, loose = best
        whole = self._query(node, filters, FEW_RESULTS, 0, count=False)[0] if total else []
        taken = {pk for pk, _ in whole}
        merged = whole + [hit for hit in more if hit[0] not in taken]
        return merged[offset : offset + limit], found, total, loose

    def rebuild(
        self, briefs: Iterable | None = None, progress: bool = True, jobs: int | None = None
    ) -> int:
        """Index exactly ``briefs`` (Brief objects or ``Document``s; default: every searchable
        brief in the database) in place of what the index held. Changes queued before the
        rebuild began are covered by it and leave the outbox. Large rebuilds analyze text in
        ``jobs`` processes (default: one per core)."""
        last = PendingChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if briefs is None:
            total = searchable().count()
            briefs = searchable().iterator(chunk_size=REBUILD_BATCH)
        else:
            total = len(briefs) if hasattr(briefs, "__len__") else None
        jobs = jobs or os.cpu_count() or 1
        if total is not None and total < 2 * REBUILD_BATCH:
            jobs = 1
        batches = _batches((as_document(item) for item in briefs), REBUILD_BATCH)
        count = 0
        with self._drain_lock, self._rebuilding():
            bar = tqdm(total=total, unit="brief", desc="indexing", disable=not progress)
            self._reset()
            for entries in _prepared(type(self).prepare, batches, jobs):
                self._add(entries)
                count += len(entries)
                bar.update(len(entries))
            self._finish_rebuild()
            bar.close()
            PendingChange.objects.filter(pk__lte=last).delete()
        return count

    def catch_up(self) -> None:
        """Drain the outbox if it holds anything (one cheap query when it does not), or fill
        a new index from the database. A failure is logged, never raised: the change waits in
        the outbox for the next try."""
        try:
            if self.needs_rebuild():
                self.rebuild(progress=False)
            elif _pending():
                self.drain()
        except IndexBusy:
            log.info("search index busy (a reindex?); changes wait in the outbox")
        except Exception:
            log.exception("search index update failed; it will be retried before the next query")

    def drain(self) -> int:
        """Apply the outbox to the index; the number of briefs brought up to date. Where rows
        can be claimed (PostgreSQL), they are, while their briefs are analysed; elsewhere
        (SQLite, where any transaction that writes holds the one write lock) the briefs are
        read and analysed first and only the index write and the rows' removal share a
        transaction, so that an import's batches are not kept waiting. A brief changed
        meanwhile has queued a newer row, which the next round takes."""
        done = 0
        claims = connection.features.has_select_for_update_skip_locked
        with self._drain_lock:
            while True:
                with transaction.atomic() if claims else contextlib.nullcontext():
                    rows = PendingChange.objects.order_by("pk")
                    if claims:
                        rows = rows.select_for_update(skip_locked=True)
                    rows = list(rows.values_list("pk", "brief_id")[:DRAIN_BATCH])
                    if not rows:
                        return done
                    ids = {brief_id for _, brief_id in rows}
                    briefs = searchable().filter(pk__in=ids)
                    documents = [self.prepare(document_for(b)) for b in briefs]
                    with transaction.atomic():
                        self._apply(documents, ids)
                        PendingChange.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
                    done += len(ids)

    def close(self) -> None:
        """Let go of open files (a later call opens them again)."""

    def needs_rebuild(self) -> bool:
        return False

    # -- for backends ---------------------------------------------------------------------

    @staticmethod
    def prepare(doc: Document):
        """The index entry for a document: analysis only, no I/O, picklable (it may run in
        another process)."""
        raise NotImplementedError

    def _apply(self, entries: list, ids: set[int]) -> None:
        """Forget ``ids`` and add ``entries``, durably."""
        raise NotImplementedError

    def _reset(self) -> None:
        raise NotImplementedError

    def _add(self, entries: list) -> None:
        raise NotImplementedError

    def _finish_rebuild(self) -> None:
        pass

    def _rebuilding(self):
        """What a rebuild runs inside, so that searches meanwhile see the old index whole."""
        return contextlib.nullcontext()

    def _query(self, node, filters: Filters, limit: int, offset: int, count: bool):
        """``([(brief_id, score)], total)``; ``total`` may be 0 when not ``count``."""
        raise NotImplementedError

    def _facets(self, node, filters: Filters) -> dict[str, list[tuple[str, int]]]:
        """Matches of ``node`` counted by ``language``, ``category`` (slug) and ``year`` (the
        board's calendar), each ``[(value, count)]``, most first."""
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------

    def _hydrate(self, scored: list[tuple[int, float]], node) -> list[Hit]:
        from newsbrief.briefs.models import Brief

        briefs = Brief.objects.published().for_listing().in_bulk([pk for pk, _ in scored])
        versions = collections.defaultdict(list)
        for version in (
            Brief.objects.published()
            .filter(translation_key__in={b.translation_key for b in briefs.values()})
            .only("pk", "translation_key", "language", "title", "published_at")
        ):
            versions[version.translation_key].append(version)
        hits = []
        for pk, score in scored:
            brief = briefs.get(pk)
            if brief is None:  # unpublished since the index last heard; the outbox knows
                continue
            hits.append(
                Hit(
                    brief_id=pk,
                    score=score,
                    title=brief.title,
                    language=brief.language,
                    date=brief.published_at,
                    url=brief.get_absolute_url(),
                    title_html=highlight_all(brief.title, node),
                    highlights=passages(plain_body(brief), node),
                    brief=brief,
                    versions=[v for v in versions[brief.translation_key] if v.pk != pk],
                )
            )
        return hits
