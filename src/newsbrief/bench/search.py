"""``newsbrief bench search``: newsbrief's search against tantivy and bare SQLite FTS5.

1. A corpus of N synthetic briefs (``corpus``) is loaded into a database of its own
   (``loading``), or found there from an earlier run.
2. newsbrief's index is rebuilt from the database the way ``rebuild`` always does it: build
   time and size on disk are recorded.
3. The peers index the same analyzed text (``index_terms`` of each brief's document, joined
   by spaces), so they search exactly the terms newsbrief does.
4. A fixed query set (``queries``) runs through newsbrief (``search_ids``, and separately
   ``search`` with hydration from the database) and, from the same ``parse_query`` trees,
   through each peer: warm-up, then ``repeat`` rounds; latency percentiles and ratios.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import multiprocessing
import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tqdm import tqdm

from . import loading, queries
from .peers import Fts5Peer, TantivyPeer, directory_size, peer_tree

TARGET_P50_RATIO = 2.0  # newsbrief p50 <= 2 x tantivy's (embedded default)
TARGET_P99_MS = {"embedded": 50.0, "postgres": 200.0}


@dataclasses.dataclass
class Options:
    briefs: int
    seed: int = 1
    workdir: Path = Path("var/bench")
    backend: str | None = None  # None: the configured default; "postgres"
    queries: int = 200
    repeat: int = 3
    jobs: int = 2
    peers: tuple[str, ...] = ("tantivy", "fts5")
    hydrate: bool = True
    reuse_index: bool = False
    progress: bool = True


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 and mean, in milliseconds."""
    ms = sorted(s * 1000 for s in samples)
    if len(ms) == 1:
        ms = ms * 2
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50": round(q[49], 3),
        "p95": round(q[94], 3),
        "p99": round(q[98], 3),
        "mean": round(statistics.fmean(ms), 3),
        "samples": len(ms),
    }


def machine() -> dict:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_kb = int(f.readline().split()[1])
    import sqlite3 as s

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "sqlite": s.sqlite_version,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def analyzer_version() -> str:
    """A hash of the analyzer's source: cached analyzed text is redone when it changes."""
    from newsbrief.search import analyzer

    return hashlib.sha1(inspect.getsource(analyzer).encode()).hexdigest()[:10]


def search_code_version() -> str:
    """A hash of newsbrief's search code (analyzer, indexing, backends): an index built by
    other code is rebuilt rather than reused."""
    from newsbrief import search as package

    root = Path(package.__file__).parent
    digest = hashlib.sha1()
    for path in sorted([root / "analyzer.py", root / "indexing.py", *root.glob("backends/*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def git_revision() -> str | None:
    """The checkout's commit, ``+`` when the working tree differs from it."""
    import subprocess

    root = Path(__file__).resolve().parents[3]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+" if dirty else "")


def peer_text(document) -> str:
    """The text a peer indexes for a document: what newsbrief indexes, in one field."""
    return "\n".join((document.title, document.body, document.extra))


def _analyze(chunk: list[tuple[int, str]]) -> list[tuple[int, str]]:
    from newsbrief.search.analyzer import index_terms

    return [(doc_id, " ".join(index_terms(text))) for doc_id, text in chunk]


def _documents(progress: bool, total: int) -> Iterator[list[tuple[int, str]]]:
    from newsbrief.search.indexing import document_for, searchable

    chunk: list[tuple[int, str]] = []
    for brief in tqdm(
        searchable().iterator(chunk_size=2000), total=total, disable=not progress, desc="read"
    ):
        chunk.append((brief.pk, peer_text(document_for(brief))))
        if len(chunk) >= 1000:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyzed_corpus(path: Path, total: int, *, jobs: int, progress: bool) -> float:
    """Write ``(id, terms)`` for every indexed brief to the SQLite file ``path`` unless it is
    there already; returns the seconds it took (0 when cached)."""
    if path.exists():
        with sqlite3.connect(path) as db:
            done = db.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
        if done:
            return 0.0
        path.unlink()
    started = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, terms TEXT NOT NULL)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    pool = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else None
    chunks = _documents(False, total)
    results = pool.imap(_analyze, chunks) if pool else map(_analyze, chunks)
    bar = tqdm(total=total, disable=not progress, desc="analyze", unit="brief")
    try:
        with db:
            for rows in results:
                db.executemany("INSERT INTO docs VALUES (?, ?)", rows)
                bar.update(len(rows))
            db.execute("INSERT INTO meta VALUES ('complete', '1')")
    finally:
        bar.close()
        if pool:
            pool.terminate()
        db.close()
    tmp.rename(path)
    return time.perf_counter() - started


def analyzed_docs(path: Path) -> Iterator[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        yield from db.execute("SELECT id, terms FROM docs ORDER BY id")


def measure(
    run: Callable[[str], object], texts: list[str], repeat: int, progress: bool, label: str
) -> tuple[dict, list[float], list[object]]:
    """Run every query once to warm up, then ``repeat`` rounds; per-query medians too."""
    results = [run(t) for t in texts]
    samples: list[list[float]] = [[] for _ in texts]
    for _ in tqdm(range(repeat), disable=not progress, desc=label, leave=False):
        for i, text in enumerate(texts):
            started = time.perf_counter()
            run(text)
            samples[i].append(time.perf_counter() - started)
    flat = [s for per_query in samples for s in per_query]
    return percentiles(flat), [statistics.median(s) for s in samples], results


def ids_of(hits) -> list[int]:
    out = []
    for hit in hits or ():
        if isinstance(hit, tuple | list):
            out.append(int(hit[0]))
        else:
            out.append(int(getattr(hit, "id", getattr(hit, "pk", 0)) or 0))
    return out


def overlap(a: list[int], b: list[int]) -> float | None:
    if not a and not b:
        return None
    return len(set(a) & set(b)) / max(len(a), len(b))


def corpus_db(options) -> Path:
    return options.workdir / f"corpus-{options.briefs}-seed{options.seed}.sqlite3"


def run(options: Options, log=print) -> dict:
    """The whole benchmark; returns the figures (see ``report``)."""
    options.workdir.mkdir(parents=True, exist_ok=True)
    if options.backend == "postgres":
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        return _run(options, log)
    with loading.use_sqlite(corpus_db(options)):
        return _run(options, log)


def index_path(options) -> Path:
    """Where the embedded default's index of the corpus lives (``bench load`` builds it too)."""
    return options.workdir / f"{corpus_db(options).stem}-newsbrief"


def index_stamp(options, kind: str = "embedded") -> Path:
    """What built the index (``build_s``, ``bytes``, the search ``code``), so that a rerun
    with ``--reuse-index`` reuses it only when the search code is the same."""
    return options.workdir / f"{corpus_db(options).stem}-{kind}-index.json"


def _backend(options: Options):
    """newsbrief's backend for the run: PostgreSQL's in the configured database, or the
    embedded default with its index under the work directory."""
    from newsbrief.search.backends import default_backend_name, get_backend

    name = options.backend or default_backend_name()
    if name == "tantivy":
        return get_backend(name, path=index_path(options))
    return get_backend(name)


def index_size(backend) -> int | None:
    """Bytes on disk of newsbrief's index: the tantivy directory, or on PostgreSQL the
    ``search_document`` table with its TOAST and indexes."""
    if getattr(backend, "name", "") == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_document')")
            return int(cursor.fetchone()[0])
    for name in ("index_size", "size"):
        method = getattr(backend, name, None)
        if callable(method):
            return int(method())
    path = getattr(backend, "path", None)
    if path and Path(path).exists():
        return directory_size(Path(path))
    return None


def _run(options: Options, log) -> dict:
    from newsbrief.search.analyzer import parse_query

    figures: dict = {
        "briefs": options.briefs,
        "seed": options.seed,
        "queries": options.queries,
        "repeat": options.repeat,
        "machine": machine(),
    }
    started = time.perf_counter()
    added = loading.load(
        options.briefs, options.seed, jobs=options.jobs, progress=options.progress
    ).added
    figures["load_s"] = round(time.perf_counter() - started, 2) if added else None
    figures["loaded_now"] = added

    backend = _backend(options)
    kind = "postgres" if options.backend == "postgres" else "embedded"
    figures["backend"] = {"kind": kind, "class": type(backend).__name__}
    stamp = index_stamp(options, kind)
    built = json.loads(stamp.read_text()) if stamp.exists() else {}
    figures["search_code"] = search_code_version()
    figures["revision"] = git_revision()
    if options.reuse_index and built.get("code") == figures["search_code"]:
        figures["newsbrief_build"] = built
        log(f"newsbrief index: reused (built in {built['build_s']} s)")
    else:
        log("newsbrief index: rebuilding")
        started = time.perf_counter()
        extra = (
            {"jobs": options.jobs}
            if "jobs" in inspect.signature(backend.rebuild).parameters
            else {}
        )
        backend.rebuild(progress=options.progress, **extra)
        build_s = time.perf_counter() - started
        figures["newsbrief_build"] = {
            "build_s": round(build_s, 2),
            "bytes": index_size(backend),
            "code": figures["search_code"],
        }
        stamp.write_text(json.dumps(figures["newsbrief_build"]))

    peers = []
    if options.peers:
        terms_path = options.workdir / (
            f"terms-{options.briefs}-seed{options.seed}-{analyzer_version()}.sqlite3"
        )
        analysis_s = analyzed_corpus(
            terms_path, options.briefs, jobs=options.jobs, progress=options.progress
        )
        figures["peer_analysis_s"] = round(analysis_s, 2) if analysis_s else None
        for name in options.peers:
            cls = {"tantivy": TantivyPeer, "fts5": Fts5Peer}[name]
            suffix = "tantivy" if name == "tantivy" else "fts5.sqlite3"
            peer = cls(options.workdir / f"{terms_path.stem}-{suffix}")
            pstamp = Path(f"{peer.path}.json")
            if options.reuse_index and pstamp.exists() and peer.path.exists():
                figures[f"{name}_build"] = json.loads(pstamp.read_text())
            else:
                started = time.perf_counter()
                peer.build(
                    analyzed_docs(terms_path), total=options.briefs, progress=options.progress
                )
                figures[f"{name}_build"] = {
                    "build_s": round(time.perf_counter() - started, 2),
                    "bytes": peer.size(),
                }
                pstamp.write_text(json.dumps(figures[f"{name}_build"]))
            peer.open()
            peers.append(peer)

    query_set = queries.query_set(options.seed, options.briefs, options.queries)
    texts = [q.text for q in query_set]
    trees = {q.text: peer_tree(parse_query(q.text)) for q in query_set}

    engines: dict[str, Callable[[str], object]] = {
        "newsbrief": lambda t: backend.search_ids(t, limit=10)
    }
    if options.hydrate:
        engines["newsbrief_hydrated"] = lambda t: backend.search(t, limit=10)
    for peer in peers:
        engines[peer.name] = lambda t, peer=peer: peer.search(trees[t], limit=10)

    latency, per_query, top = {}, {}, {}
    for name, search in engines.items():
        log(f"measuring {name}")
        latency[name], per_query[name], results = measure(
            search, texts, options.repeat, options.progress, name
        )
        if name != "newsbrief_hydrated":
            top[name] = [ids_of(r) for r in results]
    figures["latency_ms"] = latency
    figures["newsbrief_parts_ms"] = _parts(backend, texts, options)

    kinds = list(dict.fromkeys(q.kind for q in query_set))
    figures["p50_by_kind_ms"] = {
        kind: {
            name: round(
                1000
                * statistics.median(
                    [t for q, t in zip(query_set, per_query[name], strict=True) if q.kind == kind]
                ),
                3,
            )
            for name in engines
        }
        for kind in kinds
    }
    figures["hits_by_kind"] = {
        kind: {
            name: round(
                statistics.fmean(
                    [len(r) for q, r in zip(query_set, top[name], strict=True) if q.kind == kind]
                ),
                1,
            )
            for name in top
        }
        for kind in kinds
    }
    for peer in peers:
        shared = [
            o
            for o in (overlap(a, b) for a, b in zip(top["newsbrief"], top[peer.name], strict=True))
            if o is not None
        ]
        figures.setdefault("top10_overlap", {})[peer.name] = (
            round(statistics.fmean(shared), 3) if shared else None
        )

    ratios = {}
    for peer in peers:
        for p in ("p50", "p95", "p99"):
            theirs = latency[peer.name][p]
            ratios[f"{p} newsbrief/{peer.name}"] = (
                round(latency["newsbrief"][p] / theirs, 2) if theirs else None
            )
    figures["ratios"] = ratios
    targets = {f"p99 <= {TARGET_P99_MS[kind]:g} ms": latency["newsbrief"]["p99"]
               <= TARGET_P99_MS[kind]}  # fmt: skip
    if kind == "embedded" and "tantivy" in latency:
        targets[f"p50 <= {TARGET_P50_RATIO:g}x tantivy"] = (
            ratios["p50 newsbrief/tantivy"] <= TARGET_P50_RATIO
        )
    figures["targets_met"] = targets
    for peer in peers:
        peer.close() if hasattr(peer, "close") else None
    return figures


def _parts(backend, texts: list[str], options: Options) -> dict:
    """Where ``search_ids`` spends its time: parsing the query, checking the outbox
    (``catch_up``) and the backend's own query (``_query``: building it, searching the
    index, reading ids)."""
    from newsbrief.search.analyzer import parse_query

    parts = {
        "parse_query": lambda t: parse_query(t),
        "catch_up": lambda t: backend.catch_up(),
    }
    query = getattr(backend, "_query", None)
    if query is not None:
        from newsbrief.search.backends import Filters

        nodes = {t: parse_query(t) for t in texts}
        parts["backend _query"] = lambda t: (
            query(nodes[t], Filters(), 10, 0, False) if nodes[t] is not None else None
        )
    return {
        name: measure(run, texts, options.repeat, options.progress, name)[0]
        for name, run in parts.items()
    }


def human_size(n: int | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def report(figures: dict) -> str:
    """The figures as a plain-text table."""
    lines = [
        f"newsbrief bench search: {figures['briefs']:,} briefs, seed {figures['seed']}, "
        f"{figures['queries']} queries x {figures['repeat']} rounds",
        f"machine: {figures['machine']['cpu']}, {figures['machine']['cores']} cores, "
        f"{figures['machine']['memory_gib']} GiB; {figures['machine']['date']}",
        f"backend: {figures['backend']['kind']} ({figures['backend']['class']}); "
        f"revision {figures.get('revision')}, search code {figures.get('search_code')}",
    ]
    if figures.get("load_s") is not None:
        lines.append(f"corpus load: {figures['load_s']} s ({figures['loaded_now']:,} briefs)")
    if figures.get("peer_analysis_s"):
        lines.append(f"peer text analysis (index_terms, shared): {figures['peer_analysis_s']} s")
    lines += ["", f"{'engine':<20}{'build s':>10}{'index size':>12}"]
    for name in ("newsbrief", "tantivy", "fts5"):
        build = figures.get(f"{name}_build")
        if build:
            lines.append(f"{name:<20}{build['build_s']:>10}{human_size(build['bytes']):>12}")
    lines += ["", f"{'latency ms':<20}{'p50':>10}{'p95':>10}{'p99':>10}{'mean':>10}"]
    for name, row in figures["latency_ms"].items():
        lines.append(
            f"{name:<20}{row['p50']:>10.2f}{row['p95']:>10.2f}{row['p99']:>10.2f}"
            f"{row['mean']:>10.2f}"
        )
    for name, row in figures.get("newsbrief_parts_ms", {}).items():
        label = f"  {name}"
        lines.append(
            f"{label:<20}{row['p50']:>10.2f}{row['p95']:>10.2f}{row['p99']:>10.2f}"
            f"{row['mean']:>10.2f}"
        )
    if figures["ratios"]:
        lines += ["", "ratios: " + ", ".join(f"{k} {v}" for k, v in figures["ratios"].items())]
    if figures.get("top10_overlap"):
        lines.append(
            "top-10 overlap with newsbrief: "
            + ", ".join(f"{k} {v}" for k, v in figures["top10_overlap"].items())
        )
    engines = list(figures["latency_ms"])
    lines += ["", "p50 ms by query kind (mean hits in top 10)"]
    lines.append(f"{'kind':<16}" + "".join(f"{e[:18]:>20}" for e in engines))
    for kind, row in figures["p50_by_kind_ms"].items():
        hits = figures["hits_by_kind"][kind]
        cells = []
        for e in engines:
            h = hits.get(e)
            cells.append(f"{row[e]:.2f}" + (f" ({h:g})" if h is not None else ""))
        lines.append(f"{kind:<16}" + "".join(f"{c:>20}" for c in cells))
    lines += ["", "targets: " + ", ".join(
        f"{k}: {'met' if v else 'MISSED'}" for k, v in figures["targets_met"].items()
    )]  # fmt: skip
    return "\n".join(lines)
