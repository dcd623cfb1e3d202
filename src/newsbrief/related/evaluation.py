"""``newsbrief eval``: how good the proposals are, on any corpus of JSON Lines.

Each function follows the protocol in ``shared/eval/README.md`` and ranks with exactly what
the product uses (``ranking.rank`` with the product's weights, ``TagSuggester``), so a figure
here is a figure of the product. Embeddings are cached in a SQLite file keyed by model and
text: a rerun embeds nothing again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import pairing as pairing_
from .embedding import FileCache
from .features import Profile
from .ranking import RELATED_FLOOR, Archive, rank
from .tags import TagModel, TagSuggester

TEXT_FIELDS = ("title", "body")


class CorpusError(ValueError):
    pass


@dataclasses.dataclass
class Item:
    id: str
    title: str
    body: str
    lang: str
    date: str
    tags: list[str]
    group: str | None
    pair: str | None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"

    def profile(self) -> Profile:
        date = dt.date.fromisoformat(self.date[:10]) if self.date else None
        return Profile.of(
            self.id,
            title=self.title,
            body=self.body,
            language=self.lang,
            date=date,
            tags=self.tags,
        )


def load(path: Path) -> list[Item]:
    """The corpus in file order; ``CorpusError`` naming the line for a bad one."""
    items = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                missing = [k for k in TEXT_FIELDS if not isinstance(row.get(k), str)]
                if not isinstance(row.get("id"), str | int) or isinstance(row["id"], bool):
                    missing.insert(0, "id")
                if missing:
                    raise CorpusError(f"missing or not text: {', '.join(missing)}")
                date = str(row.get("date") or "")
                if date:
                    dt.date.fromisoformat(date[:10])
                items.append(
                    Item(
                        id=str(row["id"]),
                        title=row["title"],
                        body=row["body"],
                        lang=str(row.get("lang") or "en"),
                        date=date,
                        tags=[str(t) for t in row.get("tags") or []],
                        group=None if row.get("group") is None else str(row["group"]),
                        pair=None if row.get("pair") is None else str(row["pair"]),
                    )
                )
            except (ValueError, TypeError, AttributeError) as error:
                raise CorpusError(f"{path}:{number}: {error}") from None
    return items


def by_date(items) -> list[Item]:
    """The protocol's order: (date, id)."""
    return sorted(items, key=lambda item: (item.date, item.id))


def _archive(
    items: list[Item], cache: FileCache | None, progress
) -> tuple[Archive, np.ndarray | None]:
    vectors = cache.embed([i.text for i in items], progress) if cache else None
    return Archive([i.profile() for i in items], vectors), vectors


#: Floors whose cost ``related`` reports besides ``RELATED_FLOOR``'s.
FLOORS = (0.05, 0.1, 0.15, 0.2, 0.3)


def related(path: Path, cache: FileCache | None, progress: Callable | None = None) -> dict:
    """The protocol's figures, and what the floor costs: ranked with ``RELATED_FLOOR``, the
    share of queries left with no proposal and the nDCG of what remains, and the share of
    non-queries (items with an earlier item but no earlier thread-mate: true history is
    none) that still get a proposal."""
    items = by_date(load(path))
    archive, _vectors = _archive(items, cache, progress)
    group = {i.id: i.group for i in items}
    queries, others = [], []
    for n, profile in enumerate(archive.profiles):
        earlier = archive.earlier_than(profile.date)
        relevant = {p.key for p in archive.profiles[:earlier] if group[p.key] == group[profile.key]}
        if relevant:
            queries.append((n, relevant))
        elif earlier:
            others.append(n)
    ours = [(_ranked(archive, n), relevant) for n, relevant in queries]
    baseline = _bm25s_baseline(archive, queries)
    result = {"queries": len(queries), **_metrics(_keys(archive, ours, 0.0))}
    result["baseline"] = _metrics(baseline)
    result["ratio"] = {
        k: round(result[k] / v, 3) if v else None for k, v in result["baseline"].items()
    }
    result["embedding"] = archive.vectors is not None
    tops = [_ranked(archive, n, limit=1) for n in others]
    costs = [_floor_cost(archive, ours, tops, floor) for floor in sorted({RELATED_FLOOR, *FLOORS})]
    result["floor"] = next(c for c in costs if c["floor"] == RELATED_FLOOR)
    result["floors"] = costs
    return result


def _ranked(archive: Archive, n: int, limit: int = 10) -> list:
    """Item ``n``'s related messages, unfloored (the floor is applied per figure)."""
    profile = archive.profiles[n]
    vector = None if archive.vectors is None else archive.vectors[n]
    return rank(profile, archive, vector=vector, limit=limit, before=profile.date)


def _keys(archive: Archive, ranked: list, floor: float) -> list[tuple[list, set]]:
    return [
        ([archive.keys[h.index] for h in hits if h.confidence >= floor], relevant)
        for hits, relevant in ranked
    ]


def _floor_cost(archive: Archive, ours: list, tops: list, floor: float) -> dict:
    kept = _keys(archive, ours, floor)
    share = lambda xs: round(float(np.mean(xs)), 4) if xs else 0.0  # noqa: E731
    return {
        "floor": floor,
        "ndcg_at_10": _metrics(kept)["ndcg_at_10"],
        "queries_without": share([not keys for keys, _relevant in kept]),
        "non_queries": len(tops),
        "non_queries_with": share([bool(t) and t[0].confidence >= floor for t in tops]),
    }


def _bm25s_baseline(archive: Archive, queries) -> list:
    """The protocol's baseline: bm25s, Lucene's BM25 (k1 1.5, b 0.75), its English stop words,
    no stemming, title + body on both sides."""
    import bm25s

    texts = [p.text for p in archive.profiles]
    tokens = bm25s.tokenize(texts, stopwords="en", show_progress=False)
    retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    retriever.index(tokens, show_progress=False)
    words = {v: k for k, v in tokens.vocab.items()}
    ranked = []
    for n, relevant in queries:
        query = [words[t] for t in tokens.ids[n]]
        earlier = archive.earlier_than(archive.profiles[n].date)
        scores = retriever.get_scores(query)[:earlier]
        best = np.argsort(-scores, kind="stable")[:10]
        ranked.append(([archive.keys[j] for j in best], relevant))
    return ranked


def _metrics(ranked: list[tuple[list, set]]) -> dict:
    ndcg, recall, mrr = [], [], []
    for keys, relevant in ranked:
        hits = [k in relevant for k in keys[:10]]
        dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(hits) if hit)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
        ndcg.append(dcg / ideal)
        recall.append(sum(hits) / len(relevant))
        mrr.append(next((1 / (i + 1) for i, hit in enumerate(hits) if hit), 0.0))
    mean = lambda xs: round(float(np.mean(xs)), 4) if xs else 0.0  # noqa: E731
    return {"ndcg_at_10": mean(ndcg), "recall_at_10": mean(recall), "mrr": mean(mrr)}


def tags(path: Path, cache: FileCache | None, progress: Callable | None = None) -> dict:
    """Train on the older 80% (by date, then id), suggest for the newest 20%."""
    items = by_date(i for i in load(path) if i.tags)
    cut = int(len(items) * 0.8)
    archive, vectors = _archive(items, cache, progress)
    train = Archive(archive.profiles[:cut], None if vectors is None else vectors[:cut])
    model = TagModel.train(((p.terms, p.tags) for p in train.profiles), train.vectors)
    suggester = TagSuggester(model, train)
    top1 = top3 = 0
    for n in range(cut, len(items)):
        profile = archive.profiles[n]
        vector = None if vectors is None else vectors[n]
        suggested = [t for t, _c in suggester.suggest(profile, vector, limit=3)]
        top1 += bool(suggested) and suggested[0] in profile.tags
        top3 += bool(profile.tags & set(suggested))
    test = len(items) - cut
    return {
        "train": cut,
        "test": test,
        "top1": round(top1 / test, 4) if test else 0.0,
        "top3": round(top3 / test, 4) if test else 0.0,
        "embedding": vectors is not None,
    }


def pairing(path: Path, cache: FileCache | None, progress: Callable | None = None) -> dict:
    """For every ``zh-Hant`` item, rank all ``en`` items (``pairing.scored``, as the product
    ranks counterparts): is its ``pair`` first, in the top 5; does the floor let it through;
    and, with the pair (and any identical copy of it) removed, does anything else get
    through? The corpus has no dates, so identical texts tie: they are counted apart
    (``identical_misses``, ``ties``), never decided by the archive's order."""
    items = load(path)
    english = [i for i in items if i.lang == "en"]
    chinese = [i for i in items if i.lang.lower().startswith("zh")]
    archive, _vectors = _archive(english, cache, progress)
    queries = [i.profile() for i in chinese]
    vectors = cache.embed([i.text for i in chinese], progress) if cache else None
    texts = [pairing_.identity(p) for p in archive.profiles]
    pair_of = {i.id: i.pair for i in english}
    by_pair: dict[str, set[int]] = {}
    for n, key in enumerate(archive.keys):
        if pair_of[key] is not None:
            by_pair.setdefault(pair_of[key], set()).add(n)
    rows, removed, wanted, exact = {}, {}, {}, {}
    for n, (item, query) in enumerate(zip(chinese, queries, strict=True)):
        vector = None if vectors is None else vectors[n]
        pairs = by_pair.get(item.pair, set())
        wanted[n], exact[n] = {texts[i] for i in pairs}, pairs
        copies = {archive.keys[i] for i, t in enumerate(texts) if t in wanted[n]}
        rows[n] = pairing_.scored(query, archive, vector, limit=10)
        removed[n] = pairing_.scored(query, archive, vector, limit=10, exclude=copies)
    return {
        "pairs": len(queries),
        **_pairing_metrics(rows, wanted, exact, texts, archive),
        "assigned": _share(
            [texts[h.index] in wanted[n] for n, h in pairing_.assign(rows).items()], len(rows)
        ),
        "floor": _floor_metrics(rows, removed, wanted, texts),
        "embedding": vectors is not None,
    }


def _share(flags, n: int) -> float:
    return round(sum(flags) / n, 4) if n else 0.0


def _pairing_metrics(rows: dict, wanted: dict, exact: dict, texts: list, archive) -> dict:
    """acc@1 with the pair's text first (an identical copy of it, scored the same, cannot
    be told apart), with the pair itself listed first (ties in archive order), and expected
    from a fair draw among the tied; the first-listed misses whose winner is the pair's
    text (identical) or almost (term Jaccard >= 0.9)."""
    text1, first, expected, at5, identical, near, ties = [], [], [], [], 0, 0, 0
    for n, hits in rows.items():
        top = [h for h in hits if hits[0].score - h.score <= pairing_.TIE]
        text1.append(bool(hits) and texts[hits[0].index] in wanted[n])
        first.append(bool(hits) and hits[0].index in exact[n])
        expected.append(sum(h.index in exact[n] for h in top) / max(len(top), 1))
        at5.append(any(h.index in exact[n] for h in hits[:5]))
        ties += len(top) > 1
        if hits and not first[-1]:
            identical += text1[-1]
            near += not text1[-1] and any(
                _jaccard_terms(archive.profiles[hits[0].index].terms, archive.profiles[i].terms)
                >= 0.9
                for i in exact[n]
            )
    count = len(rows)
    return {
        "acc_at_1": _share(text1, count),
        "acc_at_1_first_listed": _share(first, count),
        "acc_at_1_fair_draw": round(sum(expected) / count, 4) if count else 0.0,
        "acc_at_5": _share(at5, count),
        "misses": count - sum(first),
        "identical_misses": identical,
        "near_identical_misses": near,
        "ties_at_1": ties,
    }


def _jaccard_terms(a, b) -> float:
    return len(a.keys() & b.keys()) / max(len(a.keys() | b.keys()), 1)


def _floor_metrics(rows: dict, removed: dict, wanted: dict, texts: list) -> dict:
    """With the pair present: the share whose top proposal passes the floor and is right
    (goal >= 0.90); with it removed: the share that still get a proposal (goal <= 0.05)."""
    floor = pairing_.FLOOR
    proposed = {n: bool(h) and floor.passes(h[0]) for n, h in rows.items()}
    kept = [proposed[n] and texts[h[0].index] in wanted[n] for n, h in rows.items()]
    wrong = [proposed[n] and texts[h[0].index] not in wanted[n] for n, h in rows.items()]
    leaked = [any(floor.passes(h) for h in hits) for hits in removed.values()]
    return {
        **dataclasses.asdict(floor),
        "present_kept": _share(kept, len(rows)),
        "present_wrong": _share(wrong, len(rows)),
        "removed_proposed": _share(leaked, len(removed)),
    }
