"""BM25 over the shared analyzer's terms, as an inverted index held in numpy arrays.

The related ranker needs the BM25 score of one long query (a whole brief) against every
earlier brief, thousands of times in an evaluation and once per proposal in the product. A
term-major layout (postings sorted by term) answers that with one ``bincount`` per query, and
its arrays can be saved and memory-mapped, so a large archive costs page cache, not memory.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

#: Lucene's defaults (the baseline's), kept: tuning them bought nothing on the dev corpus.
K1 = 1.5
B = 0.75
#: A query brief keeps its most telling terms only. On the dev corpus nDCG@10 was 0.498 with
#: 16, 0.503 with 24 and 32, 0.500 with 48, 0.494 with 96: more terms add noise and time.
MAX_QUERY_TERMS = 32
#: In a large archive, terms in more than this share of the documents are as good as stop
#: words; their long postings cost more than they tell. (The dev corpus is under ``LARGE``.)
MAX_DF_SHARE = 0.1
LARGE = 100_000


@dataclasses.dataclass
class LexicalIndex:
    vocabulary: dict[str, int] | HashedVocabulary
    starts: np.ndarray  # postings of term t: doc_ids[starts[t]:starts[t + 1]]
    doc_ids: np.ndarray
    weights: np.ndarray  # the BM25 term-frequency part, precomputed per posting
    idf: np.ndarray
    documents: int
    average: float  # document length, in terms

    @classmethod
    def build(cls, documents: Iterable[Counter]) -> LexicalIndex:
        """``documents``: each document's term counts, in document order."""
        builder = Builder()
        for terms in documents:
            builder.add(terms)
        return builder.finish()

    @property
    def size(self) -> int:
        return int(self.doc_ids.max()) + 1 if len(self.doc_ids) else 0

    def query_terms(self, terms: Counter) -> list[tuple[int, float]]:
        """The query's known terms with their weights (idf, more for repeated terms), the
        heaviest ``MAX_QUERY_TERMS``, leaving out those in more than ``MAX_DF_SHARE`` of
        the documents (their postings are long and say little)."""
        common = np.log(1 + (1 - MAX_DF_SHARE) / MAX_DF_SHARE) if self.documents >= LARGE else 0
        found = [
            (i, idf * (1 + np.log(c)))
            for t, c in terms.items()
            if (i := self.vocabulary.get(t)) is not None and (idf := float(self.idf[i])) > common
        ]
        found.sort(key=lambda x: -x[1])
        return found[:MAX_QUERY_TERMS]

    def ceiling(self, terms: Counter) -> float:
        """What the query would score against itself as a document of average length, over
        the terms ``query_terms`` would choose if the index held the query too (a term it
        lacks counts as the rarest): a score over it is a share (a copy scores about 1) that
        means the same in any archive, unlike a score over the best candidate's."""
        unseen = float(np.log(1 + (self.documents + 0.5) / 0.5))
        common = np.log(1 + (1 - MAX_DF_SHARE) / MAX_DF_SHARE) if self.documents >= LARGE else 0
        weights = []
        for term, count in terms.items():
            i = self.vocabulary.get(term)
            idf = unseen if i is None else float(self.idf[i])
            if idf > common:
                weights.append((idf * (1 + np.log(count)), count * (K1 + 1) / (count + K1)))
        weights.sort(reverse=True)
        return float(sum(w * tf for w, tf in weights[:MAX_QUERY_TERMS]))

    def scores(self, terms: Counter, n_docs: int) -> np.ndarray:
        """BM25 of the query against documents 0..n_docs-1."""
        chosen = self.query_terms(terms)
        if not chosen:
            return np.zeros(n_docs, dtype=np.float32)
        slices = [slice(self.starts[i], self.starts[i + 1]) for i, _ in chosen]
        docs = np.concatenate([self.doc_ids[s] for s in slices])
        weights = np.concatenate(
            [self.weights[s] * w for s, (_, w) in zip(slices, chosen, strict=True)]
        )
        keep = docs < n_docs
        return np.bincount(docs[keep], weights[keep], minlength=n_docs).astype(np.float32)

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        for name in ("starts", "doc_ids", "weights", "idf"):
            np.save(path / f"{name}.npy", getattr(self, name))
        (path / "documents.txt").write_text(f"{self.documents} {self.average}")
        hashes = np.fromiter((_hash(t) for t in self.vocabulary), np.uint64, len(self.vocabulary))
        order = np.argsort(hashes)
        np.save(path / "term_hashes.npy", hashes[order])
        np.save(path / "term_ids.npy", np.asarray(list(self.vocabulary.values()), np.int64)[order])

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        """Memory-mapped: the postings stay in the page cache."""
        arrays = {
            name: np.load(path / f"{name}.npy", mmap_mode="r")
            for name in ("starts", "doc_ids", "weights", "idf")
        }
        vocabulary = HashedVocabulary(
            np.load(path / "term_hashes.npy", mmap_mode="r"),
            np.load(path / "term_ids.npy", mmap_mode="r"),
        )
        documents, average = (path / "documents.txt").read_text().split()
        return cls(vocabulary, **arrays, documents=int(documents), average=float(average))

    def df(self, term: str) -> int:
        i = self.vocabulary.get(term)
        return 0 if i is None else int(self.starts[i + 1] - self.starts[i])


def _hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")


class HashedVocabulary:
    """A saved index's term ids, looked up by a 64-bit hash of the term in a sorted,
    memory-mapped array: a million terms as a dict would cost a server hundreds of MB."""

    def __init__(self, hashes: np.ndarray, ids: np.ndarray):
        self.hashes, self.ids = hashes, ids

    def __len__(self) -> int:
        return len(self.hashes)

    def get(self, term: str) -> int | None:
        key = np.uint64(_hash(term))
        at = int(np.searchsorted(self.hashes, key))
        if at < len(self.hashes) and self.hashes[at] == key:
            return int(self.ids[at])
        return None


class Builder:
    """Builds a ``LexicalIndex`` a document at a time, holding only compact arrays, so an
    archive of a million briefs never needs them all in memory as Python objects."""

    def __init__(self):
        self.vocabulary: dict[str, int] = {}
        self.term_ids: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []
        self.lengths: list[int] = []

    def add(self, terms: Counter) -> None:
        vocabulary = self.vocabulary
        self.term_ids.append(
            np.fromiter(
                (vocabulary.setdefault(t, len(vocabulary)) for t in terms),
                dtype=np.int32,
                count=len(terms),
            )
        )
        self.counts.append(np.fromiter(terms.values(), dtype=np.float32, count=len(terms)))
        self.lengths.append(sum(terms.values()))

    def finish(self, like: LexicalIndex | None = None) -> LexicalIndex:
        """``like``: a larger index these documents join as a delta: its average length and
        document frequencies count too, so scores of both compare."""
        n = len(self.lengths)
        length = np.asarray(self.lengths, dtype=np.float32)
        avg = float(length.mean()) if n and length.mean() > 0 else 1.0
        if like is not None:
            avg = like.average
        sizes = np.fromiter((len(t) for t in self.term_ids), dtype=np.int64, count=n)
        docs = np.repeat(np.arange(n, dtype=np.int32), sizes)
        terms = np.concatenate(self.term_ids) if n else np.zeros(0, np.int32)
        tf = np.concatenate(self.counts) if n else np.zeros(0, np.float32)
        self.term_ids, self.counts = [], []
        norm = K1 * (1 - B + B * length[docs] / avg)
        weights = (tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        order = np.argsort(terms, kind="stable")
        df = np.bincount(terms, minlength=len(self.vocabulary))
        starts = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
        np.cumsum(df, out=starts[1:])
        total = n
        if like is not None:
            df = df + np.fromiter((like.df(t) for t in self.vocabulary), np.int64, len(df))
            total += like.documents
        idf = np.log(1 + (total - df + 0.5) / (df + 0.5)).astype(np.float32)
        return LexicalIndex(self.vocabulary, starts, docs[order], weights[order], idf, n, avg)
