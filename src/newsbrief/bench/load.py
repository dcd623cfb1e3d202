"""``newsbrief bench load``: bulk import of a synthetic archive, against raw SQLite inserts of
the same rows, and the search index catching up.

1. The corpus is loaded into its SQLite file (``loading.load``, the file ``bench search``
   uses): per brief its row, its tags, its first revision and its search outbox row, with the
   schema's indexes and constraints in place. Worker processes generate and prepare batches;
   newsbrief's side is timed from a prepared batch to its commit (model instances,
   ``bulk_create`` per table, one transaction).
2. The peer, in the same run: a second SQLite file with the same schema (made by ``migrate``)
   and connection settings (WAL, ``synchronous=NORMAL``, foreign keys, immediate
   transactions), where plain ``sqlite3`` ``executemany`` inserts exactly the column values
   Django binds, one transaction per batch. The two alternate going first on each batch.
3. The search index catches up with the loaded briefs: a new index is built from the database
   (``rebuild``, as ``catch_up`` does for a new index), an existing one drains the outbox.
   Timed apart, in the index ``bench search --reuse-index`` then measures.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import statistics
import time
from pathlib import Path

from django.db import connections

from newsbrief.settings import database_config

from . import loading, search

TARGET_RATE = 2_000  # briefs/s
TARGET_RATIO = 0.3  # of raw SQLite's rate


@dataclasses.dataclass
class Options:
    briefs: int
    seed: int = 1
    workdir: Path = Path("var/bench")
    jobs: int = 2
    keep_peer: bool = False
    progress: bool = True


def peer_path(options: Options) -> Path:
    return options.workdir / f"{search.corpus_db(options).stem}-raw.sqlite3"


class RawSqlite(loading.Peer):
    """The rows newsbrief writes, written with ``sqlite3`` alone."""

    def __init__(self, path: Path, fixtures_from: Path):
        from django.contrib.auth import get_user_model

        from newsbrief.briefs.models import Board, Category

        self.path = path
        self.remove()
        with loading.use_sqlite(path):  # the same schema, made the same way
            pass
        settings = database_config(f"sqlite:///{path}")["OPTIONS"]
        self.begin = f"BEGIN {settings['transaction_mode']}"
        self.db = sqlite3.connect(path, timeout=settings["timeout"], isolation_level=None)
        self.db.executescript(settings["init_command"])
        # the rows the briefs point at, with their ids
        self.db.execute("ATTACH DATABASE ? AS corpus", (str(fixtures_from),))
        for model in (Board, Category, get_user_model()):
            table = model._meta.db_table
            self.db.execute(f'INSERT INTO "{table}" SELECT * FROM corpus."{table}"')
        self.db.execute("DETACH DATABASE corpus")
        connection = connections["default"]
        self.statements = [
            loading.insert_sql(model, connection).replace("%s", "?") for model in loading.models()
        ]

    def insert(self, raw: list[list[tuple]]) -> None:
        self.db.execute(self.begin)
        try:
            for statement, rows in zip(self.statements, raw, strict=True):
                self.db.executemany(statement, rows)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def run(options: Options, log=print) -> dict:
    """The whole benchmark; returns the figures (see ``report``)."""
    options.workdir.mkdir(parents=True, exist_ok=True)
    corpus_db = search.corpus_db(options)
    figures: dict = {
        "briefs": options.briefs,
        "seed": options.seed,
        "jobs": options.jobs,
        "machine": search.machine(),
        "revision": search.git_revision(),
        "database": str(corpus_db),
    }
    with loading.use_sqlite(corpus_db):
        start = loading.loaded(options.briefs, options.seed)
        peer = None
        if start < options.briefs:
            loading.fixtures()
            peer = RawSqlite(peer_path(options), corpus_db)
        started = time.perf_counter()
        try:
            done = loading.load(
                options.briefs, options.seed, jobs=options.jobs, progress=options.progress,
                peer=peer,
            )  # fmt: skip
        finally:
            if peer:
                peer.close()
                if not options.keep_peer:
                    peer.remove()
        figures["load_wall_s"] = round(time.perf_counter() - started, 2)
        figures["peer_database"] = str(peer.path) if peer and options.keep_peer else None
        figures.update(_rates(done))
        figures["index"] = _catch_up(options, log)
    figures["targets_met"] = (
        {
            f">= {TARGET_RATE:,} briefs/s": figures["import"]["briefs_per_s"] >= TARGET_RATE,
            f">= {TARGET_RATIO:g}x raw SQLite": figures["ratio"] >= TARGET_RATIO,
        }
        if done.added
        else {}
    )
    return figures


def _rates(done: loading.Loaded) -> dict:
    """Briefs per second of committing time, over the run and as the median of the batches."""
    figures: dict = {"start": done.start, "loaded_now": done.added, "rows": dict(done.rows)}
    if not done.added:
        return {**figures, "import": None, "raw_sqlite": None, "ratio": None}
    for name, seconds in (("import", done.seconds), ("raw_sqlite", done.peer_seconds)):
        figures[name] = {
            "seconds": round(sum(seconds), 3),
            "briefs_per_s": round(done.added / sum(seconds)),
            "median_batch_briefs_per_s": round(
                statistics.median(n / s for n, s in zip(done.sizes, seconds, strict=True))
            ),
        }
    figures["ratio"] = round(
        figures["import"]["briefs_per_s"] / figures["raw_sqlite"]["briefs_per_s"], 3
    )
    figures["median_batch_ratio"] = round(
        statistics.median(p / s for s, p in zip(done.seconds, done.peer_seconds, strict=True)), 3
    )
    return figures


def _catch_up(options: Options, log) -> dict:
    """Bring the corpus's search index up to date and time it: a rebuild from the database
    when the index is new or was built by other search code, else a drain of the outbox."""
    from newsbrief.search.backends import get_backend
    from newsbrief.search.models import PendingChange

    backend = get_backend("tantivy", path=search.index_path(options))
    stamp = search.index_stamp(options)
    code = search.search_code_version()
    built = json.loads(stamp.read_text()) if stamp.exists() else {}
    pending = PendingChange.objects.count()
    rebuild = backend.needs_rebuild() or built.get("code") != code
    log(f"search index: {'rebuilding' if rebuild else 'draining the outbox'} ({pending:,} pending)")
    started = time.perf_counter()
    if rebuild:
        count = backend.rebuild(progress=options.progress, jobs=options.jobs)
    else:
        count = backend.drain()
    seconds = time.perf_counter() - started
    size = search.index_size(backend)
    if rebuild:
        stamp.write_text(json.dumps({"build_s": round(seconds, 2), "bytes": size, "code": code}))
    return {
        "path": str(search.index_path(options)),
        "mode": "rebuild" if rebuild else "drain",
        "pending_before": pending,
        "briefs": count,
        "seconds": round(seconds, 2),
        "briefs_per_s": round(count / seconds) if count and seconds else None,
        "bytes": size,
        "pending_after": PendingChange.objects.count(),
    }


def report(figures: dict) -> str:
    """The figures as plain text."""
    m = figures["machine"]
    lines = [
        f"newsbrief bench load: {figures['briefs']:,} briefs, seed {figures['seed']}, "
        f"{figures['jobs']} generating processes",
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, SQLite {m['sqlite']}; "
        f"{m['date']}; revision {figures['revision']}",
        f"database: {figures['database']}",
    ]
    if not figures["loaded_now"]:
        lines.append(f"corpus already loaded ({figures['start']:,} briefs): nothing to measure")
    else:
        rows = ", ".join(f"{table} {n:,}" for table, n in figures["rows"].items())
        lines += [
            f"loaded now: {figures['loaded_now']:,} briefs (from {figures['start']:,}) in "
            f"{figures['load_wall_s']} s wall, generation included; rows: {rows}",
            "",
            f"{'committing, generation excluded':<34}{'seconds':>10}{'briefs/s':>10}"
            f"{'median batch':>14}",
        ]
        for name, label in (("import", "newsbrief (Django, executemany)"),
                            ("raw_sqlite", "raw SQLite (executemany)")):  # fmt: skip
            row = figures[name]
            lines.append(
                f"{label:<34}{row['seconds']:>10.2f}{row['briefs_per_s']:>10,}"
                f"{row['median_batch_briefs_per_s']:>14,}"
            )
        lines.append(
            f"ratio newsbrief/raw: {figures['ratio']} (median of batches "
            f"{figures['median_batch_ratio']})"
        )
    index = figures["index"]
    rate = f"{index['briefs_per_s']:,} briefs/s" if index["briefs_per_s"] else "-"
    lines += [
        "",
        f"search index catch-up ({index['mode']}): {index['briefs']:,} briefs in "
        f"{index['seconds']} s, {rate}; {index['pending_after']:,} changes still pending; "
        f"{search.human_size(index['bytes'])} at {index['path']}",
    ]
    if figures["targets_met"]:
        lines.append("targets: " + ", ".join(
            f"{k}: {'met' if v else 'MISSED'}" for k, v in figures["targets_met"].items()
        ))  # fmt: skip
    return "\n".join(lines)
