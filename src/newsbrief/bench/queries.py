"""The fixed query set: common and rare English words, AND queries, phrases and prefixes,
Chinese words in Traditional and Simplified, Chinese without spaces, Chinese phrases and
mixed English-Chinese queries. Reproducible by seed; phrases are cut from briefs of the
corpus being measured, so that they have hits."""

from __future__ import annotations

import dataclasses
import random
import re

from . import corpus

# kind: how many queries of that kind in a set of 200
MIX: dict[str, int] = {
    "en-common": 25,
    "en-rare": 20,
    "en-and2": 20,
    "en-and3": 15,
    "en-phrase": 20,
    "en-prefix": 15,
    "zh-common": 20,
    "zh-rare": 15,
    "zh-simplified": 15,
    "zh-nospace": 15,
    "zh-phrase": 10,
    "mixed": 10,
}
COMMON_RANKS = (60, 700)  # skip the function words at the top
RARE_RANKS = (3_000, 31_000)
ZH_COMMON_RANKS = (30, 2_000)
ZH_RARE_RANKS = (15_000, 60_000)
WORD = re.compile(r"[a-z]+")


@dataclasses.dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str  # in newsbrief's query syntax


def _en(rng: random.Random, ranks: tuple[int, int]) -> str:
    return corpus.english().draw_rank_range(rng, *ranks)


def _zh(rng: random.Random, ranks: tuple[int, int]) -> str:
    """A Chinese word of two characters or more (what people type in a search box)."""
    word = corpus.chinese().draw_rank_range(rng, *ranks)
    while len(word) < 2:
        word = corpus.chinese().draw_rank_range(rng, *ranks)
    return word


def _brief(rng: random.Random, seed: int, n_briefs: int, language: str) -> corpus.BenchBrief:
    for _ in range(1000):
        brief = corpus.make_brief(seed, rng.randrange(n_briefs))
        if brief.language == language:
            return brief
    return brief


def _en_phrase(rng, seed, n_briefs) -> str:
    words = WORD.findall(_brief(rng, seed, n_briefs, "en").body.lower())
    size = rng.choice((2, 2, 3))
    start = rng.randrange(max(1, len(words) - size))
    return '"' + " ".join(words[start : start + size]) + '"'


def _zh_phrase(rng, seed, n_briefs) -> str:
    body = _brief(rng, seed, n_briefs, "zh-hant").body
    runs = [r for r in re.findall(r"[\u4e00-\u9fff]+", body) if len(r) >= 4]
    run = rng.choice(runs) if runs else body[:6]
    size = rng.randint(4, min(6, len(run)))
    start = rng.randrange(len(run) - size + 1)
    return '"' + run[start : start + size] + '"'


def _simplified(rng: random.Random) -> str:
    import opencc

    t2s = opencc.OpenCC("tw2sp")
    for _ in range(50):
        word = _zh(rng, (30, 20_000))
        simplified = t2s.convert(word)
        if simplified != word:
            return simplified
    return t2s.convert(word)


def make_query(kind: str, rng: random.Random, seed: int, n_briefs: int) -> str:
    if kind == "en-common":
        return _en(rng, COMMON_RANKS)
    if kind == "en-rare":
        return _en(rng, RARE_RANKS)
    if kind == "en-and2":
        return f"{_en(rng, COMMON_RANKS)} {_en(rng, rng.choice((COMMON_RANKS, (700, 3000))))}"
    if kind == "en-and3":
        return " ".join(_en(rng, COMMON_RANKS) for _ in range(3))
    if kind == "en-phrase":
        return _en_phrase(rng, seed, n_briefs)
    if kind == "en-prefix":
        word = next(w for w in iter(lambda: _en(rng, (60, 3000)), None) if w.isalpha())
        while len(word) < 6:
            word = _en(rng, (60, 3000))
        return word[: max(4, len(word) - 3)] + "*"
    if kind == "zh-common":
        return _zh(rng, ZH_COMMON_RANKS)
    if kind == "zh-rare":
        return _zh(rng, ZH_RARE_RANKS)
    if kind == "zh-simplified":
        return _simplified(rng)
    if kind == "zh-nospace":
        return _zh(rng, ZH_COMMON_RANKS) + _zh(rng, (30, 5_000))
    if kind == "zh-phrase":
        return _zh_phrase(rng, seed, n_briefs)
    if kind == "mixed":
        name = corpus.names().draw_rank_range(rng, 0, 200)
        return f"{name} {_zh(rng, ZH_COMMON_RANKS)}"
    raise ValueError(kind)


def query_set(seed: int, n_briefs: int, size: int = 200) -> list[BenchQuery]:
    """``size`` queries in the proportions of ``MIX``, the same for the same arguments."""
    rng = random.Random(f"newsbrief-queries:{seed}")
    total = sum(MIX.values())
    queries = []
    for kind, count in MIX.items():
        for _ in range(max(1, round(count * size / total))):
            queries.append(BenchQuery(kind, make_query(kind, rng, seed, n_briefs)))
    return queries
