"""Loading a synthetic corpus into a database, fast and complete: each brief with its tags,
its first revision and its search outbox row, as an import would leave it (the schema's
indexes and constraints stay in place). Worker processes generate and prepare the batches
(rendering the body, the revision's JSON); the main process converts each value with its
model field, as ``bulk_create`` does, and inserts each table's rows with one ``executemany``
through Django's connection, one transaction per batch. (``bulk_create`` itself spends about
as long again assembling its multi-row statements as the database spends inserting; see
bench/RESULTS.md.) Resumable: brief ``i`` of a corpus has primary key ``i + 1`` and a batch
commits whole.

SQLite benchmarks run in a database of their own (``use_sqlite``), one file per corpus size
and seed, kept so that a rerun starts measuring at once.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import multiprocessing
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.utils import timezone
from tqdm import tqdm

from newsbrief.settings import database_config

from . import corpus

BATCH = 2_000
BOARD_NAME = "Newsbrief benchmark"


def use_sqlite(path: Path):
    """Point the default database at the SQLite file ``path`` (migrated) for the duration."""
    return use_database(f"sqlite:///{path}")


@contextlib.contextmanager
def use_database(url: str):
    """Point the default database at ``url`` (migrated) for the duration."""
    handler = connections
    saved = dict(handler.databases["default"])
    handler["default"].close()
    # The whole configuration (engine, SQLite's WAL options), whatever the default database is.
    handler.databases["default"] = {**saved, "OPTIONS": {}, **database_config(url)}
    del handler["default"]
    try:
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
        yield
    finally:
        handler["default"].close()
        handler.databases["default"] = saved
        del handler["default"]


def models() -> tuple:
    """The tables a loaded brief has rows in, in the order they are written."""
    from newsbrief.briefs.models import Brief, BriefTag, Revision
    from newsbrief.search.models import PendingChange

    return Brief, BriefTag, Revision, PendingChange


def insert_fields(model) -> list:
    """The columns a load writes: every concrete field but a generated primary key."""
    from newsbrief.briefs.models import Brief

    return [f for f in model._meta.concrete_fields if model is Brief or not f.primary_key]


def insert_sql(model, connection) -> str:
    columns = [connection.ops.quote_name(f.column) for f in insert_fields(model)]
    return (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )


def db_values(model, rows: list[tuple], connection) -> list[tuple]:
    """``rows`` of Python values as the database receives them: each converted by its field's
    ``get_db_prep_save``, as ``bulk_create`` converts them (UUIDs as hex on SQLite, datetimes
    as UTC text, JSON encoded)."""
    fields = insert_fields(model)
    return [
        tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
        for row in rows
    ]


@dataclasses.dataclass
class Batch:
    """Briefs ``start`` .. ``stop - 1``, ready to write. ``rows`` holds, per table of
    ``models()``, each row's Python values for ``insert_fields``; ``raw``, when asked for,
    the same rows converted (``db_values``), for a peer that inserts without Django."""

    start: int
    stop: int
    rows: list[list[tuple]]
    raw: list[list[tuple]] | None = None


@dataclasses.dataclass(frozen=True)
class Ids:
    """The fixture rows a brief points at."""

    board: int
    categories: dict[str, int]
    authors: dict[str, int]


_gate = None  # in a worker: set while it may run, cleared while the main process commits


def _open(gate) -> None:
    global _gate
    _gate = gate


def _prepare(args: tuple[int, int, int, Ids, bool]) -> Batch:
    """Generate and prepare a batch (in a worker process): what ``save_brief`` would have
    written for each brief, a first import revision with ``content_of``'s JSON included."""
    seed, start, stop, ids, raw = args

    def records():
        for i in range(start, stop):
            if _gate is not None:
                _gate.wait()
            yield i + 1, corpus.make_brief(seed, i)

    return prepare(records(), ids, start, stop, raw=raw)


def prepare(records, ids: Ids, start: int, stop: int, *, raw: bool = False) -> Batch:
    """The rows of ``(pk, record)`` pairs, each record shaped like ``corpus.BenchBrief``
    (``bench search --quality`` loads real text through it too)."""
    from newsbrief.briefs.models import Brief, Revision
    from newsbrief.briefs.publishing import source_line
    from newsbrief.briefs.rendering import render_body
    from newsbrief.briefs.text import normalize_title

    names = [[f.attname for f in insert_fields(model)] for model in models()]
    rows: list[list[tuple]] = [[] for _ in names]

    def add(table: int, **values) -> None:  # a KeyError when the model gains a column
        rows[table].append(tuple(values[name] for name in names[table]))

    queued = timezone.now()
    for pk, r in records:
        author, at = ids.authors[r.author], r.published_at
        add(
            0, id=pk, uid=r.uid, translation_key=r.translation_key, board_id=ids.board,
            language=r.language, title=r.title, title_key=normalize_title(r.title), body=r.body,
            body_html=render_body(r.body, source_line(r)), source_name=r.source_name,
            source_date=r.source_date, author_id=author, status=Brief.Status.PUBLISHED,
            published_at=at, created_at=at, updated_at=at,
        )  # fmt: skip
        for position, slug in enumerate(r.tags):
            add(1, brief_id=pk, category_id=ids.categories[slug], position=position,
                board_id=ids.board, language=r.language, status=Brief.Status.PUBLISHED,
                published_at=at)  # fmt: skip
        content = dataclasses.replace(r.to_content(), board=BOARD_NAME).to_json()
        add(2, brief_id=pk, number=0, created_at=at, editor_id=author,
            origin=Revision.Origin.IMPORT, content=content)  # fmt: skip
        add(3, brief_id=pk, created_at=queued)
    return Batch(start, stop, rows, _raw(rows) if raw else None)


def _raw(rows: list[list[tuple]]) -> list[list[tuple]]:
    connection = connections["default"]  # its adapter only: nothing is queried
    return [db_values(m, table, connection) for m, table in zip(models(), rows, strict=True)]


def fixtures() -> Ids:
    from django.contrib.auth import get_user_model

    from newsbrief.briefs.models import Board, Category

    board = Board.objects.get_or_create(name=BOARD_NAME, defaults={"languages": ["en", "zh-hant"]})
    categories = {}
    for slug, en, zh in corpus.CATEGORIES:
        categories[slug] = Category.objects.get_or_create(
            slug=slug, defaults={"name_en": en, "name_zh_hant": zh}
        )[0].pk
    User = get_user_model()
    authors = {}
    for name in corpus.AUTHORS:
        user, created = User.objects.get_or_create(username=name)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        authors[name] = user.pk
    return Ids(board[0].pk, categories, authors)


def loaded(n: int, seed: int) -> int:
    """How many briefs of the corpus (n, seed) the database holds: 0 when it holds anything
    else."""
    from newsbrief.briefs.models import Brief, Revision

    count = Brief.objects.count()
    if not count:
        return 0
    first = Brief.objects.filter(pk=1).values_list("uid", flat=True).first()
    if first != corpus.make_brief(seed, 0).uid or count > n:
        raise RuntimeError(
            f"the database holds {count} briefs that are not the first {n} of corpus seed {seed}"
        )
    if not Revision.objects.filter(brief_id=count).exists():
        raise RuntimeError(
            f"the database holds {count} briefs without revisions (an older loader's): "
            "delete it to load the corpus again"
        )
    return count


class Peer:
    """What ``load`` can measure itself against: ``insert`` writes one batch's ``raw`` rows
    in one transaction."""

    def insert(self, raw: list[list[tuple]]) -> None:
        raise NotImplementedError


@dataclasses.dataclass
class Loaded:
    """What a ``load`` did: per batch, its size and the seconds newsbrief's commit of it (and
    the peer's) took, generation excluded."""

    start: int
    added: int = 0
    sizes: list[int] = dataclasses.field(default_factory=list)
    seconds: list[float] = dataclasses.field(default_factory=list)
    peer_seconds: list[float] = dataclasses.field(default_factory=list)
    rows: collections.Counter = dataclasses.field(default_factory=collections.Counter)


def _batches(pool, args: list, jobs: int):
    """The prepared batches in order, at most ``2 * jobs`` waiting (so a slow writer does not
    pile up memory)."""
    if pool is None:
        yield from map(_prepare, args)
        return
    waiting: collections.deque = collections.deque()
    for item in args:
        waiting.append(pool.apply_async(_prepare, (item,)))
        if len(waiting) >= 2 * jobs:
            yield waiting.popleft().get()
    while waiting:
        yield waiting.popleft().get()


def write(batch: Batch) -> None:
    """Commit a batch: per table, its values converted by their fields and one
    ``executemany``, all in one transaction. The briefs come with their ids, so PostgreSQL's
    id sequence is moved past them for the next brief saved the ordinary way (SQLite's
    follows by itself)."""
    from newsbrief.briefs.models import Brief

    connection = connections["default"]
    with transaction.atomic(), connection.cursor() as cursor:
        for model, table in zip(models(), batch.rows, strict=True):
            cursor.executemany(insert_sql(model, connection), db_values(model, table, connection))
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(no_style(), [Brief]):
                cursor.execute(sql)


def load(
    n: int, seed: int, *, jobs: int = 2, progress: bool = True, peer: Peer | None = None
) -> Loaded:
    """Load briefs ``loaded(n, seed)`` .. ``n - 1``. With a ``peer``, each batch is also
    handed to it, the two timed alternately first so both see the same conditions. The
    generating processes pause (after their current brief) while a batch is committed, so
    the timed commits do not share the CPU with them."""
    start = loaded(n, seed)
    done = Loaded(start)
    if start >= n:
        return done
    ids = fixtures()
    args = [(seed, i, min(i + BATCH, n), ids, peer is not None) for i in range(start, n, BATCH)]
    context = multiprocessing.get_context("fork")
    gate = context.Event()
    gate.set()
    pool = context.Pool(jobs, _open, (gate,)) if jobs > 1 else None
    bar = tqdm(total=n, initial=start, disable=not progress, desc="load", unit="brief")
    try:
        for number, batch in enumerate(_batches(pool, args, jobs)):
            steps = [("seconds", write, batch)]
            if peer is not None:
                steps.append(("peer_seconds", peer.insert, batch.raw))
                steps = steps[::-1] if number % 2 else steps
            gate.clear()
            for name, step, data in steps:
                started = time.perf_counter()
                step(data)
                getattr(done, name).append(time.perf_counter() - started)
            gate.set()
            size = batch.stop - batch.start
            done.sizes.append(size)
            done.added += size
            for model, table in zip(models(), batch.rows, strict=True):
                done.rows[model._meta.db_table] += len(table)
            bar.update(size)
            if progress and done.seconds:
                rate = sum(done.sizes) / sum(done.seconds)
                bar.set_postfix_str(f"newsbrief {rate:,.0f}/s" + (
                    f", raw SQLite {sum(done.sizes) / sum(done.peer_seconds):,.0f}/s"
                    if done.peer_seconds else ""
                ))  # fmt: skip
    finally:
        bar.close()
        if pool:
            pool.terminate()
    if done.added:
        from newsbrief.briefs import listing

        listing.recount()  # the listing counts, which the rows were written without
    return done
