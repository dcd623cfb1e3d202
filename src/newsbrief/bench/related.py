"""``newsbrief bench related``: how long proposing related messages for a new brief takes
against an archive of N synthetic briefs, and what it costs in memory.

1. The corpus (``corpus``) is analyzed into profiles in ``--jobs`` processes and streamed
   into the product's ``Archive``, saved with an HNSW index of the embeddings (int8) as the
   product saves a large archive. Embedding a million synthetic texts with the real model
   would take hours and mean nothing (the text is random words), so each brief's vector is
   synthetic: its first tag's direction plus noise, unit length. Ranking cost does not
   depend on what the vectors mean.
2. A fresh process loads the archive (memory-mapped, as a server would) and, for ``--queries``
   new briefs (the corpus's next ones), times the whole proposal: analysis of the new brief
   and ``rank`` (BM25 over text, titles and names, the ANN search, feature scoring). Its
   memory is read from ``/proc/self/status``: resident anonymous memory (what the process
   owns) apart from file pages (the page cache behind the memory maps).
3. Embedding a new brief with the real model is timed apart: the product does it once, when
   the brief is saved, not per proposal.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import corpus
from .search import machine, percentiles

TARGET_P95_MS = 50.0
TARGET_RSS_MB = 300.0
DIMENSIONS = 512


@dataclasses.dataclass
class Options:
    briefs: int
    seed: int = 1
    workdir: Path = Path("var/bench")
    queries: int = 200
    jobs: int = 2
    progress: bool = True


def _profile(brief: corpus.BenchBrief):
    from newsbrief.related.features import Profile

    return Profile.of(
        brief.index,
        title=brief.title,
        body=brief.body,
        language=brief.language,
        date=brief.published_at.date(),
        tags=brief.tags,
    )


def _profiles(args: tuple[int, int, int]):
    seed, start, stop = args
    return [_profile(b) for b in corpus.generate(stop, seed, start)]


def synthetic_vector(brief: corpus.BenchBrief, seed: int) -> np.ndarray:
    """The first tag's direction plus noise: briefs sharing a tag are near each other."""
    tags = [c[0] for c in corpus.CATEGORIES]
    centre = np.random.default_rng([seed, tags.index(brief.tags[0])]).standard_normal(DIMENSIONS)
    noise = np.random.default_rng([seed, 1_000_000 + brief.index]).standard_normal(DIMENSIONS)
    vector = (centre + 1.2 * noise).astype(np.float32)
    return vector / np.linalg.norm(vector)


def _vectors(args: tuple[int, int, int]) -> np.ndarray:
    seed, start, stop = args
    return np.vstack([synthetic_vector(b, seed) for b in corpus.generate(stop, seed, start)])


def build(options: Options, path: Path, log) -> dict:
    """Analyze, stream and save the archive unless an earlier run did; seconds per step."""
    from newsbrief.related.ranking import Archive

    done = path / "complete"
    if done.exists():
        return json.loads(done.read_text())
    chunks = [
        (options.seed, start, min(start + 2000, options.briefs))
        for start in range(0, options.briefs, 2000)
    ]
    pool = multiprocessing.get_context("fork").Pool(options.jobs)
    try:
        started = time.perf_counter()
        vectors = np.vstack(list(pool.imap(_vectors, chunks)))
        vectors_s = time.perf_counter() - started
        bar = tqdm(total=options.briefs, disable=not options.progress, desc="analyze", unit="brief")

        def profiles():
            for batch in pool.imap(_profiles, chunks):
                yield from batch
                bar.update(len(batch))

        started = time.perf_counter()
        archive = Archive.stream(profiles(), vectors)
        bar.close()
        analyzed_s = time.perf_counter() - started
    finally:
        pool.terminate()
    log(f"archive built in {analyzed_s:.0f} s; saving with its ANN index")
    started = time.perf_counter()
    archive.save(path, ann=True)
    saved_s = time.perf_counter() - started
    times = {
        "synthetic_vectors_s": round(vectors_s, 1),
        "analyze_and_index_s": round(analyzed_s, 1),
        "save_and_ann_s": round(saved_s, 1),
        "size_mib": round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1),
    }
    done.write_text(json.dumps(times))
    return times


def probe(path: str, briefs: int, seed: int, queries: int) -> dict:
    """Run in a fresh process: load the archive, time proposals for new briefs."""
    from newsbrief.related.features import Profile
    from newsbrief.related.ranking import Archive, rank

    started = time.perf_counter()
    archive = Archive.load(Path(path))
    load_s = time.perf_counter() - started
    fresh = list(corpus.generate(briefs + queries, seed, briefs))
    vectors = [synthetic_vector(b, seed) for b in fresh]
    Profile.of(0, title="warm up", body="熱身 warm up", language="en")  # jieba's dictionary
    whole, ranking = [], []
    for brief, vector in [
        *zip(fresh[:10], vectors[:10], strict=True),
        *zip(fresh, vectors, strict=True),
    ]:
        t0 = time.perf_counter()
        profile = _profile(brief)
        t1 = time.perf_counter()
        rank(profile, archive, vector=vector, limit=10, before=None)
        t2 = time.perf_counter()
        whole.append(t2 - t0)
        ranking.append(t2 - t1)
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    mib = lambda key: round(int(status[key].split()[0]) / 1024, 1)  # noqa: E731
    return {
        "load_s": round(load_s, 2),
        "proposal": percentiles(whole[10:]),
        "rank_only": percentiles(ranking[10:]),
        "rss_mib": mib("VmRSS"),
        "rss_anon_mib": mib("RssAnon"),
        "rss_file_mib": mib("RssFile"),
        "peak_rss_mib": mib("VmHWM"),
    }


def embedding_time(seed: int, n: int = 20) -> dict | None:
    """The real model embedding ``n`` brief texts one at a time, or None without a model."""
    from newsbrief.related import embedding

    texts = [b.text for b in corpus.generate(n, seed + 1)]
    if embedding.encode(texts[:1]) is None:
        return None
    samples = []
    for text in texts:
        t0 = time.perf_counter()
        embedding.encode([text])
        samples.append(time.perf_counter() - t0)
    return percentiles(samples)


def run(options: Options, log=print) -> dict:
    path = options.workdir / f"related-{options.briefs}-{options.seed}"
    built = build(options, path, log)
    code = (
        "import json, sys; from newsbrief.bench.related import probe; "
        "print(json.dumps(probe(*sys.argv[1:2], *map(int, sys.argv[2:]))))"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(path),
            str(options.briefs),
            str(options.seed),
            str(options.queries),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    figures = {
        "briefs": options.briefs,
        "queries": options.queries,
        "machine": machine(),
        "build": built,
        **measured,
        "embedding_a_new_brief": embedding_time(options.seed),
    }
    figures["target"] = {
        "p95_ms": TARGET_P95_MS,
        "rss_mib": TARGET_RSS_MB,
        "p95_met": figures["proposal"]["p95"] <= TARGET_P95_MS,
        "rss_met": figures["rss_anon_mib"] <= TARGET_RSS_MB,
    }
    return figures


def report(f: dict) -> str:
    lines = [
        f"related proposals: {f['briefs']:,} briefs, {f['queries']} new briefs",
        f"build: {f['build']}",
        f"load (memory-mapped): {f['load_s']} s",
        "latency ms          p50      p95      p99",
    ]
    for label, key in (("proposal (analyze+rank)", "proposal"), ("rank only", "rank_only")):
        p = f[key]
        lines.append(f"{label:<24}{p['p50']:>7.2f}  {p['p95']:>7.2f}  {p['p99']:>7.2f}")
    if f["embedding_a_new_brief"]:
        p = f["embedding_a_new_brief"]
        lines.append(
            f"{'embedding (at save)':<24}{p['p50']:>7.2f}  {p['p95']:>7.2f}  {p['p99']:>7.2f}"
        )
    lines.append(
        f"memory: RSS {f['rss_mib']} MiB = anonymous {f['rss_anon_mib']} MiB + file-backed "
        f"(page cache) {f['rss_file_mib']} MiB; peak {f['peak_rss_mib']} MiB"
    )
    t = f["target"]
    lines.append(
        f"target: p95 <= {t['p95_ms']} ms: {'met' if t['p95_met'] else 'NOT met'}; "
        f"RSS beyond page cache <= {t['rss_mib']} MiB: {'met' if t['rss_met'] else 'NOT met'}"
    )
    return "\n".join(lines)
