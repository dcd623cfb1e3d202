"""``newsbrief bench soak``: the board in production mode, read, written, imported into and
attacked at once for ``--seconds``; what broke.

1. A throwaway database: a new SQLite file under the work directory, or, with
   ``--database-url``, a new PostgreSQL database on that server (dropped afterwards); with
   ``--cache-url``, Redis as the cache, the task queue and the page store (``scale-out``).
   ``newsbrief demo`` seeds it; chief editors get API tokens and desk sessions.
2. ``newsbrief serve`` (DEBUG off, as ``bench pages`` starts it) and ``newsbrief worker``.
3. For ``--seconds``, all at once:

   - ``--readers`` readers without a session: board, brief, category and archive pages,
     search, feeds and API reads, each a keep-alive connection;
   - ``--writers`` writers, each on a brief of its own, round after round: a content save
     races a status change (unpublish, submit, publish in turn), the save and the change each
     through the API or the desk (all four pairings in turn). After each round the brief's
     status must be the one its last status change in the audit log set: else it was undone;
   - ``newsbrief import`` of a JSON Lines file of bench-corpus briefs, in a subprocess (waited
     for after the clients stop): every brief of the file must be there once afterwards;
   - ``--hostile`` clients: long path segments, huge page numbers, NUL and invalid UTF-8, a
     foreign Host, hostile Markdown bodies (API and desk preview), extreme source dates, control
     characters in titles, sources at internal addresses, wrong sign-ins (``/accounts/`` and
     ``/admin/``).

4. Requests and answers by status (429 apart: throttled, not an error), 5xx by route with
   examples, lost or doubled briefs, undone status changes, p50/p99 per route.

Throttles count every client here as one address (loopback): the readers' and the hostile
clients' 429s are reported as throttled. The servers take their settings from the environment
the bench runs in, so ``NEWSBRIEF_THROTTLE_...=...`` before the command raises their limits.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.parse
from pathlib import Path

from . import live, loading, pages
from .search import git_revision, machine, percentiles

KINDS = ("unpublish", "submit", "publish")  # each round's status change, in turn
BEFORE = {"unpublish": "published", "submit": "draft", "publish": "review"}
# The status each change sets; the audit log names its entries after the changes.
SETS = {"publish": "published", "unpublish": "draft", "submit": "review"}
SAVED = {"api": 200, "desk": 302}  # the desk answers a form it refuses with the form again
CHANNELS = ("api", "desk")
IMPORT_WAIT_S = 600
EXAMPLES = 20  # 5xx answers kept, one per distinct path


@dataclasses.dataclass
class Options:
    seconds: int = 60
    readers: int = 100
    writers: int = 4
    hostile: int = 2
    import_briefs: int = 0  # 0: ten per second of the run
    workers: int = 2
    threads: int = 2
    database_url: str = ""
    cache_url: str = ""
    workdir: Path = Path("var/bench")
    seed: int = 1
    worker: bool = True
    keep_alive: bool = False  # readers: one connection each for the run, or one per request


# -- the board ------------------------------------------------------------------------------


@contextlib.contextmanager
def throwaway_database(options: Options, home: Path):
    """A database URL for this run alone: a SQLite file in ``home``, or a new database on
    ``--database-url``'s PostgreSQL server, dropped afterwards."""
    if not options.database_url:
        yield f"sqlite:///{home / 'board.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    given = urllib.parse.urlsplit(options.database_url)
    if not given.scheme.startswith("postgres"):
        raise RuntimeError("--database-url must be a postgres:// address")
    name = f"{given.path.lstrip('/') or 'newsbrief'}_soak_{secrets.token_hex(4)}"
    with psycopg.connect(options.database_url, autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield given._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(options.database_url, autocommit=True) as server:
            server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def environment(options: Options, home: Path, url: str) -> dict:
    """The servers' (``bench pages``'s production settings) on this run's database."""
    state = home / "state"
    env = pages.server_environment(
        types.SimpleNamespace(workdir=home), home / "board.sqlite3", state
    )
    env["DATABASE_URL"] = url
    env["NEWSBRIEF_SEARCH_PATH"] = str(state / "search")
    if options.cache_url:
        env["NEWSBRIEF_CACHE_URL"] = options.cache_url
        env["NEWSBRIEF_CACHE_PREFIX"] = f"soak-{secrets.token_hex(4)}"
        env["NEWSBRIEF_PAGES_STORE"] = "cache"
    return env


def seed(env: dict) -> str:
    """``newsbrief demo`` on the new database: its summary line."""
    done = subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode:
        raise RuntimeError(f"newsbrief demo failed:\n{(done.stdout + done.stderr)[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def sample() -> dict:
    """What readers ask for: published briefs of each language, categories, archive months,
    search words."""
    from newsbrief.briefs.models import Brief, Category

    published = Brief.objects.published()
    titles = published.values_list("title", flat=True)[:200]
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)})
    months = published.dates("published_at", "month")
    return {
        "en": list(published.filter(language="en").values_list("pk", flat=True)[:500]),
        "zh-hant": list(published.filter(language="zh-hant").values_list("pk", flat=True)[:500]),
        "categories": list(Category.objects.values_list("slug", flat=True)),
        "months": [(d.year, d.month) for d in months] or [(2012, 3)],
        "words": words[:200] or ["science"],
    }


# -- what the clients share -----------------------------------------------------------------


class Tally:
    """Every answer by route and status, and the times; one per thread, merged at the end."""

    def __init__(self):
        self.times = collections.defaultdict(list)
        self.statuses = collections.defaultdict(collections.Counter)
        self.failures: dict[str, str] = {}  # 5xx: path -> route

    def add(self, route: str, status: int | None, seconds: float, path: str) -> None:
        self.times[route].append(seconds)
        self.statuses[route][status] += 1
        if status is not None and status >= 500 and len(self.failures) < EXAMPLES:
            self.failures.setdefault(f"{status} {path[:160]}", route)

    def merge(self, other: Tally) -> None:
        for route, times in other.times.items():
            self.times[route] += times
            self.statuses[route].update(other.statuses[route])
        for key, route in other.failures.items():
            if len(self.failures) < EXAMPLES:
                self.failures.setdefault(key, route)


@dataclasses.dataclass
class Account:
    username: str
    password: str
    token: str
    cookie: str = ""

    @property
    def csrf(self) -> str:
        return re.search(r"csrftoken=([^;]+)", self.cookie).group(1)


@dataclasses.dataclass
class Run:
    server: str
    deadline: float
    sample: dict
    tallies: list = dataclasses.field(default_factory=list)
    rounds: list = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def tally(self) -> Tally:
        tally = Tally()
        with self.lock:
            self.tallies.append(tally)
        return tally

    def running(self) -> bool:
        return time.monotonic() < self.deadline


def form(fields: dict) -> tuple[bytes, dict]:
    return urllib.parse.urlencode(fields).encode(), {
        "Content-Type": "application/x-www-form-urlencoded"
    }


# -- readers ----------------------------------------------------------------------------------


def reader_request(rng: random.Random, s: dict) -> tuple[str, str]:
    """(route, path): one of the reader's requests, at random."""
    language = rng.choice(["en", "zh-hant"])
    brief = rng.choice(s[language] or s["en"] or [1])
    slug = rng.choice(s["categories"] or ["none"])
    year, month = rng.choice(s["months"])
    word = rng.choice(s["words"])
    choices = [
        ("board index", f"/{language}/"),
        ("board index, page 2", f"/{language}/?page=2"),
        ("brief page", f"/{language}/briefs/{brief}/"),
        ("categories", f"/{language}/categories/"),
        ("category page", f"/{language}/categories/{slug}/"),
        ("archive", f"/{language}/archive/"),
        ("archive month", f"/{language}/archive/{year}/{month}/"),
        ("search page", f"/{language}/search/?q={word}"),
        ("feed", rng.choice([f"/{language}/feeds/rss/", f"/{language}/feeds/{language}/atom/"])),
        ("category feed", f"/{language}/feeds/categories/{slug}/{language}/rss/"),
        ("api: briefs", "/api/briefs?limit=20"),
        ("api: brief", f"/api/briefs/{brief}"),
        ("api: search", f"/api/search?q={word}"),
        ("api: categories", "/api/categories"),
    ]
    return rng.choice(choices)


def read_loop(run: Run, number: int, seed: int, keep_alive: bool) -> None:
    """Requests until the deadline, on one connection kept open or (as independent visitors
    come and go) a new one for each request: ``serve`` answers only so many open
    connections at a time, and a reader beyond them waits for one to close."""
    rng = random.Random(f"{seed}:reader:{number}")
    tally = run.tally()
    headers = {} if keep_alive else {"Connection": "close"}
    with contextlib.closing(live.Client([run.server])) as client:
        while run.running():
            route, path = reader_request(rng, run.sample)
            status, _body, seconds = client.request(
                run.server, "GET", path, "public", None, headers
            )
            tally.add(route, status, seconds, path)


# -- writers: a save racing a status change ---------------------------------------------------


class Writer:
    """A chief editor racing on one brief of their own, through the API and the desk."""

    def __init__(self, run: Run, account: Account, brief: int, number: int):
        self.run, self.account, self.brief, self.number = run, account, brief, number
        self.tally = run.tally()
        # One connection for each side of a race.
        self.saver = live.Client([run.server], account.cookie, account.token)
        self.changer = live.Client([run.server], account.cookie, account.token)

    def ask(self, client, route, method, path, kind, body=None, headers=None):
        status, data, seconds = client.request(self.run.server, method, path, kind, body, headers)
        self.tally.add(route, status, seconds, path)
        return status, data

    def state(self) -> dict:
        status, data = self.ask(
            self.saver, "api: brief (editor)", "GET", f"/api/briefs/{self.brief}", "api"
        )
        if status != 200:
            raise RuntimeError(f"GET /api/briefs/{self.brief}: {status}")
        return json.loads(data)

    def change(self, client, kind: str, channel: str) -> int | None:
        if channel == "api":
            path = f"/api/briefs/{self.brief}/{kind}"
            return self.ask(client, f"api: {kind}", "POST", path, "api", b"", {})[0]
        body, headers = form({"csrfmiddlewaretoken": self.account.csrf, "when": ""})
        path = f"/en/desk/{self.brief}/{kind}/"
        return self.ask(client, f"desk: {kind}", "POST", path, "desk", body, headers)[0]

    def save(self, brief: dict, text: str, channel: str) -> int | None:
        if channel == "api":
            patch = {"body": text, "based_on": brief["revision"]}
            path = f"/api/briefs/{self.brief}"
            return self.ask(self.saver, "api: save", "PATCH", path, "api", patch)[0]
        source = brief.get("source") or {}
        versions = brief.get("versions") or []
        fields = {
            "csrfmiddlewaretoken": self.account.csrf,
            "title": brief["title"],
            "tags": ", ".join(t["name"] for t in brief["tags"]),
            "body": text,
            "source_name": source.get("name") or "",
            "source_date": source.get("date") or "",
            "links": "",
            "language": brief["language"],
            "version": versions[0]["id"] if versions else "",
            "based_on": brief["revision"],
        }
        body, headers = form(fields)
        path = f"/en/desk/{self.brief}/edit/"
        return self.ask(self.saver, "desk: save", "POST", path, "desk", body, headers)[0]

    def prepare(self, kind: str) -> dict:
        """The brief in the status ``kind`` starts from (after a round that went right, it
        already is), through the API."""
        brief = self.state()
        steps = {
            ("published", "draft"): ["unpublish"],
            ("review", "draft"): ["unpublish"],
            ("draft", "review"): ["submit"],
            ("published", "review"): ["unpublish", "submit"],
            ("draft", "published"): ["publish"],
            ("review", "published"): ["publish"],
        }.get((brief["status"], BEFORE[kind]), [])
        for step in steps:
            self.change(self.changer, step, "api")
        return self.state() if steps else brief

    def round(self, number: int) -> dict:
        from newsbrief.briefs.models import AuditEntry, Brief

        kind = KINDS[number % 3]
        save_by, change_by = CHANNELS[number // 3 % 2], CHANNELS[number // 6 % 2]
        brief = self.prepare(kind)
        audit = AuditEntry.objects.filter(brief_id=self.brief, action__in=KINDS)
        before = audit.order_by("-pk").values_list("pk", flat=True).first() or 0
        text = f"Soak round {number} of writer {self.number}: {secrets.token_hex(8)}."
        start = threading.Barrier(2)
        answers = {}

        def changing():
            start.wait()
            answers["change"] = self.change(self.changer, kind, change_by)

        other = threading.Thread(target=changing)
        other.start()
        start.wait()
        answers["save"] = self.save(brief, text, save_by)
        other.join()
        last = audit.order_by("-pk").values_list("pk", "action").first()
        status = Brief.objects.filter(pk=self.brief).values_list("status", flat=True).get()
        expected = SETS[last[1]] if last else None
        return {
            "kind": kind,
            "save_by": save_by,
            "change_by": change_by,
            "answers": answers,
            "saved": answers["save"] == SAVED[save_by],
            "changed": bool(last and last[0] > before),
            "status": status,
            "expected": expected,
            "undone": expected is not None and status != expected,
        }

    def loop(self) -> None:
        from django.db import connections

        number = 0
        try:
            while self.run.running():
                try:
                    outcome = self.round(number)
                except RuntimeError as exc:  # the brief could not be read: counted, go on
                    outcome = {"kind": KINDS[number % 3], "failed": str(exc)[:200]}
                with self.run.lock:
                    self.run.rounds.append(outcome)
                number += 1
        finally:
            self.saver.close(), self.changer.close()
            connections.close_all()


# -- the hostile mix ---------------------------------------------------------------------------

MARKDOWN = {
    "brackets": "[" * 3000,
    "nested lists": "* " * 500 + "x",
    "nested quotes": "> " * 500 + "x",
    "emphasis run": "*a" * 3000,
    "open links": "[a](" * 1000,
    "angle brackets": "<" * 5000,
    "backticks": "`" * 3000,
}
SOURCES = [
    "http://127.0.0.1:22/",
    "http://[::1]/",
    "http://localhost/",
    "http://[::ffff:127.0.0.1]/",
    "http://user@127.0.0.1/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00::1]/",
]
LONG = "a" * 300


def hostile_gets(slug: str) -> list[tuple[str, str, str]]:
    """(route, path, kind) of the hostile addresses and query strings."""
    huge = "9223372036854775807"
    return [
        ("hostile: long segment, stored-page fast path", f"/en/{LONG}/", "public"),
        ("hostile: long segment, brief", f"/en/briefs/{'9' * 300}/", "public"),
        ("hostile: long segment, category", f"/en/categories/{'x' * 1000}/", "public"),
        ("hostile: long segment, archive", f"/en/archive/{'2' * 300}/1/", "public"),
        ("hostile: long segment, feed", f"/en/feeds/categories/{LONG}/rss/", "public"),
        ("hostile: long segment, digest", f"/en/digest/{LONG}/", "public"),
        ("hostile: long segment, desk", f"/en/desk/{'1' * 300}/edit/", "desk"),
        ("hostile: long segment, password reset", f"/en/accounts/reset/{LONG}/{LONG}/", "public"),
        ("hostile: huge page", f"/en/?page={huge}", "public"),
        ("hostile: huge page", f"/en/categories/{slug}/?page=99999999999999999999", "public"),
        ("hostile: huge page", f"/en/search/?q=a&page={huge}", "public"),
        ("hostile: huge page", f"/api/briefs?page={huge}", "public"),
        ("hostile: huge page", f"/api/briefs?offset={huge}", "public"),
        ("hostile: NUL", "/en/categories/a%00b/", "public"),
        ("hostile: NUL", "/en/search/?q=%00", "public"),
        ("hostile: NUL", "/api/briefs?category=%00", "public"),
        ("hostile: invalid UTF-8", "/en/briefs/%ff%fe/", "public"),
        ("hostile: invalid UTF-8", "/en/categories/%c3%28/", "public"),
        ("hostile: invalid UTF-8", "/en/search/?q=%ff%fe", "public"),
        ("hostile: invalid UTF-8", "/api/search?q=%ff", "public"),
    ]


class Hostile:
    """One client cycling through the hostile mix, signed in as a chief editor of its own
    (for the desk and the API) where the request needs it."""

    def __init__(self, run: Run, account: Account, number: int):
        self.run, self.account, self.number = run, account, number
        self.tally = run.tally()
        self.client = live.Client([run.server], account.cookie, account.token)
        self.accepted_sources = self.sources_tried = 0

    def ask(self, route, method, path, kind, body=None, headers=None):
        status, data, seconds = self.client.request(
            self.run.server, method, path, kind, body, headers
        )
        self.tally.add(route, status, seconds, path)
        return status, data

    def created(self, route: str, brief: dict) -> int | None:
        status, data = self.ask(route, "POST", "/api/briefs", "api", brief)
        return json.loads(data)["id"] if status == 201 else None

    def steps(self, rng: random.Random):
        """The mix, one callable per request or small sequence, in a shuffled order."""
        slug = rng.choice(self.run.sample["categories"] or ["none"])
        steps = [(lambda r=r, p=p, k=k: self.ask(r, "GET", p, k)) for r, p, k in hostile_gets(slug)]
        steps.append(
            lambda: self.ask(
                "hostile: foreign Host", "GET", "/en/", "public", None, {"Host": "evil.example"}
            )
        )
        for name, text in MARKDOWN.items():
            brief = {"language": "en", "title": f"Hostile {name}", "body": text}
            steps.append(lambda b=brief: self.created("hostile: markdown body (api)", b))
            steps.append(lambda t=text: self.preview(t))
        steps += [self.extreme_date, self.control_title, self.source, self.wrong_sign_in]
        rng.shuffle(steps)
        return steps

    def preview(self, text: str) -> None:
        fields = {
            "csrfmiddlewaretoken": self.account.csrf,
            "title": "Preview",
            "body": text,
            "language": "en",
            "tags": "",
            "links": "",
        }
        body, headers = form(fields)
        self.ask(
            "hostile: markdown body (desk preview)",
            "POST",
            "/en/desk/preview/",
            "desk",
            body,
            headers,
        )

    def extreme_date(self) -> None:
        for date in ("0001-01-05", "9999-12-31"):
            brief = {
                "language": "en",
                "title": f"Dated {date}",
                "body": "x",
                "source": {"name": "far", "date": date},
            }
            pk = self.created("hostile: extreme source date (api)", brief)
            if pk is not None:
                self.ask("hostile: extreme date, desk edit", "GET", f"/en/desk/{pk}/edit/", "desk")
                self.ask(
                    "hostile: extreme date, proposals", "GET", f"/api/briefs/{pk}/proposals", "api"
                )

    def control_title(self) -> None:
        """A title with control characters, published in a category the readers' feeds
        show."""
        slug_names = self.run.sample.get("category_names") or []
        brief = {
            "language": "en",
            "title": "Control \u000b\u001b title",
            "body": "x",
            "tags": slug_names[:1],
        }
        pk = self.created("hostile: control characters in a title (api)", brief)
        if pk is not None:
            self.ask("api: publish (hostile)", "POST", f"/api/briefs/{pk}/publish", "api", b"")
            self.ask("hostile: feed with a control character", "GET", "/en/feeds/rss/", "public")

    def source(self) -> None:
        url = SOURCES[(self.number + self.sources_tried) % len(SOURCES)]
        self.sources_tried += 1
        fields = {
            "csrfmiddlewaretoken": self.account.csrf,
            "name": f"Inside {url}",
            "kind": "feed",
            "url": url,
            "language": "en",
        }
        body, headers = form(fields)
        status, _data = self.ask(
            "hostile: internal source (desk)", "POST", "/en/desk/sources/", "desk", body, headers
        )
        self.accepted_sources += status == 302

    def wrong_sign_in(self) -> None:
        for route, path in (
            ("hostile: wrong sign-in", "/en/accounts/login/"),
            ("hostile: wrong admin sign-in", "/admin/login/"),
        ):
            fields = {
                "csrfmiddlewaretoken": self.account.csrf,
                "username": "soak-nobody",
                "password": secrets.token_hex(6),
                "next": "/admin/",
            }
            body, headers = form(fields)
            self.ask(route, "POST", path, "desk", body, {**headers, "Referer": path})

    def loop(self) -> None:
        from django.db import connections

        rng = random.Random(f"hostile:{self.number}")
        try:
            while self.run.running():
                for step in self.steps(rng):
                    if not self.run.running():
                        break
                    step()
        finally:
            self.client.close()
            connections.close_all()


# -- the run ------------------------------------------------------------------------------------


def accounts(count: int, server: str, prefix: str) -> list[Account]:
    """Chief editors with tokens and desk sessions (signed in before any wrong sign-in)."""
    made = []
    for number in range(count):
        username = f"soak-{prefix}-{number}"
        token, password = live.editor(username, "bench soak")
        account = Account(username, password, token)
        account.cookie = live.sign_in(server, password, username)
        made.append(account)
    return made


def race_briefs(server: str, writers: list[Account], tags: list[str]) -> list[int]:
    """A published brief for each writer, made through the API."""
    made = []
    for number, account in enumerate(writers):
        with contextlib.closing(live.Client([server], token=account.token)) as client:
            brief = {
                "language": "en",
                "title": f"Soak race {number}",
                "body": "Round 0.",
                "tags": tags,
            }
            pk = client.json(server, "POST", "/api/briefs", brief)["id"]
            client.json(server, "POST", f"/api/briefs/{pk}/publish")
            made.append(pk)
    return made


def import_check(archive: Path) -> dict:
    """How many of the archive's briefs are missing, or there more than once (by title and
    language, as a second import would make them)."""
    from django.db.models import Count

    from newsbrief.briefs.models import Brief

    uids = pages.archive_uids(archive)
    found, doubled = 0, 0
    for start in range(0, len(uids), 500):
        chunk = Brief.objects.filter(uid__in=uids[start : start + 500])
        found += chunk.count()
        keys = chunk.values_list("title", "language")
        doubled += sum(
            n - 1
            for n in Brief.objects.filter(title__in=[t for t, _l in keys])
            .values("title", "language")
            .annotate(n=Count("pk"))
            .values_list("n", flat=True)
            if n > 1
        )
    return {"briefs": len(uids), "found": found, "lost": len(uids) - found, "doubled": doubled}


def run(options: Options, log=print) -> dict:
    """The whole soak; the figures (see ``report``)."""
    options.workdir.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="soak-", dir=options.workdir))
    count = options.import_briefs or max(100, options.seconds * 10)
    figures: dict = {
        "machine": machine(),
        "revision": git_revision(),
        "database": "PostgreSQL" if options.database_url else "SQLite",
        "cache": "Redis" if options.cache_url else "each process's memory, pages as files",
        "seconds": options.seconds,
        "readers": options.readers,
        "writers": options.writers,
        "hostile": options.hostile,
        "workers": options.workers,
        "threads": options.threads,
        "import_briefs": count,
        "keep_alive": options.keep_alive,
    }
    try:
        with throwaway_database(options, home) as url:
            env = environment(options, home, url)
            log(f"soak: seeding a new {figures['database']} database (newsbrief demo)")
            figures["seeded"] = seed(env)
            with loading.use_database(url):
                archive = pages.import_file(
                    types.SimpleNamespace(briefs=0, seed=options.seed, workdir=home), count
                )
                figures.update(soak(options, env, archive, log))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return figures


def soak(options: Options, env: dict, archive: Path, log) -> dict:
    from newsbrief.briefs.models import Category

    with contextlib.ExitStack() as stack:
        log(f"soak: starting newsbrief serve ({options.workers} x {options.threads})")
        server = stack.enter_context(pages.newsbrief_server(env, options.workers, options.threads))
        if options.worker:
            stack.enter_context(live.worker(env))
        writers = accounts(options.writers, server, "writer")
        hostile = accounts(options.hostile, server, "hostile")
        s = sample()
        s["category_names"] = list(Category.objects.values_list("name_en", flat=True)[:1])
        briefs = race_briefs(server, writers, s["category_names"])
        run = Run(server, time.monotonic() + options.seconds, s)
        log(
            f"soak: {options.seconds} s of {options.readers} readers, {options.writers} "
            f"writers, {options.hostile} hostile clients and an import of {archive.name}"
        )
        importer = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.cli", "import", str(archive), "--no-progress"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        started = time.monotonic()
        pairs = enumerate(zip(writers, briefs, strict=True))
        writing = [Writer(run, account, brief, n) for n, (account, brief) in pairs]
        attacking = [Hostile(run, a, n) for n, a in enumerate(hostile)]
        threads = [
            *(
                threading.Thread(target=read_loop, args=(run, n, options.seed, options.keep_alive))
                for n in range(options.readers)
            ),
            *(threading.Thread(target=w.loop) for w in writing),
            *(threading.Thread(target=h.loop) for h in attacking),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        log("soak: clients done; waiting for the import")
        try:
            output, _ = importer.communicate(timeout=IMPORT_WAIT_S)
            import_exit = importer.returncode
        except subprocess.TimeoutExpired:
            live.stop(importer)
            output, import_exit = importer.stdout.read(), f"killed after {IMPORT_WAIT_S} s"
        import_s = round(time.monotonic() - started, 1)
    tally = Tally()
    for each in run.tallies:
        tally.merge(each)
    return summary(
        tally,
        run.rounds,
        elapsed,
        {
            "exit": import_exit,
            "seconds": import_s,
            "output": output.strip().splitlines()[-1:] if output else [],
            **import_check(archive),
        },
        sum(h.accepted_sources for h in attacking),
    )


def summary(tally: Tally, rounds: list, elapsed: float, imported: dict, sources: int) -> dict:
    statuses = collections.Counter()
    routes = {}
    for route in sorted(tally.times):
        counts = tally.statuses[route]
        statuses.update(counts)
        routes[route] = {
            **percentiles(tally.times[route]),
            "requests": sum(counts.values()),
            "5xx": sum(n for s, n in counts.items() if s is not None and s >= 500),
            "429": counts[429],
            "4xx": sum(n for s, n in counts.items() if s is not None and 400 <= s < 500)
            - counts[429],
            "no_answer": counts[None],
        }
    raced = [r for r in rounds if "failed" not in r]
    by_kind = {
        kind: {
            "rounds": sum(r["kind"] == kind for r in raced),
            "undone": sum(r["kind"] == kind and r["undone"] for r in raced),
            "saves_refused": sum(r["kind"] == kind and not r["saved"] for r in raced),
            "not_changed": sum(r["kind"] == kind and not r["changed"] for r in raced),
        }
        for kind in KINDS
    }
    requests = sum(statuses.values())
    return {
        "elapsed_s": round(elapsed, 1),
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "statuses": {str(s): n for s, n in sorted(statuses.items(), key=lambda i: i[0] or 0)},
        "5xx": sum(n for s, n in statuses.items() if s is not None and s >= 500),
        "throttled": statuses[429],
        "no_answer": statuses[None],
        "5xx_examples": [f"{key} ({route})" for key, route in tally.failures.items()],
        "import": imported,
        "races": {
            "rounds": len(raced),
            "failed": len(rounds) - len(raced),
            "undone": sum(r["undone"] for r in raced),
            "by_kind": by_kind,
            "undone_examples": [r for r in raced if r["undone"]][:10],
        },
        "internal_sources_accepted": sources,
        "routes": routes,
    }


def report(f: dict) -> str:
    m = f["machine"]
    lines = [
        f"soak: {f['seconds']} s on {f['database']} (cache: {f['cache']}); newsbrief serve "
        f"{f['workers']} workers x {f['threads']} threads, DEBUG off; {f['readers']} readers, "
        f"{f['writers']} writers, {f['hostile']} hostile clients, an import of "
        f"{f['import_briefs']} briefs",
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['date']}; "
        f"revision {f['revision']}",
        f"requests: {f['requests']} in {f['elapsed_s']} s ({f['requests_per_s']}/s); by status: "
        + ", ".join(f"{s} {n}" for s, n in f["statuses"].items()),
        f"5xx: {f['5xx']} (goal 0); throttled (429): {f['throttled']}; no answer (connection "
        f"failed or timed out): {f['no_answer']}",
    ]
    lines += [f"  5xx: {example}" for example in f["5xx_examples"]]
    i = f["import"]
    lines.append(
        f"import: {i['briefs']} briefs, exit {i['exit']} after {i['seconds']} s "
        f"({' '.join(i['output'])}); lost {i['lost']}, doubled {i['doubled']} (goal 0 each)"
    )
    r = f["races"]
    kinds = "; ".join(
        f"{kind} {k['undone']} of {k['rounds']} (change not made {k['not_changed']}, save "
        f"refused {k['saves_refused']})"
        for kind, k in r["by_kind"].items()
    )
    lines.append(
        f"status races: {r['rounds']} rounds ({r['failed']} failed to start), undone "
        f"{r['undone']} (goal 0): {kinds}"
    )
    lines.append(
        f"internal source addresses accepted at registration: "
        f"{f['internal_sources_accepted']} (goal 0)"
    )
    lines.append(
        f"{'route':<52}{'requests':>9}{'p50 ms':>9}{'p99 ms':>10}{'4xx':>6}{'429':>6}"
        f"{'5xx':>6}{'none':>6}"
    )
    for route, p in f["routes"].items():
        lines.append(
            f"{route[:51]:<52}{p['requests']:>9}{p['p50']:>9.1f}{p['p99']:>10.1f}{p['4xx']:>6}"
            f"{p['429']:>6}{p['5xx']:>6}{p['no_answer']:>6}"
        )
    ok = {True: "met", False: "MISSED"}
    lines.append(
        f"goals: 0 5xx: {ok[f['5xx'] == 0]}; 0 lost or doubled: "
        f"{ok[i['lost'] == i['doubled'] == 0 and i['exit'] == 0]}; 0 undone: "
        f"{ok[r['undone'] == 0]}"
    )
    return "\n".join(lines)
