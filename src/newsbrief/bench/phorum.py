"""``newsbrief bench phorum --messages N``: a generated Phorum board of N messages (20 %
edited) in a scratch MariaDB database, brought across by the user's own command (``newsbrief
import phorum``, in a process of its own, into a fresh SQLite database), against a raw read of
the same rows; then the old addresses of the imported board answered.

The raw read is the peer the import is measured against: the same rows (messages, their
edit-track rows, their files' names) by the same keyset batches, fetched and dropped, with no
decoding, parsing or history. ``source`` does the same reads and hands out repaired records.
The import's time is the command's whole run (start, backup, reading, converting, writing),
as a user waits for it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from newsbrief.phorum import generator, source

TARGET_RATE = 1_000  # briefs/s, edit history included
TARGET_P99_MS = 5.0  # an old address answered
ADDRESSES = 10_000


@dataclasses.dataclass(frozen=True)
class ReadRate:
    messages: int
    raw_seconds: float
    source_seconds: float

    @property
    def raw_rate(self) -> float:
        return self.messages / self.raw_seconds

    @property
    def source_rate(self) -> float:
        return self.messages / self.source_seconds


def fill_board(url: str, messages: int, seed: int = 1, prefix: str = "phorum_") -> int:
    """Write a generated board of about ``messages`` messages (no truth kept) to the empty
    database at ``url``; the number written."""
    connection = source.connect(url)
    try:
        return generator.fill(connection, seed, messages, prefix, truth=False).count
    finally:
        connection.close()


def read_raw(url: str, prefix: str = "phorum_", batch: int = source.BATCH) -> int:
    connection = source.connect(url)
    read, after = 0, 0
    try:
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    f"SELECT * FROM {prefix}messages WHERE message_id > %s "
                    "ORDER BY message_id LIMIT %s",
                    [after, batch],
                )
                rows = cursor.fetchall()
                if not rows:
                    return read
                ids = [row[0] for row in rows]
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(
                    f"SELECT * FROM {prefix}messages_edittrack WHERE message_id IN ({marks}) "
                    "ORDER BY message_id, track_id",
                    ids,
                )
                cursor.fetchall()
                cursor.execute(
                    f"SELECT file_id, filename FROM {prefix}files WHERE message_id IN ({marks})",
                    ids,
                )
                cursor.fetchall()
                read, after = read + len(rows), ids[-1]
    finally:
        connection.close()


def phorum_read_rate(
    url: str, messages: int, seed: int = 1, prefix: str = "phorum_", fill: bool = True
) -> ReadRate:
    """Fill the empty database at ``url`` with a board of ``messages`` (unless ``fill`` is
    false: it holds one), then time a raw read of it and a read through ``source``."""
    if fill:
        messages = fill_board(url, messages, seed, prefix)
    started = time.perf_counter()
    count = read_raw(url, prefix)
    raw = time.perf_counter() - started
    started = time.perf_counter()
    with source.open(url, prefix) as phorum:
        through = sum(1 for _ in phorum.messages())
    read = time.perf_counter() - started
    assert count == through, (count, through)
    return ReadRate(count, raw, read)


def _command(data: Path, *args: str) -> subprocess.CompletedProcess:
    """``newsbrief ARGS`` in a process of its own, in production mode (served over plain
    HTTP on loopback), on the SQLite database and state in ``data``."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsbrief.settings",
        "DATABASE_URL": f"sqlite:///{data / 'newsbrief.sqlite3'}",
        "NEWSBRIEF_DATA_DIR": str(data),
        "NEWSBRIEF_PAGES_PATH": str(data / "pages"),
        "NEWSBRIEF_STATIC_ROOT": str(data / "static"),
        "NEWSBRIEF_SEARCH_PATH": str(data / "search"),
        "NEWSBRIEF_SECRET_KEY": secrets.token_urlsafe(40),
        "NEWSBRIEF_ALLOWED_HOSTS": "localhost",
        "NEWSBRIEF_SSL_REDIRECT": "0",
        "NEWSBRIEF_SECURE_COOKIES": "0",
        "NEWSBRIEF_HSTS_SECONDS": "0",
        "NEWSBRIEF_RELATED_EMBEDDINGS": "0",
        "NEWSBRIEF_DEBUG": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", *args], env=env, text=True, capture_output=True
    )
    if done.returncode:
        raise RuntimeError(f"newsbrief {args[0]} failed:\n{done.stderr[-3000:]}")
    return done


_TIMES = (
    "import json; from newsbrief.phorum.addresses import old_address_times; "
    "print(json.dumps(old_address_times({n})))"
)


def run(
    messages: int, mysql_url: str, workdir: Path, seed: int = 1, addresses: int = ADDRESSES,
    log=print,
) -> dict:  # fmt: skip
    """The whole benchmark; its figures. ``mysql_url`` names the server (its database part
    is ignored): a scratch database is made there and dropped at the end."""
    name = f"newsbrief_bench_{secrets.token_hex(4)}"
    server = source.connect(urllib.parse.urlunsplit(
        urllib.parse.urlsplit(mysql_url)._replace(path="")))  # fmt: skip
    with server.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(mysql_url)._replace(path=f"/{name}"))
    data = workdir.resolve() / f"phorum-{messages}"
    try:
        log(f"filling a board of {messages} messages into {name}")
        started = time.perf_counter()
        written = fill_board(url, messages, seed)
        fill_seconds = time.perf_counter() - started
        log("reading it raw and through phorum.source")
        read = phorum_read_rate(url, written, seed, fill=False)
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        log(f"a fresh SQLite database in {data}")
        _command(data, "migrate", "--verbosity", "0")
        _command(data, "collectstatic", "--noinput", "--verbosity", "0")
        log("newsbrief import phorum --dry-run ... (read and converted, nothing written)")
        started = time.perf_counter()
        _command(data, "import", "phorum", url, "--no-progress", "--dry-run")
        dry_seconds = time.perf_counter() - started
        log("newsbrief import phorum ...")
        started = time.perf_counter()
        out = _command(
            data, "import", "phorum", url, "--no-progress", "--backup", str(data / "before.backup")
        ).stdout
        import_seconds = time.perf_counter() - started
        with sqlite3.connect(data / "newsbrief.sqlite3") as db:
            briefs = db.execute("SELECT COUNT(*) FROM briefs_brief").fetchone()[0]
            revisions = db.execute("SELECT COUNT(*) FROM briefs_revision").fetchone()[0]
            edited = db.execute(
                "SELECT COUNT(*) FROM (SELECT brief_id FROM briefs_revision "
                "GROUP BY brief_id HAVING COUNT(*) > 1 OR MAX(number) > 0)"
            ).fetchone()[0]
        log(f"answering {addresses} old addresses")
        times = json.loads(
            _command(data, "shell", "-c", _TIMES.format(n=addresses)).stdout.splitlines()[-1]
        )
    finally:
        with server.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        server.close()
    rate = briefs / import_seconds
    return {
        "database": name,
        "messages": written,
        "fill_seconds": round(fill_seconds, 2),
        "raw_read_rate": round(read.raw_rate),
        "source_read_rate": round(read.source_rate),
        "briefs": briefs,
        "edited_briefs": edited,
        "revisions": revisions,
        "dry_run_seconds": round(dry_seconds, 2),
        "dry_run_rate": round(written / dry_seconds),
        "import_seconds": round(import_seconds, 2),
        "import_rate": round(rate),
        "ratio_to_raw": round(rate / read.raw_rate, 4),
        "addresses": times,
        "report": out.splitlines(),
    }


def report(figures: dict) -> str:
    times = figures["addresses"]
    rate, p99 = figures["import_rate"], times["p99_ms"]
    return "\n".join([
        f"board: {figures['messages']} messages, {figures['edited_briefs']} briefs edited "
        f"({figures['revisions']} revisions); filled in {figures['fill_seconds']} s",
        f"raw read: {figures['raw_read_rate']} messages/s; through phorum.source: "
        f"{figures['source_read_rate']} messages/s",
        f"newsbrief import phorum --dry-run (the Phorum side: read, repaired, converted): "
        f"{figures['messages']} messages in {figures['dry_run_seconds']} s = "
        f"{figures['dry_run_rate']} messages/s",
        f"newsbrief import phorum: {figures['briefs']} briefs in {figures['import_seconds']} s "
        f"= {rate} briefs/s ({figures['ratio_to_raw']:.2%} of the raw read; goal "
        f"{TARGET_RATE}/s: {'met' if rate >= TARGET_RATE else 'NOT met'})",
        f"old addresses: {times['n']} answered, p50 {times['median_ms']:.2f} ms, "
        f"p99 {p99:.2f} ms, max {times['max_ms']:.2f} ms (goal p99 <= {TARGET_P99_MS} ms: "
        f"{'met' if p99 <= TARGET_P99_MS else 'NOT met'})",
    ])  # fmt: skip
