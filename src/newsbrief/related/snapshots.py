"""Compaction: every listed entry folded into one snapshot, a new generation.

A worker reads the entries (no analysis: they hold their profiles and vectors), builds the
``Archive`` in date order, trains the tag model on it, saves both as files (memory-mapped by
servers; an HNSW index of the vectors from ``ANN_FROM`` briefs), and stores the files in the
database in parts, so a server on another machine fetches exactly the same bytes into its own
``NEWSBRIEF_RELATED_PATH``. Servers keep answering from the previous generation until the new
one is complete; the generation before that, and the change rows it no longer needs, go.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import shutil
import tempfile
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from .entries import load_profile
from .models import Generation, IndexChange, IndexEntry, SnapshotPart
from .ranking import Archive
from .tags import TagModel

log = logging.getLogger(__name__)

#: From this many briefs the snapshot carries an HNSW index of the embeddings.
ANN_FROM = 50_000
#: The tag model learns from the newest this many tagged briefs.
TAG_EXAMPLES = 50_000
PART_BYTES = 16 * 1024 * 1024
TAGS_FILE = "tags.npz"
#: Written last into a local copy: its presence says the copy is whole.
COMPLETE = "complete"


@dataclasses.dataclass
class Snapshot:
    pk: int
    archive: Archive
    tags: TagModel | None


def folder(generation: Generation) -> Path:
    return settings.NEWSBRIEF_RELATED_PATH / "index" / f"g{generation.pk:08d}-{generation.token}"


def compact(progress=None) -> Generation:
    """A new complete generation of every listed entry; ``progress(n)`` hears of each
    ``n`` entries read."""
    watermark = IndexChange.objects.aggregate(at=Max("pk"))["at"] or 0
    vectors: list[np.ndarray | None] = []
    examples: collections.deque = collections.deque(maxlen=TAG_EXAMPLES)

    def profiles():
        rows = (
            IndexEntry.objects.filter(listed=True)
            .order_by("pk")
            .values_list("profile", "vector")
            .iterator(chunk_size=2000)
        )
        for number, (data, vector) in enumerate(rows, 1):
            profile = load_profile(data)
            vectors.append(None if vector is None else np.frombuffer(bytes(vector), np.float16))
            if profile.tags:
                examples.append((profile.terms, profile.tags, vectors[-1]))
            if progress and number % 1000 == 0:
                progress(1000)
            yield profile

    archive = Archive.stream(profiles(), _LateVectors(vectors))
    if archive.vectors is not None and not archive.vectors.shape[1]:
        archive.vectors = None
    if progress:
        progress(len(archive) % 1000)
    generation = Generation.objects.create(watermark=watermark, briefs=len(archive))
    scratch = Path(tempfile.mkdtemp(prefix="snapshot-", dir=_scratch_dir()))
    try:
        archive.save(scratch, ann=len(archive) >= ANN_FROM)
        model = TagModel.train(
            [(terms, tags) for terms, tags, _v in examples], _centroid_rows(examples)
        )
        if model.tags:
            model.save(scratch / TAGS_FILE)
        _store(generation, scratch)
        _install(scratch, folder(generation))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _publish(generation)
    return generation


class _LateVectors:
    """The vectors ``compact``'s generator collects as the archive reads it: the archive
    turns them into a matrix only after the last profile, when the list is full. None when
    no entry has a vector (the model is off)."""

    def __init__(self, rows: list):
        self.rows = rows

    def __array__(self, dtype=None, copy=None):
        dimensions = next((len(v) for v in self.rows if v is not None), 0)
        matrix = np.zeros((len(self.rows), dimensions), np.float32)
        for i, v in enumerate(self.rows):
            if v is not None:
                matrix[i] = v
        return matrix if dtype is None else matrix.astype(dtype)


def _centroid_rows(examples) -> np.ndarray | None:
    """The tag examples' vectors, for the model's tag centroids (none without a model)."""
    if not examples or any(v is None for _t, _g, v in examples):
        return None
    return np.vstack([np.asarray(v, np.float32) for _t, _g, v in examples])


def _scratch_dir() -> Path:
    path = settings.NEWSBRIEF_RELATED_PATH / "index"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store(generation: Generation, path: Path) -> None:
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        name = file.relative_to(path).as_posix()
        with open(file, "rb") as data:
            number = 0
            while chunk := data.read(PART_BYTES):
                SnapshotPart.objects.create(
                    generation=generation, name=name, number=number, data=chunk
                )
                number += 1
            if number == 0:
                SnapshotPart.objects.create(generation=generation, name=name, number=0, data=b"")


def _install(source: Path, target: Path) -> None:
    """Copy a whole snapshot into ``target`` and mark it complete (a reader never sees half)."""
    if (target / COMPLETE).exists():
        return
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial)
    (partial / COMPLETE).touch()
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def _publish(generation: Generation) -> None:
    """Make ``generation`` the current one; drop what no server needs any more: generations
    before the previous one, and change rows that the previous one already holds."""
    with transaction.atomic():
        Generation.objects.filter(pk=generation.pk).update(complete=True)
        previous = (
            Generation.objects.filter(complete=True, pk__lt=generation.pk).order_by("-pk").first()
        )
        old = Generation.objects.filter(
            pk__lt=previous.pk if previous is not None else generation.pk
        )
        gone = list(old)
        old.delete()
        if previous is not None:
            IndexChange.objects.filter(pk__lte=previous.watermark).delete()
    for old in gone:
        shutil.rmtree(folder(old), ignore_errors=True)


def load(generation: Generation) -> Snapshot:
    """The snapshot of ``generation``, memory-mapped from this machine's copy, fetched from
    the database first when this machine has none."""
    path = folder(generation)
    if not (path / COMPLETE).exists():
        _fetch(generation, path)
    tags = path / TAGS_FILE
    return Snapshot(
        generation.pk, Archive.load(path), TagModel.load(tags) if tags.exists() else None
    )


def _fetch(generation: Generation, path: Path) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="fetch-", dir=_scratch_dir()))
    try:
        parts = SnapshotPart.objects.filter(generation=generation).order_by("name", "number")
        for part in parts.iterator(chunk_size=4):
            file = scratch / part.name
            file.parent.mkdir(parents=True, exist_ok=True)
            with file.open("ab") as out:
                out.write(bytes(part.data))
        _install(scratch, path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
