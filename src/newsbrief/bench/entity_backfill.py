"""``newsbrief bench entity-backfill``: how fast the archive's entities are proposed (the
backfill a worker runs after an upgrade or an import), and what one save's proposal costs.

The synthetic corpus (``corpus``) is loaded into a SQLite file of its own (``loading``), every
brief's ``Extracted`` mark is dropped, and ``proposing.drain`` reads them all in batches, as
``newsbrief entities backfill`` does; then single briefs are proposed one at a time, as a save
does, for the per-brief latency."""

from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path

from tqdm import tqdm

from . import loading
from .search import machine, percentiles

SAMPLE = 200


@dataclasses.dataclass
class Options:
    briefs: int
    seed: int
    workdir: Path
    jobs: int
    progress: bool


def run(options: Options, log=print) -> dict:
    from newsbrief.entities import proposing
    from newsbrief.entities.models import BriefEntity

    options.workdir.mkdir(parents=True, exist_ok=True)
    path = options.workdir / f"entities-{options.briefs}-seed{options.seed}.sqlite3"
    with loading.use_sqlite(path):
        loading.load(options.briefs, options.seed, jobs=options.jobs, progress=options.progress)
        proposing.restart()
        BriefEntity.objects.all().delete()
        total = proposing.backlog()
        log(f"Proposing entities for {total:,} briefs")
        with tqdm(total=total, disable=not options.progress, unit=" briefs") as bar:
            started = time.perf_counter()
            done = proposing.drain(progress=bar.update)
            seconds = time.perf_counter() - started
        rows = BriefEntity.objects.count()
        ids = random.Random(options.seed).sample(range(1, total + 1), min(SAMPLE, total))
        single = []
        for pk in ids:
            started = time.perf_counter()
            proposing.propose_many([pk])
            single.append(time.perf_counter() - started)
    return {
        "machine": machine(),
        "briefs": done,
        "seconds": round(seconds, 2),
        "rate": round(done / seconds, 1) if seconds else None,
        "proposals": rows,
        "per_brief_ms": percentiles(single),
    }


def report(figures: dict) -> str:
    ms = figures["per_brief_ms"]
    return "\n".join(
        [
            f"Backfill: {figures['briefs']:,} briefs in {figures['seconds']} s "
            f"({figures['rate']} briefs/s), {figures['proposals']:,} proposals written",
            "One save's proposal (both versions, counts followed): "
            + ", ".join(f"{k} {ms[k]:.1f} ms" for k in ("p50", "p95", "p99", "mean")),
        ]
    )
