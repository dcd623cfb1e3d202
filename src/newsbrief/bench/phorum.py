"""``newsbrief bench phorum``'s source side: a generated Phorum board of N messages in a
MariaDB database, and the time to read it, raw and through ``phorum.source``.

The raw read is the peer the import is measured against: the same rows (messages, their
edit-track rows, their files' names) by the same keyset batches, fetched and dropped, with no
decoding, parsing or history. ``source`` does the same reads and hands out repaired records.
"""

from __future__ import annotations

import dataclasses
import time

from newsbrief.phorum import generator, source


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
