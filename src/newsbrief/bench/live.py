"""``newsbrief bench related --live``: the related index as the product runs it, measured.

1. A board of N synthetic briefs (``loading``, the loader of ``bench load``) in a SQLite file
   of its own under ``--workdir``, kept between runs; its search index, since publishing
   updates it. What an earlier live run added is deleted first, so the board stays the corpus.
2. The **full rebuild** as ``newsbrief related rebuild`` does it (every entry, then a
   compaction), timed per phase, with the embedding model off: embedding N random texts with
   the real model would take hours and mean nothing. Synthetic unit vectors (``related``'s:
   a tag direction plus noise) are then written into the entries and one more compaction
   makes the snapshot servers load, with vectors and, from 50,000 briefs, an HNSW index.
   Timed once; a rerun reuses the snapshot and reports the earlier figures.
3. **Worker throughput**: the real model (``embedding.encode``) on a sample of brief texts.
4. **Live**: two ``newsbrief serve`` (same database and data directory, embeddings on) and one
   ``newsbrief worker``. Client threads request the desk's edit view and the proposals API of
   random published briefs from both servers in turn, while a publisher creates and publishes
   a brief through the API every few seconds, with words of its own that a draft prepared
   beforehand (the probe) shares: polling the probe's proposals on each server times
   **publish -> proposable**. At the end, each granian worker process's memory from
   ``/proc/<pid>/status``: RssAnon (what the process owns) apart from RssFile (the page cache
   behind the memory-mapped snapshot).
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import http.cookiejar
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import corpus, loading, pages
from .related import synthetic_vector
from .search import git_revision, machine, percentiles
from .words import COMMON_WORDS

TARGET_P95_MS = 100.0
TARGET_PROPOSABLE_S = 5.0
TARGET_RSS_MIB = 300.0
EDITOR = "bench-live"
POLL_S = 0.1
GIVE_UP_S = 30.0
REBUILD_STAMP = "rebuild.json"


@dataclasses.dataclass
class Options:
    briefs: int
    seed: int = 1
    workdir: Path = Path("var/bench")
    seconds: int = 60
    clients: int = 4
    workers: int = 1
    threads: int = 2
    publish_every: float = 3.0
    sample: int = 256
    jobs: int = 2
    progress: bool = True


def directory(options: Options) -> Path:
    return options.workdir / f"live-{options.briefs}-seed{options.seed}"


def run(options: Options, log=print) -> dict:
    """The whole benchmark; returns the figures (see ``report``)."""
    from django.test import override_settings

    home = directory(options)
    home.mkdir(parents=True, exist_ok=True)
    database, state = home / "board.sqlite3", home / "state"
    figures: dict = {
        "briefs": options.briefs,
        "seed": options.seed,
        "machine": machine(),
        "revision": git_revision(),
        "database": str(database),
        "seconds": options.seconds,
        "clients": options.clients,
        "servers": 2,
        "workers_per_server": options.workers,
        "threads_per_worker": options.threads,
    }
    env = {
        **pages.server_environment(types.SimpleNamespace(workdir=home), database, state),
        "NEWSBRIEF_RELATED_EMBEDDINGS": "1",
    }
    # What this process writes into the index goes where the servers read it.
    related_path = state / "related"
    with loading.use_sqlite(database), override_settings(NEWSBRIEF_RELATED_PATH=related_path):
        figures["forgotten"] = forget_added(options.briefs)
        log(f"board: {options.briefs:,} briefs in {database}")
        loading.load(options.briefs, options.seed, jobs=options.jobs, progress=options.progress)
        figures["search_index_s"] = search_index(Path(env["NEWSBRIEF_SEARCH_PATH"]), options)
        figures["rebuild"] = rebuild(options, home, log)
        figures["caught_up_s"] = catch_up()
        log("embedding throughput (the real model)")
        figures["embedding"] = embedding_throughput(options)
        token, password = editor()
        try:
            figures["live"] = live(options, env, token, password, log)
        finally:
            figures["deleted_afterwards"] = forget_added(options.briefs)
    figures["targets"] = targets(figures)
    return figures


# -- the board ----------------------------------------------------------------------------


def forget_added(briefs: int) -> int:
    """Delete the briefs a live run added (past the corpus's ``briefs``), through the ORM so
    their index entries go the ordinary way; the task that removes them runs here and now
    rather than in whatever worker reads this process's task queue."""
    from huey.contrib.djhuey import HUEY

    from newsbrief.briefs.models import Brief

    added = Brief.objects.filter(pk__gt=briefs)
    if not added.exists():
        return 0
    immediate, HUEY.immediate = HUEY.immediate, True
    try:
        return added.delete()[1].get("briefs.Brief", 0)
    finally:
        HUEY.immediate = immediate


def search_index(path: Path, options: Options) -> float | None:
    """Build the board's search index unless it exists: a publication updates it, and an
    index missing would be rebuilt in the first publishing request."""
    from newsbrief.search.backends import get_backend

    backend = get_backend("tantivy", path=path)
    if not backend.needs_rebuild():
        return None
    started = time.perf_counter()
    backend.rebuild(progress=options.progress, jobs=options.jobs)
    return round(time.perf_counter() - started, 1)


def rebuild(options: Options, home: Path, log) -> dict:
    """The full rebuild, timed per phase (see the module's docstring), once per board."""
    from django.test import override_settings

    from newsbrief.related import embedding, entries, snapshots
    from newsbrief.related.models import Generation, PendingEntry

    stamp = home / REBUILD_STAMP
    if stamp.exists() and Generation.objects.filter(complete=True).exists():
        return {**json.loads(stamp.read_text()), "reused": True}
    phases: dict = {}

    def timed(name: str, step, count: int):
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
        phases[name] = {"seconds": round(seconds, 1), "per_s": round(count / seconds, 1)}
        log(f"  {name}: {seconds:.1f} s ({count / seconds:,.0f}/s)")
        return result

    def bar(desc: str, total: int):
        return tqdm(total=total, desc=desc, unit=" briefs", disable=not options.progress)

    n = options.briefs
    log("related rebuild (entries with the model off, then compaction)")
    with override_settings(NEWSBRIEF_RELATED_EMBEDDINGS=False):
        embedding._model.cache_clear()
        try:
            timed("queue", entries.queue_all, n)
            with bar("entries", PendingEntry.objects.count()) as shown:
                timed("entries", lambda: entries.drain(progress=shown.update), n)
            with bar("compaction", n) as shown:
                timed("compaction", lambda: snapshots.compact(progress=shown.update), n)
        finally:
            embedding._model.cache_clear()
    timed("synthetic_vectors", lambda: write_vectors(options), n)
    with bar("compaction with vectors", n) as shown:
        generation = timed(
            "compaction_with_vectors", lambda: snapshots.compact(progress=shown.update), n
        )
    figures = {
        "phases": phases,
        "rebuild_s": round(phases["entries"]["seconds"] + phases["compaction"]["seconds"], 1),
        "ann": n >= snapshots.ANN_FROM,
        "snapshot_mib": round(
            sum(f.stat().st_size for f in snapshots.folder(generation).rglob("*")) / 2**20, 1
        ),
    }
    stamp.write_text(json.dumps(figures))
    return {**figures, "reused": False}


def write_vectors(options: Options) -> None:
    """Each corpus brief's synthetic vector into its entry (float16, as the worker stores a
    real one); its text is unchanged, so the worker keeps it."""
    from django.db import connection, transaction

    from newsbrief.related.models import IndexEntry

    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    sql = f"UPDATE {table} SET vector = %s WHERE brief_id = %s"
    bar = tqdm(total=options.briefs, desc="vectors", disable=not options.progress)
    for start in range(0, options.briefs, loading.BATCH):
        stop = min(start + loading.BATCH, options.briefs)
        rows = [
            (synthetic_vector(b, options.seed).astype(np.float16).tobytes(), b.index + 1)
            for b in corpus.generate(stop, options.seed, start)
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        bar.update(len(rows))
    bar.close()


def embedding_throughput(options: Options) -> dict | None:
    """The real model on ``sample`` brief texts in the worker's batches: texts/s (None
    without the model)."""
    from django.test import override_settings

    from newsbrief.related import embedding

    texts = [f"{b.title}\n{b.body}" for b in corpus.generate(options.sample, options.seed + 1)]
    with override_settings(NEWSBRIEF_RELATED_EMBEDDINGS=True):
        embedding._model.cache_clear()
        try:
            if embedding.encode(["warm up"]) is None:
                return None
            started = time.perf_counter()
            embedding.encode(texts)
            seconds = time.perf_counter() - started
        finally:
            embedding._model.cache_clear()
    return {"texts": len(texts), "seconds": round(seconds, 2), "per_s": round(len(texts) / seconds)}


def editor(username: str = EDITOR, purpose: str = "bench related --live") -> tuple[str, str]:
    """A chief editor (who may edit and publish any brief) with a password, and a new API
    token: (token, password)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import Group

    from newsbrief.accounts.models import ApiToken
    from newsbrief.briefs import roles

    roles.create_groups()
    user, _created = get_user_model().objects.get_or_create(username=username)
    password = "bench-" + os.urandom(8).hex()
    # Hashed as the servers' settings check it, whatever this process's hashers (tests').
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save()
    user.groups.add(Group.objects.get(name=roles.CHIEF_EDITORS))
    return ApiToken.issue(user, purpose)[1], password


def catch_up() -> float | None:
    """Compact the changes an earlier run left (its briefs deleted) now, so that the
    worker's start-up sweep does not compact the whole board during the measurement."""
    from newsbrief.related import snapshots
    from newsbrief.related.models import Generation, IndexChange

    latest = Generation.objects.filter(complete=True).order_by("-pk").first()
    if latest is None or not IndexChange.objects.filter(pk__gt=latest.watermark).exists():
        return None
    started = time.perf_counter()
    snapshots.compact()
    return round(time.perf_counter() - started, 1)


# -- the live run ---------------------------------------------------------------------------


class Client:
    """Keep-alive connections to each server, as the public or signed in two ways: the
    desk's session cookie and the API token."""

    def __init__(self, servers: list[str], cookie: str = "", token: str = ""):
        self.servers, self.connections = servers, {}
        self.headers = {
            "public": {},
            "desk": {"Cookie": cookie},
            "api": {"Authorization": f"Bearer {token}"},
        }

    def request(self, server: str, method: str, path: str, kind: str, body=None, headers=None):
        """(status, body, seconds); a failed connection is opened again next time. ``body``:
        bytes as they are (with ``headers``), anything else as JSON."""
        headers = {**self.headers[kind], **(headers or {})}
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            connection = self.connections.get(server)
            if connection is None:
                host, port = server.rsplit(":", 1)
                connection = self.connections[server] = http.client.HTTPConnection(
                    host, int(port), timeout=60
                )
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return response.status, data, time.perf_counter() - started
        except (OSError, http.client.HTTPException):
            self.close(server)
            return None, b"", time.perf_counter() - started

    def json(self, server: str, method: str, path: str, body=None) -> dict:
        status, data, _s = self.request(server, method, path, "api", body)
        if status not in (200, 201):
            raise RuntimeError(f"{method} {path} on {server}: {status} {data[:300]!r}")
        return json.loads(data)

    def close(self, server: str | None = None) -> None:
        for name in [server] if server else list(self.connections):
            connection = self.connections.pop(name, None)
            if connection is not None:
                connection.close()


def sign_in(server: str, password: str, username: str = EDITOR) -> str:
    """The desk's sign-in form, as a browser fills it: the Cookie header of the session."""
    from django.urls import reverse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"http://{server}{reverse('login')}"
    page = opener.open(url, timeout=60).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode(), headers={"Referer": url}
    )
    opener.open(request, timeout=60).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"{server}: signing in to the desk failed")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def words(rng: random.Random, n: int = 3) -> list[str]:
    """Made-up words no corpus brief has, so only the probe and its brief share them."""
    return ["".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(9)) for _ in range(n)]


def brief_text(kind: str, shared: list[str], rng: random.Random) -> dict:
    phrase = " ".join(shared)
    filler = " ".join(rng.sample(COMMON_WORDS[:500], 30))
    return {
        "language": "en",
        "title": f"Bench {kind} {phrase}",
        "body": f"{phrase.capitalize()}: {filler}. The {phrase} story goes on; {phrase}.",
    }


@contextlib.contextmanager
def worker(env: dict):
    """``newsbrief worker`` for the servers' task queue, stopped (killed if need be) after."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.cli", "worker"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_indexed(ids: list[int], timeout: float = 120) -> None:
    """Until the worker has written every one of ``ids``' entries."""
    from newsbrief.related.models import IndexEntry, PendingEntry

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = IndexEntry.objects.filter(brief_id__in=ids).count() == len(ids)
        if done and not PendingEntry.objects.filter(brief_id__in=ids).exists():
            return
        time.sleep(0.2)
    raise RuntimeError(f"the worker did not index {len(ids)} drafts within {timeout} s")


@dataclasses.dataclass
class Measured:
    """What the live phase's threads share: where to ask, until when, and what they found."""

    servers: list[str]
    cookie: str
    token: str
    deadline: float
    samples: dict = dataclasses.field(
        default_factory=lambda: {"desk_edit": [], "proposals_api": []}
    )
    errors: dict = dataclasses.field(
        default_factory=lambda: {"desk_edit": 0, "proposals_api": 0, "publish": 0}
    )
    proposable: dict = dataclasses.field(default_factory=dict)

    def client(self) -> Client:
        return Client(self.servers, self.cookie, self.token)


def live(options: Options, env: dict, token: str, password: str, log) -> dict:
    from django.urls import reverse
    from django.utils import translation

    from newsbrief.briefs.models import Brief

    rng = random.Random(options.seed)
    with contextlib.ExitStack() as stack:
        log("live: starting two servers and a worker")
        servers = [
            stack.enter_context(pages.newsbrief_server(env, options.workers, options.threads))
            for _ in range(2)
        ]
        work = stack.enter_context(worker(env))
        cookie = sign_in(servers[0], password)
        rounds = max(1, int(options.seconds // options.publish_every))
        shared = [words(rng) for _ in range(rounds)]
        with contextlib.closing(Client(servers, cookie, token)) as setup:
            probes = [
                setup.json(servers[i % 2], "POST", "/api/briefs", brief_text("probe", w, rng))
                for i, w in enumerate(shared)
            ]
        log(f"live: {rounds} probe drafts created; waiting for the worker to index them")
        wait_indexed([p["id"] for p in probes])
        published = list(
            Brief.objects.published().filter(pk__lte=options.briefs).values_list("pk", flat=True)
        )
        with translation.override("en"):
            edit = reverse("desk:edit", args=[0]).replace("/0/", "/{}/")
        run = Measured(servers, cookie, token, time.monotonic() + options.seconds)
        run.proposable = {s: [] for s in servers}
        threads = [
            threading.Thread(target=request_loop, args=(run, k, published, edit, options.seed))
            for k in range(options.clients)
        ]
        for thread in threads:
            thread.start()
        try:
            threads += publish_loop(run, options, [p["id"] for p in probes], shared, rng, log)
        finally:
            for thread in threads:
                thread.join()
        memory = {
            "servers": [rss_of_workers(s.process.pid) for s in servers],
            "worker": rss(work.pid),
        }
    return summary(run, rounds, memory)


def request_loop(run: Measured, number: int, published: list[int], edit: str, seed: int):
    """One client until the deadline: the desk's edit view and the proposals API of random
    published briefs, the servers in turn."""
    pick = random.Random(f"{seed}:{number}")
    with contextlib.closing(run.client()) as client:
        i = number
        while time.monotonic() < run.deadline:
            pk = pick.choice(published)
            if (i // 2) % 2:
                kind, name, path = "desk", "desk_edit", edit.format(pk)
            else:
                kind, name, path = "api", "proposals_api", f"/api/briefs/{pk}/proposals"
            status, _data, seconds = client.request(run.servers[i % 2], "GET", path, kind)
            if status == 200:
                run.samples[name].append(seconds)
            else:
                run.errors[name] += 1
            i += 1


def publish_loop(run: Measured, options: Options, probes, shared, rng, log) -> list:
    """A brief with each probe's words, created and published every ``publish_every``
    seconds, servers in turn; returns the threads polling for them."""
    pollers = []
    started = run.deadline - options.seconds
    bar = tqdm(total=len(probes), desc="publish", unit=" briefs", disable=not options.progress)
    with bar, contextlib.closing(run.client()) as client:
        for number, (probe, w) in enumerate(zip(probes, shared, strict=True)):
            time.sleep(max(0.0, started + number * options.publish_every - time.monotonic()))
            server = run.servers[number % 2]
            try:
                new = client.json(server, "POST", "/api/briefs", brief_text("news", w, rng))["id"]
                since = time.monotonic()
                client.json(server, "POST", f"/api/briefs/{new}/publish")
            except RuntimeError as exc:
                log(f"  publishing failed: {exc}")
                run.errors["publish"] += 1
                continue
            for s in run.servers:
                pollers.append(threading.Thread(target=poll, args=(run, s, probe, new, since)))
                pollers[-1].start()
            bar.update(1)
    return pollers


def poll(run: Measured, server: str, probe: int, new: int, since: float) -> None:
    """The probe's proposals on ``server`` every ``POLL_S`` until ``new`` is among them:
    the seconds since its publication was asked for (None: given up)."""
    path = f"/api/briefs/{probe}/proposals?limit=10"
    with contextlib.closing(run.client()) as client:
        while time.monotonic() - since < GIVE_UP_S:
            status, data, _s = client.request(server, "GET", path, "api")
            if status == 200 and new in {p["brief"]["id"] for p in json.loads(data)["related"]}:
                run.proposable[server].append(time.monotonic() - since)
                return
            time.sleep(POLL_S)
    run.proposable[server].append(None)


def summary(run: Measured, rounds: int, memory: dict) -> dict:
    figures = {
        "requests": {name: len(s) for name, s in run.samples.items()},
        "errors": run.errors,
        "rounds": rounds,
        "memory": memory,
    }
    for name, taken in run.samples.items():
        figures[name] = percentiles(taken) if taken else None
    figures["publish_to_proposable"] = {}
    for number, server in enumerate(run.servers):
        times = run.proposable[server]
        found = [t for t in times if t is not None]
        figures["publish_to_proposable"][f"server {number + 1}"] = {
            **(percentiles(found) if found else {}),
            "max_s": round(max(found), 2) if found else None,
            "published": len(times),
            "not_within_30_s": len(times) - len(found),
        }
    return figures


def rss(pid: int) -> dict:
    """Resident memory of one process in MiB: anonymous (its own) and file-backed."""
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )

    def mib(key):
        return round(int(status[key].split()[0]) / 1024, 1)

    return {"pid": pid, "rss_anon_mib": mib("RssAnon"), "rss_file_mib": mib("RssFile")}


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            for child in (task / "children").read_text().split():
                found += [int(child), *children(int(child))]
    return found


def rss_of_workers(pid: int) -> list[dict]:
    """The granian worker processes of a ``serve`` process: its descendants that are not
    multiprocessing's helpers."""
    workers = []
    for child in children(pid):
        with contextlib.suppress(FileNotFoundError):
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"resource_tracker" not in command:
                workers.append(rss(child))
    return workers


def targets(f: dict) -> dict:
    live = f["live"]
    api = live["proposals_api"]
    waits = [s.get("max_s") for s in live["publish_to_proposable"].values()]
    missed = sum(s["not_within_30_s"] for s in live["publish_to_proposable"].values())
    anon = [w["rss_anon_mib"] for s in live["memory"]["servers"] for w in s]
    return {
        "proposals_p95_ms": TARGET_P95_MS,
        "proposals_p95_met": api is not None and api["p95"] <= TARGET_P95_MS,
        "proposable_s": TARGET_PROPOSABLE_S,
        "proposable_met": not missed
        and all(w is not None and w <= TARGET_PROPOSABLE_S for w in waits),
        "rss_anon_mib": TARGET_RSS_MIB,
        "rss_met": bool(anon) and max(anon) <= TARGET_RSS_MIB,
    }


def report(f: dict) -> str:
    m, r, live = f["machine"], f["rebuild"], f["live"]
    lines = [
        f"related --live: {f['briefs']:,} briefs; 2 servers x {f['workers_per_server']} "
        f"workers x {f['threads_per_worker']} threads, 1 worker; {f['clients']} clients for "
        f"{f['seconds']} s",
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['date']}; "
        f"revision {f['revision']}",
        f"full rebuild{' (from an earlier run)' if r['reused'] else ''}: {r['rebuild_s']} s "
        f"(entries + compaction, model off); snapshot {r['snapshot_mib']} MiB, "
        f"HNSW {'yes' if r['ann'] else 'no'}",
    ]
    for name, phase in r["phases"].items():
        lines.append(f"  {name:<26}{phase['seconds']:>9.1f} s{phase['per_s']:>11,.0f} /s")
    e = f["embedding"]
    lines.append(
        f"worker embedding throughput: {e['per_s']} texts/s ({e['texts']} in {e['seconds']} s)"
        if e
        else "worker embedding throughput: no model"
    )
    lines.append(f"{'latency ms':<28}{'p50':>9}{'p95':>9}{'p99':>9}{'requests':>10}{'errors':>8}")
    for name in ("desk_edit", "proposals_api"):
        p = live[name] or {"p50": 0, "p95": 0, "p99": 0}
        lines.append(
            f"{name:<28}{p['p50']:>9.1f}{p['p95']:>9.1f}{p['p99']:>9.1f}"
            f"{live['requests'][name]:>10}{live['errors'][name]:>8}"
        )
    for server, p in live["publish_to_proposable"].items():
        shown = (
            f"p50 {p['p50'] / 1000:.2f} s, p95 {p['p95'] / 1000:.2f} s, p99 "
            f"{p['p99'] / 1000:.2f} s, max {p['max_s']} s"
            if p.get("p50") is not None
            else "never"
        )
        lines.append(
            f"publish -> proposable, {server}: {shown} ({p['published']} published, "
            f"{p['not_within_30_s']} not within {GIVE_UP_S:.0f} s)"
        )
    for number, workers in enumerate(live["memory"]["servers"], 1):
        shown = "; ".join(
            f"pid {w['pid']}: RssAnon {w['rss_anon_mib']} MiB, RssFile {w['rss_file_mib']} MiB"
            for w in workers
        )
        lines.append(f"memory, server {number} workers: {shown}")
    w = live["memory"]["worker"]
    lines.append(
        f"memory, worker: RssAnon {w['rss_anon_mib']} MiB, RssFile {w['rss_file_mib']} MiB"
    )
    t = f["targets"]
    ok = {True: "met", False: "MISSED"}
    lines.append(
        f"goals: proposals p95 <= {t['proposals_p95_ms']:.0f} ms: {ok[t['proposals_p95_met']]}; "
        f"publish -> proposable <= {t['proposable_s']:.0f} s: {ok[t['proposable_met']]}; "
        f"RSS <= {t['rss_anon_mib']:.0f} MiB beyond the page cache: {ok[t['rss_met']]}"
    )
    return "\n".join(lines)
