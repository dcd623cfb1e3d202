"""``newsbrief bench pages``: the board's pages under load, against nginx as the physical limit.

1. The corpus database (``corpus-N-seedS.sqlite3``, shared with ``bench search``) is loaded if
   it is not yet, and its search index is built if missing (``corpus-N-seedS-newsbrief``).
2. ``newsbrief serve`` starts on loopback against it (its own process, the production settings,
   stored pages under the work directory), and nginx (Debian's) starts with two sites: the
   production site ``newsbrief pages nginx`` prints, in front of that server, and a bare static
   site serving the very HTML of a brief page as a file: the peer.
3. wrk drives each scenario for ``--duration`` seconds and reports req/s, p50 and p99: stored
   pages (brief, board index, category) at ``--connections``; pages rendered per request (a
   random brief of the million, a random deep listing page, an entity's page with its
   timeline, a search) at
   ``--latency-connections``, one per request thread of the server, so that latency is the
   time to render a page rather than the time spent queueing behind others.
4. ``--readers`` readers (wrk, a mix of stored and rendered pages) for ``--import-seconds``
   while ``newsbrief import`` adds the corpus's next briefs through the ordinary importer (each
   one saved, indexed and its pages dropped): every non-2xx/3xx answer and socket error counts.
   The imported briefs are deleted afterwards, so the corpus stays the first N.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from . import corpus, entities, facets, loading
from .search import machine
from .words import COMMON_WORDS

TARGET_CACHED_RATIO = 0.5
TARGET_UNCACHED_P99_MS = 50.0
TARGET_LISTING_P99_MS = 100.0  # any category page or month, the category list, the archive
LISTINGS = (
    "category page, rendered (a random page down to its last)",
    "month page, rendered (a random month)",
    "category list, rendered",
    "archive index, rendered",
)
LISTING_PAGES = 500  # deep listing pages are drawn from 2..this
TARGET_ENTITY_P99_MS = 100.0  # an entity's page with its timeline (and pairs, for a country)
ENTITY_PAGES = (
    "entity page, rendered (the most named country: timeline, pairs)",
    "entity page, rendered (a random entity)",
)


@dataclasses.dataclass
class Options:
    briefs: int
    seed: int = 1
    workdir: Path = Path("var/bench")
    jobs: int = 2
    progress: bool = True
    duration: int = 10
    connections: int = 32
    latency_connections: int = 4
    readers: int = 100
    import_seconds: int = 60
    workers: int = 2
    threads: int = 2
    search: bool = True
    facet_requests: int = 100
    facets_only: bool = False


def tools() -> dict[str, str]:
    found = {name: shutil.which(name) or "" for name in ("wrk", "nginx")}
    if not found["nginx"] and os.path.exists("/usr/sbin/nginx"):
        found["nginx"] = "/usr/sbin/nginx"
    missing = [name for name, path in found.items() if not path]
    if missing:
        raise RuntimeError(
            f"bench pages needs {' and '.join(missing)}: apt-get install wrk nginx-light"
        )
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, timeout: float = 120, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:  # a cold worker, a busy machine
        return response.read()


# -- wrk ---------------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _UNITS[unit], 3)


def parse_wrk(output: str) -> dict:
    """req/s, p50/p99 (ms), requests and errors from ``wrk --latency`` output."""
    percent = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(percent["50"]),
        "p99_ms": _ms(percent["99"]),
        "requests": int(requests.group(1)) if requests else 0,
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def lua_script(choices: list[tuple[str, str]]) -> str:
    """A wrk script whose requests cycle at random through ``choices``: (path template, lua
    expression for the one ``%d`` or ``%s`` in it, or "")."""
    entries = ",\n".join(
        f"  function() return string.format({json.dumps(p)}, {e}) end"
        if e
        else f"  function() return {json.dumps(p)} end"
        for p, e in choices
    )
    return (
        "local counter = 0\n"
        "function setup(thread) counter = counter + 1; thread:set('id', counter) end\n"
        "function init(args) math.randomseed(os.time() * 100 + (id or 0)) end\n"
        f"local choices = {{\n{entries}\n}}\n"
        "function request() return wrk.format('GET', choices[math.random(#choices)]()) end\n"
    )


def _deep(pages: int) -> str:
    """A lua expression for a listing page number past the first, where there is one."""
    return f"math.random({min(2, pages)}, {pages})"


def lua_pick(values: list[str]) -> str:
    """A lua expression for one of ``values`` at random."""
    return "({" + ",".join(json.dumps(v) for v in values) + f"}})[math.random({len(values)})]"


def wrk(tool: str, url: str, *, connections: int, seconds: int, script: str | None = None):
    args = [tool, "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s"]
    args += ["--timeout", "10s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script or "")
    try:
        if script:
            args += ["-s", lua.name]
        done = subprocess.run([*args, url], capture_output=True, text=True, check=True)
    finally:
        os.unlink(lua.name)
    figures = parse_wrk(done.stdout)
    figures["connections"] = connections
    return figures


# -- the servers ----------------------------------------------------------------------------


RATES = ("API_ANONYMOUS", "API_READ", "API_WRITE", "SEARCH", "SUBSCRIBE")


def server_environment(options: Options, database: Path, state: Path) -> dict:
    index = options.workdir / f"{database.stem}-newsbrief"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsbrief.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "NEWSBRIEF_DATA_DIR": str(state),
        "NEWSBRIEF_PAGES_PATH": str(state / "pages"),
        "NEWSBRIEF_STATIC_ROOT": str(state / "static"),
        "NEWSBRIEF_SEARCH_PATH": str(index),
        "NEWSBRIEF_SEARCH_BACKEND": "tantivy",
        "NEWSBRIEF_SECRET_KEY": secrets.token_urlsafe(40),
        "NEWSBRIEF_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NEWSBRIEF_SSL_REDIRECT": "0",
        "NEWSBRIEF_SECURE_COOKIES": "0",
        "NEWSBRIEF_HSTS_SECONDS": "0",
        "NEWSBRIEF_RELATED_EMBEDDINGS": "0",
        "NEWSBRIEF_DEBUG": "",
        # One benchmark client is one address asking thousands of times a second: the board
        # is measured here, not its request rates.
        **{f"NEWSBRIEF_THROTTLE_{name}": "off" for name in RATES},
    }


class Served(str):
    """A running server's address (``host:port``), with its ``serve`` process."""

    process: subprocess.Popen


@contextlib.contextmanager
def newsbrief_server(env: dict, workers: int, threads: int):
    port = free_port()
    command = [sys.executable, "-m", "newsbrief.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            try:
                wait_until_up(f"http://127.0.0.1:{port}/en/categories/", process=process)
            except RuntimeError as exc:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"{exc}:\n{tail}") from None
            served = Served(f"127.0.0.1:{port}")
            served.process = process
            yield served
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextlib.contextmanager
def nginx(tool: str, directory: Path, app: str, env: dict, peer_root: Path):
    """nginx with the production site in front of ``app`` and the static peer; yields their
    addresses."""
    front, peer = free_port(), free_port()
    site = subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", "pages", "nginx", "--app", app,
         "--listen", f"127.0.0.1:{front}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    (directory / "logs").mkdir(parents=True, exist_ok=True)
    (directory / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (directory / "nginx.conf").write_text(
        f"{user}worker_processes 2;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/logs/error.log;\n"
        "events { worker_connections 4096; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  client_body_temp_path {directory}/body;\n  proxy_temp_path {directory}/proxy;\n"
        f"  include {directory}/site.conf;\n"
        f"  server {{ listen 127.0.0.1:{peer}; root {peer_root}; location / {{ }} }}\n"
        "}\n"
    )
    base = [tool, "-p", str(directory), "-c", str(directory / "nginx.conf")]
    subprocess.run(base, check=True, capture_output=True)
    try:
        wait_until_up(f"http://127.0.0.1:{peer}/brief.html")
        yield f"127.0.0.1:{front}", f"127.0.0.1:{peer}"
    finally:
        subprocess.run([*base, "-s", "stop"], capture_output=True)


# -- the scenarios ----------------------------------------------------------------------------


def _sample() -> dict:
    """Ids, category slugs and search words to request, and how deep the listings go (the
    deep pages are drawn from 2 .. that, at most ``LISTING_PAGES``)."""
    from django.conf import settings

    from newsbrief.briefs.models import Brief, BriefTag, Category, CategoryCount, MonthCount

    english = Brief.objects.filter(language="en")
    category = (
        BriefTag.objects.filter(brief__language="en").values_list("category__slug", flat=True)[:1]
    )[0]
    size = settings.NEWSBRIEF_PAGE_SIZE
    sample = english.order_by("-published_at").values_list("pk", flat=True)[:1]

    def depth(briefs) -> int:
        # Counting only as far as the deepest page drawn.
        return max(1, min(LISTING_PAGES, briefs[: LISTING_PAGES * size].count() // size))

    counts = CategoryCount.objects.filter(language="en", category__slug=category)
    months = MonthCount.objects.filter(language="en", count__gt=0).values_list("month", flat=True)
    return {
        "brief": sample[0],
        "category": category,
        # Every page of the category, down to its last (the kept count says where that is).
        "category_last_page": max(1, -(-sum(c.count for c in counts) // size)),
        "months": [f"{m.year}/{m.month}" for m in months],
        "categories": list(Category.objects.values_list("slug", flat=True)),
        "words": [w for w in COMMON_WORDS[:400] if len(w) > 3 and w.isalpha()][:100],
        "index_pages": depth(english),
        "category_pages": depth(english.filter(brief_tags__category__slug=category)),
    }


def import_file(options: Options, count: int) -> Path:
    """The corpus's next ``count`` briefs as a JSON Lines archive (kept for reruns)."""
    from newsbrief.briefs.models import Brief
    from newsbrief.formats import jsonl

    path = options.workdir / f"import-{options.briefs}-{count}-seed{options.seed}.jsonl"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(jsonl.write(jsonl.Header(jsonl.VERSION)) + "\n")
        for i in range(options.briefs, options.briefs + count):
            content = corpus.make_brief(options.seed, i).to_content()
            record = jsonl.BriefRecord(content=content, status=Brief.Status.PUBLISHED)
            out.write(jsonl.write(record) + "\n")
    tmp.rename(path)
    return path


def archive_uids(archive: Path) -> list:
    """The uids of the briefs in a JSON Lines archive, in its order."""
    from newsbrief.formats import jsonl

    uids = []
    with open(archive, encoding="utf-8") as lines:
        for line in lines:
            record = jsonl.parse_record(line)
            if isinstance(record, jsonl.BriefRecord) and record.content.uid:
                uids.append(record.content.uid)
    return uids


def _forget_imported(options: Options, archive: Path) -> int:
    """Delete what the import added (and drop it from the corpus's index)."""
    from django.test import override_settings

    from newsbrief.briefs.models import Brief
    from newsbrief.search.backends import get_backend, reset_backends

    uids = archive_uids(archive)
    index = options.workdir / f"corpus-{options.briefs}-seed{options.seed}-newsbrief"
    with override_settings(NEWSBRIEF_SEARCH_PATH=index, NEWSBRIEF_SEARCH_BACKEND="tantivy"):
        reset_backends()
        deleted = 0
        for start in range(0, len(uids), 500):
            deleted += (
                Brief.objects.filter(uid__in=uids[start : start + 500])
                .delete()[1]
                .get("briefs.Brief", 0)
            )
        get_backend().drain()
        reset_backends()
    return deleted


def _ensure_index(options: Options, log) -> dict:
    from newsbrief.search.backends import get_backend

    from .search import search_code_version

    database = options.workdir / f"corpus-{options.briefs}-seed{options.seed}.sqlite3"
    stamp = options.workdir / f"{database.stem}-embedded-index.json"
    built = json.loads(stamp.read_text()) if stamp.exists() else {}
    if built.get("code") == search_code_version():
        return {"index": "reused", **built}
    log("search index: building (the search page needs it)")
    started = time.perf_counter()
    backend = get_backend("tantivy", path=options.workdir / f"{database.stem}-newsbrief")
    backend.rebuild(progress=options.progress, jobs=options.jobs)
    built = {"build_s": round(time.perf_counter() - started, 2), "code": search_code_version()}
    stamp.write_text(json.dumps(built))
    return {"index": "built", **built}


def run(options: Options, log=print) -> dict:
    tool = None if options.facets_only else tools()
    options.workdir.mkdir(parents=True, exist_ok=True)
    database = options.workdir / f"corpus-{options.briefs}-seed{options.seed}.sqlite3"
    figures: dict = {
        "briefs": options.briefs,
        "seed": options.seed,
        "machine": machine(),
        "workers": options.workers,
        "threads": options.threads,
        "duration_s": options.duration,
    }
    import_count = max(1000, options.import_seconds * 200)
    with loading.use_sqlite(database):
        loading.load(options.briefs, options.seed, jobs=options.jobs, progress=options.progress)
        named = entities.ensure(progress=options.progress, log=log)
        log("  facets: the same listing pages with and without (in process)")
        figures["facets"] = facets.run(options.facet_requests)
        if options.facets_only:
            return figures
        sample = _sample()
        sample["entity"], sample["entities"] = named["entity"], named["entities"]
        figures["search_index"] = _ensure_index(options, log) if options.search else None
        archive = import_file(options, import_count)

    state = options.workdir / f"pages-state-{options.briefs}-seed{options.seed}"
    env = server_environment(options, database, state)
    scenarios = figures["scenarios"] = {}
    brief = f"/en/briefs/{sample['brief']}/"
    category = f"/en/categories/{sample['category']}/"
    rendered = {
        "brief page, rendered (a random brief of all)": lua_script(
            [("/en/briefs/%d/", f"math.random(1, {options.briefs})")]
        ),
        "board index, rendered (a random deep page)": lua_script(
            [("/en/?page=%d", _deep(sample["index_pages"]))]
        ),
        "category page, rendered (a random deep page)": lua_script(
            [(category + "?page=%d", _deep(sample["category_pages"]))]
        ),
        "category page, rendered (a random page down to its last)": lua_script(
            [(category + "?page=%d", _deep(sample["category_last_page"]))]
        ),
        "month page, rendered (a random month)": lua_script(
            [("/en/archive/%s/?lang=en", lua_pick(sample["months"]))]
        ),
        # ``?lang=en`` (the reader's default) keeps them out of the page store: rendered.
        "category list, rendered": lua_script([("/en/categories/?lang=en", "")]),
        "archive index, rendered": lua_script([("/en/archive/?lang=en", "")]),
        ENTITY_PAGES[0]: lua_script([(f"/en/entities/{sample['entity']}/?lang=en", "")]),
        ENTITY_PAGES[1]: lua_script([("/en/entities/%s/?lang=en", lua_pick(sample["entities"]))]),
        "search page (a random common word)": (
            lua_script([("/en/search/?q=%s", lua_pick(sample["words"]))])
            if options.search
            else None
        ),
    }
    with (
        tempfile.TemporaryDirectory() as scratch,
        newsbrief_server(env, options.workers, options.threads) as app,
    ):
        page_html = fetch(f"http://{app}{brief}")
        fetch(f"http://{app}{brief}")
        Path(scratch, "brief.html").write_bytes(page_html)
        figures["page_bytes"] = len(page_html)
        with nginx(tool["nginx"], Path(scratch, "nginx"), app, env, Path(scratch)) as (front, peer):
            for path in ("/en/", category):
                fetch(f"http://{app}{path}")
            stored = {
                "nginx, the same HTML as a static file (peer)": f"http://{peer}/brief.html",
                "brief page, stored (newsbrief serve)": f"http://{app}{brief}",
                "brief page, stored (nginx in front, README site)": f"http://{front}{brief}",
                "board index, stored (newsbrief serve)": f"http://{app}/en/",
                "category page, stored (newsbrief serve)": f"http://{app}{category}",
            }
            for label, url in stored.items():
                log(f"  {label}")
                scenarios[label] = wrk(
                    tool["wrk"], url, connections=options.connections, seconds=options.duration
                )
            for label, script in rendered.items():
                if script is None:
                    continue
                log(f"  {label}")
                scenarios[label] = wrk(
                    tool["wrk"],
                    f"http://{app}/",
                    connections=options.latency_connections,
                    seconds=options.duration,
                    script=script,
                )
        figures["during_import"] = _readers_during_import(
            options, tool, app, env, archive, sample, log
        )
    with loading.use_sqlite(database):
        figures["during_import"]["deleted_afterwards"] = _forget_imported(options, archive)

    peer_rps = scenarios["nginx, the same HTML as a static file (peer)"]["rps"]
    for s in scenarios.values():
        s["ratio_to_nginx"] = round(s["rps"] / peer_rps, 3)
    cached = scenarios["brief page, stored (newsbrief serve)"]["ratio_to_nginx"]
    fronted = scenarios["brief page, stored (nginx in front, README site)"]["ratio_to_nginx"]
    uncached = scenarios["brief page, rendered (a random brief of all)"]["p99_ms"]
    readers = figures["during_import"]
    figures["target"] = {
        "cached_ratio": TARGET_CACHED_RATIO,
        "cached_met_serve": cached >= TARGET_CACHED_RATIO,
        "cached_met_nginx_front": fronted >= TARGET_CACHED_RATIO,
        "uncached_p99_ms": TARGET_UNCACHED_P99_MS,
        "uncached_met": uncached <= TARGET_UNCACHED_P99_MS,
        "import_errors_met": readers["errors"] == 0,
        "listing_p99_ms": TARGET_LISTING_P99_MS,
        "listing_worst_p99_ms": max(scenarios[label]["p99_ms"] for label in LISTINGS),
    }
    figures["target"]["listing_met"] = (
        figures["target"]["listing_worst_p99_ms"] <= TARGET_LISTING_P99_MS
    )
    worst = max(scenarios[label]["p99_ms"] for label in ENTITY_PAGES)
    figures["target"].update(
        entity_p99_ms=TARGET_ENTITY_P99_MS,
        entity_worst_p99_ms=worst,
        entity_met=worst <= TARGET_ENTITY_P99_MS,
    )
    return figures


def _readers_during_import(options, tool, app, env, archive, sample, log) -> dict:
    log(f"  {options.readers} readers for {options.import_seconds} s during an import")
    mix = lua_script(
        [
            (f"/en/briefs/{sample['brief']}/", ""),
            ("/en/", ""),
            ("/zh-hant/", ""),
            ("/en/briefs/%d/", f"math.random(1, {options.briefs})"),
            ("/zh-hant/briefs/%d/", f"math.random(1, {options.briefs})"),
            ("/en/categories/%s/", lua_pick(sample["categories"])),
            ("/en/?page=%d", _deep(sample["index_pages"])),
        ]
    )  # fmt: skip
    importer = subprocess.Popen(
        [sys.executable, "-m", "newsbrief.cli", "import", str(archive)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    started = time.monotonic()
    try:
        readers = wrk(
            tool["wrk"],
            f"http://{app}/",
            connections=options.readers,
            seconds=options.import_seconds,
            script=mix,
        )
    finally:
        running = importer.poll() is None
        if running:
            os.killpg(importer.pid, signal.SIGINT)
        try:
            output, _ = importer.communicate(timeout=120)
            exit_state = "stopped when the readers stopped" if running else importer.returncode
        except subprocess.TimeoutExpired:
            # Stopping indexes what was imported (the search outbox drains at exit), which a
            # busy machine can make slow; the readers' figures are taken by then.
            os.killpg(importer.pid, signal.SIGKILL)
            output, _ = importer.communicate()
            exit_state = "killed: it did not stop within 120 s of the readers"
    readers["import_ran_s"] = round(time.monotonic() - started, 1) if running else None
    readers["import_exit"] = exit_state
    readers["import_output"] = output.strip().splitlines()[-1:] if output else []
    readers["errors"] = readers["non_2xx_3xx"] + readers["socket_errors"]
    return readers


def report(f: dict) -> str:
    if "scenarios" not in f:  # --facets-only
        return "\n".join(facets.report(f["facets"]))
    lines = [
        f"pages: {f['briefs']:,} briefs; newsbrief serve with {f['workers']} workers x "
        f"{f['threads']} threads; wrk {f['duration_s']} s per scenario; page {f['page_bytes']} B",
        f"{'scenario':<52}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'x nginx':>9}",
    ]
    for label, s in f["scenarios"].items():
        lines.append(
            f"{label:<52}{s['connections']:>6}{s['rps']:>10.0f}{s['p50_ms']:>9.2f}"
            f"{s['p99_ms']:>9.2f}{s['ratio_to_nginx']:>9.3f}"
        )
    r = f["during_import"]
    lines.append(
        f"{r['connections']} readers during an import: {r['requests']} requests, "
        f"{r['rps']:.0f} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, errors {r['errors']} "
        f"(non-2xx/3xx {r['non_2xx_3xx']}, socket {r['socket_errors']}); import: "
        f"{' '.join(r['import_output'])} ({r['import_exit']})"
    )
    lines += facets.report(f["facets"])
    t = f["target"]
    ok = {True: "met", False: "NOT met"}
    lines.append(
        f"targets: stored brief page >= {t['cached_ratio']}x nginx: "
        f"serve {ok[t['cached_met_serve']]}, behind nginx {ok[t['cached_met_nginx_front']]}; "
        f"rendered brief page p99 <= "
        f"{t['uncached_p99_ms']} ms: {ok[t['uncached_met']]}; 0 errors during import: "
        f"{ok[t['import_errors_met']]}; listings p99 <= {t['listing_p99_ms']} ms (worst "
        f"{t['listing_worst_p99_ms']} ms): {ok[t['listing_met']]}; entity pages p99 <= "
        f"{t['entity_p99_ms']} ms (worst {t['entity_worst_p99_ms']} ms): {ok[t['entity_met']]}"
    )
    return "\n".join(lines)
