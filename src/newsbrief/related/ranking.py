"""The hybrid ranking of related messages: one implementation for the product, the command
line, the evaluation and the benchmark.

Candidates are the best few hundred earlier items by each signal (BM25 over the analyzer's
terms, shared names and numbers, embedding similarity); each is then described by six
features:

- ``lexical``: BM25, divided by the query's best candidate score;
- ``title``: BM25 of the query's title terms against candidates' titles, scaled the same way;
- ``entities``: idf-weighted overlap of names and numbers, scaled the same way;
- ``embedding``: cosine similarity of the (multilingual) sentence embeddings, 0 if none;
- ``tags``: Jaccard overlap of the category tags;
- ``recency``: ``exp(-days apart / RECENCY_DAYS)``: a follow-up tends to come soon after.

Related messages fuse them by z-scores (``Weights.standardise``): the text signals are
standardised across the query's candidates, so a weight means "per standard deviation" in any
archive, whatever the scale of its BM25 scores or the spread of its embeddings, and the weights
are a logistic regression's, cross-validated on ``shared/eval/newsgroups-dev.jsonl`` and
rounded. Counterparts keep the max-scaled sum. Since both are relative to the query, each hit
also gets a ``confidence`` from absolute evidence only (``CONFIDENCE``): the floor under which
nothing is proposed. ``related/README.md`` has the figures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .features import Profile
from .lexical import Builder, LexicalIndex

#: Candidates taken from each signal before the features are combined.
CANDIDATES = 200
RECENCY_DAYS = 30.0


@dataclasses.dataclass(frozen=True)
class Weights:
    lexical: float
    title: float
    entities: float
    embedding: float
    tags: float
    recency: float
    #: Fuse z-scores of the text signals (lexical, title, entities, embedding) across the
    #: candidates rather than their values scaled by the best candidate's.
    standardise: bool = False
    #: The lexical weight when there is no embedding (None: unchanged): standardised, the
    #: embedding's share of the spread goes to the words.
    lexical_alone: float | None = None

    def without_embedding(self) -> Weights:
        lexical = self.lexical if self.lexical_alone is None else self.lexical_alone
        return dataclasses.replace(self, embedding=0.0, lexical=lexical)


#: Related messages, z-score fusion: a logistic regression over the six features (5-fold
#: cross-validated by query on the dev corpus: nDCG@10 0.517 with the embedding, 0.470
#: without), its weights rounded and scaled so the embedding's is 1. Names add nothing
#: measurable there (0.5164 without, 0.5174 at 0.1) but carry briefs across languages.
DEFAULT_WEIGHTS = Weights(
    lexical=0.5,
    title=0.0,
    entities=0.1,
    embedding=1.0,
    tags=7.0,
    recency=2.5,
    standardise=True,
    lexical_alone=1.0,
)
#: The tag suggester's neighbours: the query has no tags yet.
NEIGHBOUR_WEIGHTS = dataclasses.replace(DEFAULT_WEIGHTS, tags=0.0)
#: The chance that a related message is true history (on the dev corpus: a post of the same
#: thread), from absolute evidence only, since the fused score is relative to the query: a
#: logistic model over the share of the query's self-score a candidate reaches
#: (``LexicalIndex.ceiling``), the raw embedding cosine and recency, fitted on the top ten of
#: every dev post (about 89,000 proposals), rounded; one model with the embedding, one
#: without it. Tag overlap is left out: the ranking's top ten share the query's tags almost
#: always, so in the model it only moved the intercept, and a brief not tagged yet would
#: never clear the floor.
CONFIDENCE = {"lexical_share": 2.6, "embedding": 3.9, "recency": 1.2}
CONFIDENCE_INTERCEPT = -5.2
CONFIDENCE_LEXICAL = {"lexical_share": 3.9, "recency": 1.1}
CONFIDENCE_LEXICAL_INTERCEPT = -3.75
#: Related messages under this confidence are not proposed. On the dev corpus, with the
#: embedding: 24% of the queries keep no proposal and 62% of the posts with no earlier
#: thread-mate still get one (0.05: 2% and 95%; 0.2: 68% and 19%; README).
RELATED_FLOOR = 0.1
#: Counterparts (the same news item in the other language): shared Latin-script words, names
#: and numbers, the titles above all, and the multilingual embedding; no recency (dates are
#: filtered before ranking).
PAIRING_WEIGHTS = Weights(
    lexical=1.0, title=1.0, entities=0.3, embedding=1.0, tags=0.5, recency=0.0
)


@dataclasses.dataclass
class Scored:
    index: int  # into the archive
    score: float
    features: dict[str, float]
    #: Each feature's part of ``score`` (weight times the value the fusion used).
    contributions: dict[str, float] = dataclasses.field(default_factory=dict)
    #: How likely this is true history, 0..1, from absolute evidence (``CONFIDENCE``).
    confidence: float = 0.0


class Archive:
    """Items in date order and what the ranker reads of them: three BM25 indexes (text,
    titles, names), each item's key, day, language and tags, and its embedding: a matrix of
    unit rows, or none when no model could be loaded. ``save``/``load`` keep it in a folder,
    memory-mapped when loaded, with an HNSW index (``usearch``, int8) for the embeddings of a
    large archive, where comparing with every row would be too slow.

    ``profiles`` (the items as given) are kept when built in memory; a loaded archive has
    none, and callers look up what they show by key."""

    FILES = ("days", "languages", "tag_starts", "tag_ids")

    def __init__(
        self, profiles: list[Profile], vectors: np.ndarray | None = None, like: Archive = None
    ):
        """``like``: the larger archive these items are a delta to (``live``): its term
        statistics count in theirs and its tag ids are theirs."""
        order = self._build(profiles, vectors, like)
        self.profiles = [profiles[i] for i in order]

    @classmethod
    def stream(cls, profiles: Iterable[Profile], vectors: np.ndarray | None = None) -> Archive:
        """An archive of ``profiles`` (in any order; ``vectors`` in the same order) keeping
        none of them: for archives too large to hold as Python objects (``save`` it, then
        ``load`` it)."""
        archive = cls.__new__(cls)
        archive.profiles = None
        archive._build(profiles, vectors)
        return archive

    def _build(
        self, profiles: Iterable[Profile], vectors: np.ndarray | None, like: Archive = None
    ) -> np.ndarray:
        """Fills the archive in date order; returns that order (positions in ``profiles``)."""
        self.keys, days, languages, tags = [], [], [], []
        self.tag_names: dict[str, int] = dict(like.tag_names) if like is not None else {}
        indexes = {"lexical": Builder(), "titles": Builder(), "names": Builder()}
        for p in profiles:
            self.keys.append(p.key)
            days.append(p.date.toordinal())
            languages.append(p.language)
            tags.append([self.tag_names.setdefault(t, len(self.tag_names)) for t in p.tags])
            indexes["lexical"].add(p.terms)
            indexes["titles"].add(p.title_terms)
            indexes["names"].add(Counter(p.entities))
        for name, builder in indexes.items():
            setattr(self, name, builder.finish(getattr(like, name, None)))
        # Date order, so "earlier than" is a prefix; stable, so equal dates keep their order.
        order = np.argsort(np.array(days, dtype=np.int32), kind="stable")
        if np.any(order[1:] < order[:-1]):
            position = np.empty_like(order)
            position[order] = np.arange(len(order))
            for index in indexes:
                lexical = getattr(self, index)
                lexical.doc_ids = position[lexical.doc_ids].astype(np.int32)
            self.keys = [self.keys[i] for i in order]
        self.days = np.array(days, dtype=np.int32)[order]
        self.languages = np.array(languages, dtype="<U8")[order]
        tags = [tags[i] for i in order]
        self.tag_starts = np.zeros(len(tags) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in tags], out=self.tag_starts[1:])
        self.tag_ids = np.array([t for ts in tags for t in ts], dtype=np.int32)
        self.vectors = None if vectors is None else np.asarray(vectors, np.float32)[order]
        self.ann = None
        return order

    def __len__(self) -> int:
        return len(self.days)

    def earlier_than(self, date: dt.date) -> int:
        """How many items come strictly before ``date``: they are the archive's prefix."""
        return int(np.searchsorted(self.days, date.toordinal(), side="left"))

    def visible(self, candidates: np.ndarray, before: dt.date | None) -> np.ndarray:
        """The candidates ``rank`` may propose (all: its prefix is already before the date)."""
        return candidates

    def tags_of(self, i: int) -> frozenset[int]:
        return frozenset(self.tag_ids[self.tag_starts[i] : self.tag_starts[i + 1]].tolist())

    def similarity(self, vector: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Candidates by embedding among the first ``n`` items, and, when every item was
        compared (no ANN index), the similarity of all ``n``."""
        if self.ann is not None:
            found = self.ann.search(vector, CANDIDATES * 2)
            keep = found.keys < n
            return found.keys[keep].astype(np.int64), None
        everything = self.vectors[:n] @ vector
        return _top(everything + 1, CANDIDATES), everything

    def save(self, path: Path, ann: bool = False) -> None:
        """Into the folder ``path``; ``ann``: with an HNSW index of the embeddings."""
        path.mkdir(parents=True, exist_ok=True)
        for name in self.FILES:
            np.save(path / f"{name}.npy", getattr(self, name))
        keys = np.asarray(self.keys)
        np.save(path / "keys.npy", keys if keys.dtype.kind in "iu" else keys.astype(str))
        (path / "tags.json").write_text(json.dumps(list(self.tag_names)), encoding="utf-8")
        for name in ("lexical", "titles", "names"):
            getattr(self, name).save(path / name)
        if self.vectors is not None:
            np.save(path / "vectors.npy", self.vectors.astype(np.float16))
            if ann:
                from usearch.index import Index

                index = Index(ndim=self.vectors.shape[1], metric="cos", dtype="i8")
                for start in range(0, len(self), 50_000):
                    rows = self.vectors[start : start + 50_000]
                    index.add(np.arange(start, start + len(rows)), rows)
                index.save(str(path / "vectors.usearch"))

    @classmethod
    def load(cls, path: Path) -> Archive:
        archive = cls.__new__(cls)
        archive.profiles = None
        for name in cls.FILES:
            setattr(archive, name, np.load(path / f"{name}.npy", mmap_mode="r"))
        archive.keys = np.load(path / "keys.npy", mmap_mode="r")
        names = json.loads((path / "tags.json").read_text(encoding="utf-8"))
        archive.tag_names = {t: i for i, t in enumerate(names)}
        for name in ("lexical", "titles", "names"):
            setattr(archive, name, LexicalIndex.load(path / name))
        vectors = path / "vectors.npy"
        archive.vectors = np.load(vectors, mmap_mode="r") if vectors.exists() else None
        archive.ann = None
        if (path / "vectors.usearch").exists():
            from usearch.index import Index

            archive.ann = Index.restore(str(path / "vectors.usearch"), view=True)
        return archive


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """The indexes of the ``k`` best positive scores (in no order). Scores are mostly zero,
    so the selection runs over the nonzero ones only."""
    scored = np.flatnonzero(scores > 0)
    if len(scored) <= k:
        return scored
    return scored[np.argpartition(-scores[scored], k)[:k]]


def rank(
    query: Profile,
    archive: Archive,
    *,
    vector: np.ndarray | None = None,
    limit: int = 10,
    before: dt.date | None,
    weights: Weights = DEFAULT_WEIGHTS,
    exclude=frozenset(),
    language: str | None = None,
    floor: float = 0.0,
) -> list[Scored]:
    """The ``limit`` best items for ``query``, best first: among those dated before
    ``before`` (None: the whole archive), in ``language`` if given, with a confidence of at
    least ``floor`` (``RELATED_FLOOR`` for related messages). ``exclude`` holds archive keys
    never to propose (the query itself, its language versions, rejected proposals)."""
    n = len(archive) if before is None else archive.earlier_than(before)
    if n == 0:
        return []
    lexical = archive.lexical.scores(query.terms, n)
    titles = archive.titles.scores(query.title_terms, n)
    names = archive.names.scores(Counter(query.entities), n)
    if language is not None:
        outside = archive.languages[:n] != language
        for scores in (lexical, titles, names):
            scores[outside] = 0
    pools = [_top(lexical, CANDIDATES), _top(titles, CANDIDATES), _top(names, CANDIDATES)]
    use_vectors = vector is not None and archive.vectors is not None and weights.embedding
    if use_vectors:
        pools.append(archive.similarity(vector, n)[0])
    else:
        weights = weights.without_embedding()
    candidates = archive.visible(np.unique(np.concatenate(pools)), before)
    if language is not None:
        candidates = candidates[archive.languages[candidates] == language]
    if exclude:
        candidates = np.array(
            [i for i in candidates if archive.keys[i] not in exclude], dtype=np.int64
        )
    if not len(candidates):
        return []
    # Tags the archive never saw still count in the union: each its own negative id.
    query_tags = frozenset(archive.tag_names.get(t, -1 - i) for i, t in enumerate(query.tags))
    features = {
        "lexical": lexical[candidates] / max(float(lexical[candidates].max()), 1e-9),
        "title": titles[candidates] / max(float(titles[candidates].max()), 1e-9),
        "entities": names[candidates] / max(float(names[candidates].max()), 1e-9),
        "embedding": (
            np.asarray(archive.vectors[candidates], np.float32) @ vector
            if use_vectors
            else np.zeros(len(candidates))
        ),
        "tags": np.array([_jaccard(query_tags, archive.tags_of(i)) for i in candidates]),
        "recency": np.exp(
            -np.abs(query.date.toordinal() - archive.days[candidates]) / RECENCY_DAYS
        ),
    }
    features["lexical_share"] = lexical[candidates] / max(
        archive.lexical.ceiling(query.terms), 1e-9
    )
    fused = {name: features[name] for name in TEXT_SIGNALS if getattr(weights, name)}
    if weights.standardise:
        fused = {name: _standard(values) for name, values in fused.items()}
    parts = {name: getattr(weights, name) * values for name, values in fused.items()}
    parts.update({name: getattr(weights, name) * features[name] for name in ("tags", "recency")})
    total = sum(parts.values())
    confidence = _confidence(features, use_vectors)
    best = np.argsort(-total, kind="stable")[:limit]
    best = best[confidence[best] >= floor]
    return [
        Scored(
            int(candidates[j]),
            float(total[j]),
            {name: float(values[j]) for name, values in features.items()},
            {name: float(values[j]) for name, values in parts.items()},
            float(confidence[j]),
        )
        for j in best
    ]


#: The features a fusion may standardise: the text signals, whose scale depends on the archive.
TEXT_SIGNALS = ("lexical", "title", "entities", "embedding")


def _standard(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)


def _confidence(features: dict[str, np.ndarray], embedding: bool) -> np.ndarray:
    """``CONFIDENCE``'s logistic model over the candidates' absolute features."""
    model, intercept = (
        (CONFIDENCE, CONFIDENCE_INTERCEPT)
        if embedding
        else (CONFIDENCE_LEXICAL, CONFIDENCE_LEXICAL_INTERCEPT)
    )
    logit = intercept + sum(w * features[name] for name, w in model.items())
    return 1 / (1 + np.exp(-logit))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def counterparts(query: Profile, archive: Archive, vector=None, limit: int = 5, rivals=()):
    """The likely other-language versions of ``query``, above the floor: ``pairing``."""
    from .pairing import counterparts

    return counterparts(query, archive, vector, limit, rivals)
