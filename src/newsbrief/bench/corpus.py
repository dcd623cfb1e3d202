"""A synthetic archive for benchmarks, reproducible by seed.

``generate(n, seed)`` yields ``BenchBrief`` records shaped like real briefs: English ones,
Traditional Chinese ones with English names and numbers embedded, titles, 80-400 word (or
character) bodies in paragraphs, tags from a fixed category list, a source, an author and a
publication date spread over 2008-2025. Brief ``i`` depends only on ``(seed, i)``, so a
corpus can be generated in parallel, in pieces, or resumed part way.

Words are drawn with Zipf-like weights: Chinese from jieba's own dictionary and its
frequencies (converted to Taiwan Traditional with OpenCC ``s2twp``), English from
``words.COMMON_WORDS`` by rank, extended with a long tail of generated rare terms and names,
so that common and rare terms behave as in a real archive.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import random
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

from .words import COMMON_WORDS

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("semiconductors", "Semiconductors", "半導體"),
    ("displays", "Displays", "顯示器"),
    ("telecom", "Telecommunications", "電信"),
    ("computing", "Computing", "電腦"),
    ("energy", "Energy", "能源"),
    ("green-tech", "Green Technology", "綠色科技"),
    ("biotech", "Biotechnology", "生物科技"),
    ("medical", "Medical Devices", "醫療器材"),
    ("automotive", "Automotive", "汽車"),
    ("machinery", "Machinery", "機械"),
    ("materials", "Materials", "材料"),
    ("policy", "Policy", "政策"),
    ("trade", "Trade", "貿易"),
    ("investment", "Investment", "投資"),
    ("research", "Research", "研究"),
    ("startups", "Startups", "新創"),
    ("ai", "Artificial Intelligence", "人工智慧"),
    ("aerospace", "Aerospace", "航太"),
)
SOURCES_EN = (
    "CENS.com", "Taipei Times", "DigiTimes", "Focus Taiwan", "Taiwan News",
    "EE Times Asia", "China Post", "Nikkei Asia",
)  # fmt: skip
SOURCES_ZH = ("經濟日報", "工商時報", "中央社", "自由時報", "聯合報", "數位時代", "科技新報")
AUTHORS = tuple(f"editor{i:02d}" for i in range(1, 13))
NAMES = (
    "TSMC", "ECFA", "ITRI", "AUO", "UMC", "MediaTek", "Foxconn", "ASUS", "Acer", "HTC",
    "Delta", "Quanta", "Pegatron", "Innolux", "Largan", "Nvidia", "Intel", "Apple", "Samsung",
    "Qualcomm", "DRAM", "NAND", "OLED", "LED", "LCD", "5G", "AI", "IC", "IoT", "EV", "GPU",
    "CPU", "WTO", "APEC", "MOEA", "NDC", "III", "CoWoS", "EUV", "SiC", "GaN", "ASML",
)  # fmt: skip
LANGUAGES = ("en", "zh-hant")
ZH_SHARE = 0.45  # share of briefs in Traditional Chinese
START = dt.datetime(2008, 1, 1, tzinfo=dt.UTC)
SPAN_SECONDS = int((dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - START).total_seconds())
CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_SYLLABLES = tuple(
    c + v for c in ("b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
                    "tr", "st", "qu", "ph", "x") for v in ("a", "e", "i", "o", "u", "ai", "or")
)  # fmt: skip
RARE_TERMS = 30_000  # generated tail of the English vocabulary
RARE_NAMES = 5_000  # generated company and product names
TAIL_DAMPING = 0.4


@dataclasses.dataclass(frozen=True)
class BenchBrief:
    """One synthetic brief; ``tags`` are category slugs from ``CATEGORIES``."""

    index: int
    uid: uuid.UUID
    translation_key: uuid.UUID
    language: str
    title: str
    body: str
    tags: tuple[str, ...]
    source_name: str
    source_date: dt.date
    published_at: dt.datetime
    author: str

    @property
    def text(self) -> str:
        """Title and body: what a search index holds."""
        return f"{self.title}\n\n{self.body}"

    def to_content(self):
        """The brief as ``BriefContent``, for code that saves briefs the ordinary way."""
        from newsbrief.briefs.content import BriefContent

        names = {slug: (en, zh) for slug, en, zh in CATEGORIES}
        zh = self.language == "zh-hant"
        return BriefContent(
            language=self.language,
            title=self.title,
            body=self.body,
            author=self.author,
            published_at=self.published_at,
            tags=tuple(names[t][1 if zh else 0] for t in self.tags),
            source_name=self.source_name,
            source_date=self.source_date,
            uid=self.uid,
            translation_key=self.translation_key,
        )


class Vocabulary:
    """Words and cumulative weights for fast weighted draws."""

    def __init__(self, weighted: list[tuple[str, float]]):
        self.words = [w for w, _ in weighted]
        self.cum = list(itertools.accumulate(weight for _, weight in weighted))
        self.total = self.cum[-1]

    def __len__(self) -> int:
        return len(self.words)

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)

    def rank(self, word: str) -> int:
        return self.words.index(word)

    def weight(self, rank: int) -> float:
        return self.cum[rank] - (self.cum[rank - 1] if rank else 0.0)

    def draw_rank_range(self, rng: random.Random, lo: int, hi: int) -> str:
        """A word with rank in [lo, hi), weighted as in the corpus."""
        hi = min(hi, len(self.words))
        base = self.cum[lo - 1] if lo else 0.0
        x = base + rng.random() * (self.cum[hi - 1] - base)
        return self.words[min(bisect.bisect_right(self.cum, x), hi - 1)]


def _made_up(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


@functools.cache
def english() -> Vocabulary:
    """Common words by rank, then a tail of generated rare terms; weight 1 / rank, the tail
    damped so that common words make about 85% of the running text, as in news prose."""
    common = list(dict.fromkeys(COMMON_WORDS))
    rng = random.Random("newsbrief-english-tail")
    seen = set(common)
    tail: list[str] = []
    while len(tail) < RARE_TERMS:
        word = _made_up(rng, rng.choice((2, 3, 3, 4)))
        if word not in seen:
            seen.add(word)
            tail.append(word)
    return Vocabulary(
        [
            (w, (1.0 if r < len(common) else TAIL_DAMPING) / (r + 1))
            for r, w in enumerate(common + tail)
        ]
    )


@functools.cache
def names() -> Vocabulary:
    """Well-known names first, then generated company and product names."""
    rng = random.Random("newsbrief-names")
    made: list[str] = []
    seen = set(NAMES)
    while len(made) < RARE_NAMES:
        name = _made_up(rng, rng.choice((2, 3))).capitalize()
        if rng.random() < 0.3:
            name += rng.choice(("Tech", "tronics", "Semi", "Bio", "Net", "Labs"))
        if name not in seen:
            seen.add(name)
            made.append(name)
    return Vocabulary([(w, 1.0 / (r + 1) ** 0.9) for r, w in enumerate((*NAMES, *made))])


def jieba_dictionary() -> Path:
    import jieba

    return Path(jieba.__file__).parent / "dict.txt"


CHINESE_WORDS = 60_000


@functools.cache
def chinese() -> Vocabulary:
    """The most frequent Chinese words of jieba's dictionary, in Taiwan Traditional, with
    jieba's frequencies as weights (a Zipf-like distribution)."""
    import opencc

    entries = []
    with jieba_dictionary().open(encoding="utf-8") as f:
        for line in f:
            word, freq, *_ = line.split()
            if CJK.match(word) and len(word) <= 4:
                entries.append((int(freq), word))
    entries.sort(key=lambda e: (-e[0], e[1]))
    converter = opencc.OpenCC("s2twp")
    merged: dict[str, float] = {}
    for freq, word in entries[:CHINESE_WORDS]:
        traditional = converter.convert(word)
        merged[traditional] = merged.get(traditional, 0.0) + freq
    return Vocabulary(sorted(merged.items(), key=lambda e: (-e[1], e[0])))


def _number(rng: random.Random, zh: bool) -> str:
    kind = rng.random()
    if kind < 0.3:
        return f"{rng.uniform(0.1, 99):.1f}%"
    if kind < 0.55:
        return f"{rng.randint(1995, 2025)}年" if zh else str(rng.randint(1995, 2025))
    if kind < 0.8:
        value = f"{rng.uniform(1, 999):.1f}"
        return f"{value}億元" if zh else f"NT${value} billion"
    return str(rng.randint(2, 5000))


def english_sentence(rng: random.Random, n_words: int) -> str:
    words = english().draw(rng, n_words)
    for i in range(len(words)):
        roll = rng.random()
        if roll < 0.06:
            words[i] = names().draw(rng, 1)[0]
        elif roll < 0.09:
            words[i] = _number(rng, zh=False)
    if rng.random() < 0.08:
        words.insert(rng.randrange(len(words) + 1), f"({''.join(chinese().draw(rng, 2))})")
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + "."


def chinese_sentence(rng: random.Random, n_chars: int) -> tuple[str, int]:
    """A sentence of about ``n_chars`` characters; returns it and its length."""
    parts: list[str] = []
    length = clause = 0
    clause_len = rng.randint(6, 16)
    while length < n_chars:
        roll = rng.random()
        if roll < 0.04:
            piece = names().draw(rng, 1)[0]
        elif roll < 0.06:
            piece = _number(rng, zh=True)
        else:
            piece = chinese().draw(rng, 1)[0]
        parts.append(piece)
        length += len(piece)
        clause += len(piece)
        if clause >= clause_len and length < n_chars:
            parts.append("，")
            clause, clause_len = 0, rng.randint(6, 16)
    parts.append("。")
    return "".join(parts), length + 1


def _length(rng: random.Random) -> int:
    """Body length in words or characters, 80-400, most near 150-250."""
    return int(rng.triangular(80, 400, 180))


def _paragraphs(rng: random.Random, sentences: list[str], joiner: str) -> str:
    paragraphs, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if len(current) >= rng.randint(2, 5):
            paragraphs.append(joiner.join(current))
            current = []
    if current:
        paragraphs.append(joiner.join(current))
    return "\n\n".join(paragraphs)


def make_brief(seed: int, index: int) -> BenchBrief:
    """Brief number ``index`` of the corpus ``seed``."""
    rng = random.Random(f"newsbrief-bench:{seed}:{index}")
    zh = rng.random() < ZH_SHARE
    target = _length(rng)
    if zh:
        title = chinese_sentence(rng, rng.randint(12, 28))[0].rstrip("。")
        sentences, total = [], 0
        while total < target:
            sentence, length = chinese_sentence(rng, rng.randint(20, 60))
            sentences.append(sentence)
            total += length
        body = _paragraphs(rng, sentences, "")
        source = rng.choice(SOURCES_ZH if rng.random() < 0.8 else SOURCES_EN)
    else:
        title = english_sentence(rng, rng.randint(6, 14)).rstrip(".")
        title = " ".join(w[:1].upper() + w[1:] for w in title.split())
        sentences, total = [], 0
        while total < target:
            n = rng.randint(8, 28)
            sentences.append(english_sentence(rng, n))
            total += n
        body = _paragraphs(rng, sentences, " ")
        source = rng.choice(SOURCES_EN)
    published = START + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
    tags = tuple(c[0] for c in rng.sample(CATEGORIES, rng.choice((1, 1, 2, 2, 3))))
    return BenchBrief(
        index=index,
        uid=uuid.UUID(int=rng.getrandbits(128), version=4),
        translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
        language="zh-hant" if zh else "en",
        title=title,
        body=body,
        tags=tags,
        source_name=source,
        source_date=(published - dt.timedelta(days=rng.randint(0, 2))).date(),
        published_at=published,
        author=rng.choice(AUTHORS),
    )


def generate(n: int, seed: int = 1, start: int = 0) -> Iterator[BenchBrief]:
    """Briefs ``start`` .. ``n - 1`` of the corpus ``seed``."""
    for index in range(start, n):
        yield make_brief(seed, index)
