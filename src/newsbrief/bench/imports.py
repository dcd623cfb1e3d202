"""``newsbrief bench import``: the user's own ``newsbrief import`` of a JSON Lines archive, against
``bench load``'s bulk path, in the same run.

1. N briefs of the synthetic corpus (``corpus``) are written as a version 2 archive, as
   ``newsbrief export`` writes one: the board, its categories and accounts, then each brief
   with its status, times and first revision (kept under --workdir for the next run).
2. ``newsbrief import`` of it runs as a user runs it, in a process of its own, into a fresh
   SQLite database and data directory: timed from start to exit (the search index's catch-up
   at exit included), with the process's CPU seconds; then again, every brief unchanged.
3. ``bench load``'s loader writes the same corpus into another fresh file: its committing
   rate (generation excluded) is the ceiling the import is compared with.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import corpus, loading, search

TARGET_RATE = 1_000  # briefs/s through the user's command


@dataclasses.dataclass
class Options:
    briefs: int
    seed: int = 1
    workdir: Path = Path("var/bench")
    jobs: int = 2


def archive_path(options: Options) -> Path:
    return options.workdir / f"archive-{options.briefs}-seed{options.seed}.jsonl"


def write_archive(path: Path, n: int, seed: int) -> None:
    """The corpus as ``newsbrief export`` would write it (written aside, then renamed, so
    that an interrupted write is not taken for an archive)."""
    from newsbrief.briefs.models import Revision
    from newsbrief.formats import jsonl

    records = [
        jsonl.Header(jsonl.VERSION),
        jsonl.BoardRecord(loading.BOARD_NAME, languages=("en", "zh-hant")),
        *(jsonl.CategoryRecord(slug, en, zh) for slug, en, zh in corpus.CATEGORIES),
        *(jsonl.UserRecord(name) for name in corpus.AUTHORS),
    ]
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(jsonl.write(record) + "\n")
        for brief in corpus.generate(n, seed):
            content = dataclasses.replace(brief.to_content(), board=loading.BOARD_NAME)
            at = brief.published_at
            revision = jsonl.RevisionRecord(
                0, at, brief.author, Revision.Origin.IMPORT, content.to_json()
            )
            record = jsonl.BriefRecord(
                content, "published", created_at=at, updated_at=at, revisions=(revision,)
            )
            out.write(jsonl.write(record) + "\n")
    partial.rename(path)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _newsbrief(args: list[str], env: dict) -> tuple[float, float, str]:
    """Run ``newsbrief ARGS``; its wall and CPU seconds, and what it printed."""
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", *args], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"newsbrief {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    return wall, _children_cpu() - cpu, done.stdout.strip()


def run(options: Options, log=print) -> dict:
    """The whole benchmark; returns the figures (see ``report``)."""
    options.workdir.mkdir(parents=True, exist_ok=True)
    path = archive_path(options)
    if not path.exists():
        log(f"writing {options.briefs:,} briefs to {path}")
        write_archive(path, options.briefs, options.seed)
    figures: dict = {
        "briefs": options.briefs,
        "seed": options.seed,
        "machine": search.machine(),
        "revision": search.git_revision(),
        "archive": str(path),
        "archive_bytes": path.stat().st_size,
    }
    with tempfile.TemporaryDirectory(dir=options.workdir, prefix="import-") as scratch:
        data = Path(scratch)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{data / 'newsbrief.sqlite3'}",
            "NEWSBRIEF_DATA_DIR": str(data),
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        }
        _newsbrief(["migrate", "--verbosity", "0"], env)
        for run_name in ("first", "second"):
            log(f"newsbrief import ({run_name} run)")
            wall, cpu, summary = _newsbrief(["import", "--no-progress", str(path)], env)
            figures[run_name] = {
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "briefs_per_s": round(options.briefs / wall),
                "summary": summary,
            }
        log("bench load of the same corpus")
        with loading.use_sqlite(data / "load.sqlite3"):
            done = loading.load(options.briefs, options.seed, jobs=options.jobs, progress=False)
        figures["load"] = {
            "seconds": round(sum(done.seconds), 2),
            "briefs_per_s": round(done.added / sum(done.seconds)),
        }
    figures["ratio"] = round(figures["first"]["briefs_per_s"] / figures["load"]["briefs_per_s"], 3)
    figures["targets_met"] = {
        f">= {TARGET_RATE:,} briefs/s": figures["first"]["briefs_per_s"] >= TARGET_RATE
    }
    return figures


def report(figures: dict) -> str:
    m = figures["machine"]
    lines = [
        f"newsbrief bench import: {figures['briefs']:,} briefs, seed {figures['seed']}",
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, SQLite {m['sqlite']}; "
        f"{m['date']}; revision {figures['revision']}",
        f"archive: {figures['archive']} ({search.human_size(figures['archive_bytes'])})",
        "",
        f"{'newsbrief import (fresh SQLite)':<34}{'wall s':>9}{'CPU s':>9}{'briefs/s':>10}",
    ]
    for name in ("first", "second"):
        row = figures[name]
        lines.append(
            f"{name + ' run':<34}{row['wall_s']:>9.2f}{row['cpu_s']:>9.2f}"
            f"{row['briefs_per_s']:>10,}   {row['summary']}"
        )
    load = figures["load"]
    lines += [
        f"{'bench load (commits only)':<34}{load['seconds']:>9.2f}{'-':>9}"
        f"{load['briefs_per_s']:>10,}",
        f"ratio import/load: {figures['ratio']}",
        "targets: "
        + ", ".join(f"{k}: {'met' if v else 'MISSED'}" for k, v in figures["targets_met"].items()),
    ]
    return "\n".join(lines)
