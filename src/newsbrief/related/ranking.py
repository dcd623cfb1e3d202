"""The hybrid ranking of related messages: one implementation for the product, the command
line, the evaluation and the benchmark.

Candidates are the best few hundred earlier items by each signal (BM25 over the analyzer's
terms, shared names and numbers, embedding similarity); each is then scored by a weighted sum
of five features, each scaled to 0..1 within the query so the weights compare:

- ``lexical``: BM25, divided by the query's best candidate score;
- ``title``: BM25 of the query's title terms against candidates' titles, scaled the same way;
- ``entities``: idf-weighted overlap of names and numbers, scaled the same way;
- ``embedding``: cosine similarity of the (multilingual) sentence embeddings, 0 if none;
- ``tags``: Jaccard overlap of the category tags;
- ``recency``: ``exp(-days apart / RECENCY_DAYS)``: a follow-up tends to come soon after.

The weights were tuned on ``shared/eval/newsgroups-dev.jsonl`` (related messages) and
``crosslang-dev.jsonl`` (counterparts) by a coarse grid search and rounded, and kept few so
they do not fit those corpora's particular texts; ``related/README.md`` has the figures.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections import Counter

import numpy as np

from .features import Profile
from .lexical import LexicalIndex

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

    def without_embedding(self) -> Weights:
        return dataclasses.replace(self, embedding=0.0)


#: Related messages. Dev corpus nDCG@10: lexical alone 0.367 (bm25s 0.354); + names, tags and
#: recency 0.457; + embedding 0.493 (weight 1: 0.486, 3: 0.492).
DEFAULT_WEIGHTS = Weights(
    lexical=1.0, title=0.0, entities=0.3, embedding=2.0, tags=0.5, recency=0.5
)
#: The tag suggester's neighbours: the query has no tags yet.
NEIGHBOUR_WEIGHTS = dataclasses.replace(DEFAULT_WEIGHTS, tags=0.0)
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


class Archive:
    """Profiles in date order, with the indexes the ranker reads. ``vectors`` is one unit-length
    row per profile, or None when no embedding model could be loaded."""

    def __init__(self, profiles: list[Profile], vectors: np.ndarray | None = None):
        order = sorted(range(len(profiles)), key=lambda i: profiles[i].date)
        self.profiles = [profiles[i] for i in order]
        self.vectors = None if vectors is None else np.asarray(vectors, np.float32)[order]
        self.dates = [p.date for p in self.profiles]
        self.days = np.array([p.date.toordinal() for p in self.profiles], dtype=np.int32)
        self.languages = np.array([p.language for p in self.profiles])
        self.lexical = LexicalIndex.build(p.terms for p in self.profiles)
        self.titles = LexicalIndex.build(p.title_terms for p in self.profiles)
        self.names = LexicalIndex.build(Counter(p.entities) for p in self.profiles)
        self.position = {p.key: i for i, p in enumerate(self.profiles)}

    def __len__(self) -> int:
        return len(self.profiles)

    def earlier_than(self, date: dt.date) -> int:
        """How many profiles come strictly before ``date``: they are the archive's prefix."""
        return bisect.bisect_left(self.dates, date)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if len(scores) <= k:
        return np.flatnonzero(scores > 0)
    top = np.argpartition(-scores, k)[:k]
    return top[scores[top] > 0]


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
) -> list[Scored]:
    """The ``limit`` best items for ``query``, best first: among those dated before
    ``before`` (None: the whole archive), in ``language`` if given. ``exclude`` holds archive
    keys never to propose (the query itself, its language versions, rejected proposals)."""
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
    similarity = None
    if vector is not None and archive.vectors is not None and weights.embedding:
        similarity = archive.vectors[:n] @ vector
        if language is not None:
            similarity[outside] = -1
        pools.append(_top(similarity + 1, CANDIDATES))
    else:
        weights = weights.without_embedding()
    candidates = np.unique(np.concatenate(pools))
    if language is not None:
        candidates = candidates[archive.languages[candidates] == language]
    if exclude:
        candidates = np.array(
            [i for i in candidates if archive.profiles[i].key not in exclude], dtype=np.int64
        )
    if not len(candidates):
        return []
    features = {
        "lexical": lexical[candidates] / max(float(lexical[candidates].max()), 1e-9),
        "title": titles[candidates] / max(float(titles[candidates].max()), 1e-9),
        "entities": names[candidates] / max(float(names[candidates].max()), 1e-9),
        "embedding": (np.zeros(len(candidates)) if similarity is None else similarity[candidates]),
        "tags": np.array([_jaccard(query.tags, archive.profiles[i].tags) for i in candidates]),
        "recency": np.exp(
            -np.abs(query.date.toordinal() - archive.days[candidates]) / RECENCY_DAYS
        ),
    }
    total = sum(getattr(weights, name) * values for name, values in features.items())
    best = np.argsort(-total, kind="stable")[:limit]
    return [
        Scored(
            int(candidates[j]),
            float(total[j]),
            {name: float(values[j]) for name, values in features.items()},
        )
        for j in best
    ]


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def counterparts(query: Profile, archive: Archive, vector=None, limit: int = 5) -> list[Scored]:
    """The likeliest other-language versions of ``query`` among ``archive`` (which holds only
    candidates: the product passes briefs of the other language, unlinked, near in date)."""
    return rank(query, archive, vector=vector, limit=limit, before=None, weights=PAIRING_WEIGHTS)
