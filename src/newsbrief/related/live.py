"""The related index as each server process sees it: the newest snapshot plus the changes
since, kept current by polling, never rebuilt in a request.

A ``View`` is one consistent state: the snapshot of generation G (memory-mapped arrays, see
``snapshots``) and a small in-memory archive of the entries changed after G's watermark, with
the snapshot's own copies of those briefs hidden. At most every ``POLL_SECONDS`` a request
asks the database for change rows after the last one it applied (an indexed range query,
usually empty) and for a newer generation; what it finds it applies before answering. Every
server applies the same rows to the same generation, so every server answers the same; a
brief a worker indexed is proposable everywhere within ``POLL_SECONDS`` of its change row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time

import numpy as np

from .entries import load_profile
from .models import Generation, IndexChange, IndexEntry
from .ranking import Archive

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
#: Change rows read per query: a server far behind catches up in steps.
CHANGES_PER_READ = 5000


class _Joined:
    """Two per-item arrays read as one: positions below ``split`` in the first."""

    def __init__(self, first, second, split: int):
        self.first, self.second, self.split = first, second, split

    def __len__(self) -> int:
        return self.split + len(self.second)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return np.concatenate([np.asarray(self.first[: self.split]), np.asarray(self.second)])[
                index
            ]
        if np.ndim(index) == 0:
            index = int(index)
            return self.first[index] if index < self.split else self.second[index - self.split]
        index = np.asarray(index, dtype=np.int64)
        if not len(index):
            return np.asarray(self.first[:0])
        low = index < self.split
        first = np.asarray(self.first[index[low]]) if low.any() else None
        second = np.asarray(self.second[index[~low] - self.split]) if (~low).any() else None
        if first is None or second is None:
            return first if second is None else second
        out = np.empty((len(index), *first.shape[1:]), dtype=np.result_type(first, second))
        out[low], out[~low] = first, second
        return out


class _JoinedIndex:
    """BM25 over the snapshot and the delta; the delta was built with the snapshot's
    statistics, so their scores compare."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def scores(self, terms, n: int) -> np.ndarray:
        first, second = self.first, self.second
        return np.concatenate(
            [first.scores(terms, first.documents), second.scores(terms, second.documents)]
        )

    def ceiling(self, terms) -> float:
        """The snapshot's: the delta shares its statistics."""
        return self.first.ceiling(terms)


class Combined:
    """The snapshot and the delta as one archive for ``ranking.rank``: items of the delta
    follow the snapshot's, so "earlier than" is a date test rather than a prefix."""

    profiles = None
    ann = None

    def __init__(self, base: Archive, delta: Archive, hidden: np.ndarray):
        self.base, self.delta = base, delta
        split = len(base)
        self.hidden = np.concatenate([hidden, np.zeros(len(delta), dtype=bool)])
        self.keys = _Joined(base.keys, delta.keys, split)
        self.days = _Joined(base.days, delta.days, split)
        self.languages = _Joined(base.languages, delta.languages, split)
        self.tag_names = delta.tag_names  # the base's, and any new tag after them
        for name in ("lexical", "titles", "names"):
            setattr(self, name, _JoinedIndex(getattr(base, name), getattr(delta, name)))
        dimensions = next(
            (a.vectors.shape[1] for a in (base, delta) if a.vectors is not None), None
        )
        self.vectors = None
        if dimensions is not None:
            self.vectors = _Joined(
                _vectors_or_zeros(base, dimensions), _vectors_or_zeros(delta, dimensions), split
            )

    def __len__(self) -> int:
        return len(self.base) + len(self.delta)

    def earlier_than(self, date: dt.date) -> int:
        return len(self)

    def visible(self, candidates: np.ndarray, before: dt.date | None) -> np.ndarray:
        candidates = candidates[~self.hidden[candidates]]
        if before is not None:
            candidates = candidates[self.days[candidates] < before.toordinal()]
        return candidates

    def similarity(self, vector: np.ndarray, n: int):
        found, _all = self.base.similarity(vector, len(self.base))
        if self.delta.vectors is not None and len(self.delta):
            near = np.asarray(self.delta.vectors) @ vector
            found = np.concatenate([found, len(self.base) + np.flatnonzero(near > -1)])
        return found, None

    def tags_of(self, i: int) -> frozenset[int]:
        if i < len(self.base):
            return self.base.tags_of(i)
        return self.delta.tags_of(i - len(self.base))


def _vectors_or_zeros(archive: Archive, dimensions: int):
    if archive.vectors is not None:
        return archive.vectors
    return np.zeros((len(archive), dimensions), np.float32)


@dataclasses.dataclass
class View:
    """One consistent state of the index: ``archive`` for ``rank``, ``tags`` the tag model
    trained with the snapshot (None before the first one)."""

    archive: Archive | Combined
    generation: int | None
    seen: int
    tags: object = None

    def key(self, index: int) -> int:
        return int(self.archive.keys[index])


class LiveIndex:
    def __init__(self):
        self.lock = threading.Lock()
        self.snapshot = None  # snapshots.Snapshot of the generation in use
        self.seen = 0  # the last change row applied
        self.delta: dict[int, tuple | None] = {}  # brief id: (profile, vector) or None
        self.view: View | None = None
        self.checked = -float("inf")

    def current(self, fresh: bool = False) -> View:
        """The state to answer from: refreshed first when ``POLL_SECONDS`` have passed (at
        once with ``fresh``: a worker that just wrote an entry)."""
        with self.lock:
            if fresh or self.view is None or time.monotonic() - self.checked >= POLL_SECONDS:
                self._refresh()
                self.checked = time.monotonic()
            return self.view

    def _refresh(self) -> None:
        from . import snapshots

        changed = self.view is None
        latest = Generation.objects.filter(complete=True).order_by("-pk").first()
        if latest is not None and (self.snapshot is None or latest.pk != self.snapshot.pk):
            self.snapshot = snapshots.load(latest)
            self.seen, self.delta, changed = latest.watermark, {}, True
        while rows := list(
            IndexChange.objects.filter(pk__gt=self.seen)
            .order_by("pk")
            .values_list("pk", "brief_id")[:CHANGES_PER_READ]
        ):
            ids = {brief_id for _pk, brief_id in rows}
            self.delta.update(dict.fromkeys(ids))
            for entry in IndexEntry.objects.filter(brief_id__in=ids, listed=True):
                self.delta[entry.brief_id] = (load_profile(entry.profile), entry.as_array())
            self.seen, changed = rows[-1][0], True
        if changed:
            self.view = self._view()

    def _view(self) -> View:
        listed = [(p, v) for p, v in (x for x in self.delta.values() if x is not None)]
        base = self.snapshot.archive if self.snapshot is not None else None
        vectors = None
        dimensions = next((len(v) for _p, v in listed if v is not None), None)
        if dimensions is not None:
            blank = np.zeros(dimensions, np.float32)
            vectors = np.vstack([blank if v is None else v for _p, v in listed])
        delta = Archive([p for p, _v in listed], vectors, like=base)
        generation = None if self.snapshot is None else self.snapshot.pk
        tags = None if self.snapshot is None else self.snapshot.tags
        if base is None:
            return View(delta, generation, self.seen, tags)
        hidden = np.isin(np.asarray(base.keys), np.fromiter(self.delta, np.int64))
        return View(Combined(base, delta, hidden), generation, self.seen, tags)


_live = LiveIndex()


def current(fresh: bool = False) -> View:
    return _live.current(fresh)


def reset() -> None:
    """Forget the state held in this process (tests; a restored backup)."""
    from . import entries

    global _live
    _live = LiveIndex()
    entries.forget()


def warm() -> None:
    """Load the model, the analyzer's dictionaries and the index now, at process start, not
    in the first request."""
    from newsbrief.search.analyzer import analyze

    from . import embedding

    started = time.monotonic()
    embedding.encode(["warm up"])
    analyze("暖機 warm up 臺灣")  # jieba's dictionary, OpenCC
    try:
        view = current()
    except Exception:  # no tables yet (before migrate): the first request loads it
        log.warning("The related index could not be loaded at start", exc_info=True)
        return
    log.info(
        "Related index ready in %.1f s: generation %s, %d briefs",
        time.monotonic() - started,
        view.generation,
        len(view.archive),
    )
