"""``newsbrief bench SUBCOMMAND``: benchmarks on a synthetic archive (see bench/README.md).

``search``, ``related``, ``load``, ``import`` and ``pages``: subparsers of the same command, sharing
``--briefs``, ``--seed`` and ``--workdir`` and the corpus; ``soak`` runs the demo board."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def _shared(parser) -> None:
    parser.add_argument("--briefs", type=int, default=100_000, help="corpus size (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus and query seed (default 1)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("var/bench"),
        help="where corpora, indexes and peers are kept between runs (default var/bench)",
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="worker processes for generation and analysis"
    )
    parser.add_argument(
        "--json", metavar="PATH", help="also write the figures as JSON to PATH ('-': stdout)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


class Command(BaseCommand):
    help = "Benchmarks on a synthetic bilingual archive: newsbrief bench search --briefs N"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="bench",
            required=True,
            metavar="{search,related,load,import,pages,soak,entity-quality,entity-backfill,phorum}",
        )
        search = sub.add_parser(
            "search",
            help="index build time, size and query latency against tantivy and SQLite FTS5",
            description="Index build time, index size and query latency p50/p95/p99 of "
            "newsbrief's search, and of tantivy and bare SQLite FTS5 on the same analyzed text.",
        )
        _shared(search)
        search.add_argument(
            "--backend",
            choices=["default", "postgres"],
            default="default",
            help="newsbrief backend: the embedded default (own SQLite file under --workdir) "
            "or PostgreSQL (the configured DATABASE_URL)",
        )
        search.add_argument("--queries", type=int, default=200, help="query set size")
        search.add_argument("--repeat", type=int, default=3, help="measured rounds per query")
        search.add_argument(
            "--peers",
            default="tantivy,fts5",
            help="comma-separated peers to measure: tantivy, fts5 (or 'none')",
        )
        search.add_argument(
            "--no-hydrate", action="store_true", help="skip timing search() with hydration"
        )
        search.add_argument(
            "--quality",
            action="store_true",
            help="search quality instead: known-item queries on real Debian documentation "
            "(make bench-quality-data), newsbrief against bm25s and FTS5 trigram baselines",
        )
        search.add_argument(
            "--quality-queries",
            type=int,
            default=300,
            help="with --quality: queries per language and kind (default 300)",
        )
        search.add_argument(
            "--reuse-index",
            action="store_true",
            help="measure the indexes of an earlier run instead of rebuilding them",
        )

        related = sub.add_parser(
            "related",
            help="time to propose related messages for a new brief, and the memory it takes",
            description="Proposal latency p50/p95/p99 and server memory against an archive "
            "of N synthetic briefs (saved memory-mapped, with an ANN index).",
        )
        _shared(related)
        related.add_argument("--queries", type=int, default=200, help="new briefs to time")
        related.add_argument(
            "--live",
            action="store_true",
            help="the live index instead: a board of N briefs, its full rebuild, two servers "
            "and a worker; desk and proposals latency while briefs are published, publish -> "
            "proposable, memory per server process (bench/README.md)",
        )
        related.add_argument(
            "--seconds", type=int, default=60, help="with --live: how long the clients run"
        )
        related.add_argument(
            "--clients", type=int, default=4, help="with --live: client threads (default 4)"
        )
        related.add_argument(
            "--workers", type=int, default=1, help="with --live: serve --workers per server"
        )
        related.add_argument(
            "--sample", type=int, default=256, help="with --live: texts the model embeds, timed"
        )

        pages = sub.add_parser(
            "pages",
            help="the board's pages under load (wrk), against nginx serving the same HTML",
            description="Requests/s and p50/p99 of stored and rendered pages of newsbrief "
            "serve (and of nginx in front of it), against nginx serving a brief page as a "
            "static file; then readers during an import. Needs Debian's wrk and nginx.",
        )
        _shared(pages)
        pages.add_argument("--duration", type=int, default=10, help="seconds per scenario")
        pages.add_argument(
            "--connections", type=int, default=32, help="connections for stored pages"
        )
        pages.add_argument(
            "--latency-connections",
            type=int,
            default=4,
            help="connections for rendered pages (default: one per server request thread)",
        )
        pages.add_argument("--readers", type=int, default=100, help="readers during the import")
        pages.add_argument(
            "--import-seconds", type=int, default=60, help="how long the readers run"
        )
        pages.add_argument("--workers", type=int, default=2, help="newsbrief serve --workers")
        pages.add_argument("--threads", type=int, default=2, help="newsbrief serve --threads")
        pages.add_argument(
            "--no-search", action="store_true", help="skip the search page (and its index)"
        )
        pages.add_argument(
            "--facet-requests",
            type=int,
            default=100,
            help="requests per page with and without the facets (in process)",
        )
        pages.add_argument(
            "--facets-only",
            action="store_true",
            help="only the facet scenarios (no server, wrk or nginx)",
        )
        load = sub.add_parser(
            "load",
            help="bulk import rate against raw SQLite inserts, and the search index catch-up",
            description="Load N synthetic briefs (tags, first revision, search outbox) into the "
            "embedded default's SQLite file under --workdir, timing the commits against plain "
            "sqlite3 inserts of the same rows into a second file, then bring the search index "
            "up to date. Resumes an interrupted load.",
        )
        _shared(load)
        load.add_argument(
            "--keep-peer", action="store_true", help="keep the raw SQLite file after the run"
        )
        quality = sub.add_parser(
            "entity-quality",
            help="entity extraction's precision and recall on labelled real sentences",
            description="Precision and recall of the entity extractor per entity type and "
            "script, on a dev half and a held-out half of real sentences (BBC News, Chinese "
            "news) read from packages of the test extra (bench/README.md).",
        )
        quality.add_argument(
            "--show-dev", action="store_true", help="also list the dev half's mistakes"
        )
        quality.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
        backfill = sub.add_parser(
            "entity-backfill",
            help="rate of the entity backfill over a synthetic archive, and per-save cost",
        )
        _shared(backfill)
        imports = sub.add_parser(
            "import",
            help="newsbrief import of a JSON Lines archive, against bench load's rate",
            description="Write N synthetic briefs as a JSON Lines archive (kept under "
            "--workdir), time `newsbrief import` of it into a fresh SQLite database twice (the "
            "second run finds every brief unchanged) and bench load's loader on the same corpus.",
        )
        _shared(imports)
        soak = sub.add_parser(
            "soak",
            help="readers, racing writers, an import and hostile requests at once: what broke",
            description="The demo board in production mode on a throwaway database, for "
            "--seconds: readers, writers racing content saves against status changes (API and "
            "desk), an import and the hostile-request mix. Prints requests, answers by status "
            "(5xx: the goal is none), lost or doubled briefs, undone status changes and p50/p99 "
            "per route (bench/README.md).",
        )
        phorum = sub.add_parser(
            "phorum",
            help="newsbrief import phorum of a generated board against a raw read of its rows",
            description="A generated Phorum 5 board of --messages messages (20%% edited) in a "
            "scratch database on the MariaDB server --mysql, brought across by `newsbrief "
            "import phorum` into a fresh SQLite database: briefs/s (edit history included) "
            "against a raw read of the same rows, and the time to answer old addresses.",
        )
        phorum.add_argument("--messages", type=int, default=100_000, help="board size")
        phorum.add_argument("--seed", type=int, default=1, help="board seed (default 1)")
        phorum.add_argument(
            "--mysql",
            default="mysql://root@127.0.0.1:3306/",
            help="the MariaDB / MySQL server; the run makes a database there and drops it",
        )
        phorum.add_argument(
            "--workdir", type=Path, default=Path("var/bench"), help="where the SQLite file goes"
        )
        phorum.add_argument(
            "--addresses", type=int, default=10_000, help="old addresses answered (10000)"
        )
        phorum.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
        soak.add_argument("--seconds", type=int, default=60, help="how long the clients run")
        soak.add_argument("--readers", type=int, default=100, help="concurrent readers")
        soak.add_argument("--writers", type=int, default=4, help="writers, a brief each")
        soak.add_argument("--hostile", type=int, default=2, help="hostile clients")
        soak.add_argument(
            "--import-briefs",
            type=int,
            default=0,
            help="briefs in the imported file (default: ten per second of --seconds)",
        )
        soak.add_argument("--workers", type=int, default=2, help="newsbrief serve --workers")
        soak.add_argument("--threads", type=int, default=2, help="newsbrief serve --threads")
        soak.add_argument(
            "--database-url",
            default="",
            help="a PostgreSQL server (postgres://...): the run makes a database of its own "
            "there and drops it after (default: a new SQLite file)",
        )
        soak.add_argument(
            "--cache-url", default="", help="Redis (redis://...) as cache, queue and page store"
        )
        soak.add_argument("--no-worker", action="store_true", help="no newsbrief worker")
        soak.add_argument(
            "--keep-alive",
            action="store_true",
            help="each reader keeps one connection open for the run (default: one per request)",
        )
        soak.add_argument("--seed", type=int, default=1, help="corpus seed of the import file")
        soak.add_argument(
            "--workdir", type=Path, default=Path("var/bench"), help="where the run's files go"
        )
        soak.add_argument("--json", metavar="PATH", help="also write the figures as JSON")

    def handle(self, *args, **options):
        if options["bench"] == "soak":
            return self.soak(options)
        if options["bench"] == "entity-quality":
            return self.entity_quality(options)
        if options["bench"] == "entity-backfill":
            return self.entity_backfill(options)
        if options["bench"] == "phorum":
            return self.phorum(options)
        if options["briefs"] < 1:
            raise CommandError("--briefs must be at least 1")
        getattr(self, {"import": "import_"}.get(options["bench"], options["bench"]))(options)

    def pages(self, options):
        from newsbrief.bench import pages

        try:
            figures = pages.run(
                pages.Options(
                    briefs=options["briefs"],
                    seed=options["seed"],
                    workdir=options["workdir"].resolve(),
                    jobs=max(1, options["jobs"]),
                    progress=not options["no_progress"] and sys.stderr.isatty(),
                    duration=options["duration"],
                    connections=options["connections"],
                    latency_connections=options["latency_connections"],
                    readers=options["readers"],
                    import_seconds=options["import_seconds"],
                    workers=options["workers"],
                    threads=options["threads"],
                    search=not options["no_search"],
                    facet_requests=max(2, options["facet_requests"]),
                    facets_only=options["facets_only"],
                ),
                log=lambda m: self.stderr.write(m),
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(pages.report(figures))
        self._json(figures, options["json"])

    def entity_quality(self, options):
        from django.conf import settings

        from newsbrief.bench import entity_quality

        figures = entity_quality.run(settings.NEWSBRIEF_ENTITY_MIN_CONFIDENCE)
        self.stdout.write(entity_quality.report(figures, show=options["show_dev"]))
        self._json(entity_quality.as_json(figures), options["json"])

    def entity_backfill(self, options):
        from newsbrief.bench import entity_backfill

        figures = entity_backfill.run(
            entity_backfill.Options(
                briefs=options["briefs"],
                seed=options["seed"],
                workdir=options["workdir"].resolve(),
                jobs=max(1, options["jobs"]),
                progress=not options["no_progress"] and sys.stderr.isatty(),
            ),
            log=lambda m: self.stderr.write(m),
        )
        self.stdout.write(entity_backfill.report(figures))
        self._json(figures, options["json"])

    def soak(self, options):
        from newsbrief.bench import soak

        counts = ("seconds", "readers", "writers", "hostile", "workers", "threads")
        if any(options[name] < 1 for name in counts) or options["import_briefs"] < 0:
            raise CommandError(
                "--seconds, --readers, --writers, --hostile, --workers and --threads must be "
                "at least 1"
            )
        try:
            figures = soak.run(
                soak.Options(
                    **{name: options[name] for name in counts},
                    import_briefs=options["import_briefs"],
                    database_url=options["database_url"],
                    cache_url=options["cache_url"],
                    workdir=options["workdir"].resolve(),
                    seed=options["seed"],
                    worker=not options["no_worker"],
                    keep_alive=options["keep_alive"],
                ),
                log=lambda m: self.stderr.write(m),
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(soak.report(figures))
        self._json(figures, options["json"])

    def related(self, options):
        if options["live"]:
            return self.related_live(options)
        from newsbrief.bench import related

        figures = related.run(
            related.Options(
                briefs=options["briefs"],
                seed=options["seed"],
                workdir=options["workdir"].resolve(),
                queries=options["queries"],
                jobs=max(1, options["jobs"]),
                progress=not options["no_progress"] and sys.stderr.isatty(),
            ),
            log=lambda m: self.stderr.write(m),
        )
        self.stdout.write(related.report(figures))
        self._json(figures, options["json"])

    def related_live(self, options):
        from newsbrief.bench import live

        try:
            figures = live.run(
                live.Options(
                    briefs=options["briefs"],
                    seed=options["seed"],
                    workdir=options["workdir"].resolve(),
                    seconds=max(1, options["seconds"]),
                    clients=max(1, options["clients"]),
                    workers=max(1, options["workers"]),
                    sample=max(1, options["sample"]),
                    jobs=max(1, options["jobs"]),
                    progress=not options["no_progress"] and sys.stderr.isatty(),
                ),
                log=lambda m: self.stderr.write(m),
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(live.report(figures))
        self._json(figures, options["json"])

    def load(self, options):
        from newsbrief.bench import load

        figures = load.run(
            load.Options(
                briefs=options["briefs"],
                seed=options["seed"],
                workdir=options["workdir"].resolve(),
                jobs=max(1, options["jobs"]),
                keep_peer=options["keep_peer"],
                progress=not options["no_progress"] and sys.stderr.isatty(),
            ),
            log=lambda m: self.stderr.write(m),
        )
        self.stdout.write(load.report(figures))
        self._json(figures, options["json"])

    def import_(self, options):
        from newsbrief.bench import imports

        figures = imports.run(
            imports.Options(
                briefs=options["briefs"],
                seed=options["seed"],
                workdir=options["workdir"].resolve(),
                jobs=max(1, options["jobs"]),
            ),
            log=lambda m: self.stderr.write(m),
        )
        self.stdout.write(imports.report(figures))
        self._json(figures, options["json"])

    def search(self, options):
        from newsbrief.bench import search

        peers = tuple(p for p in options["peers"].split(",") if p and p != "none")
        unknown = set(peers) - {"tantivy", "fts5"}
        if unknown:
            raise CommandError(f"unknown peers: {', '.join(sorted(unknown))}")
        backend = None if options["backend"] == "default" else options["backend"]
        if backend == "postgres":
            from django.db import connection

            if connection.vendor != "postgresql":
                raise CommandError("--backend postgres needs DATABASE_URL to be PostgreSQL")
        if options["quality"]:
            return self.quality(options, backend)
        settings = search.Options(
            briefs=options["briefs"],
            seed=options["seed"],
            workdir=options["workdir"].resolve(),
            backend=backend,
            queries=options["queries"],
            repeat=options["repeat"],
            jobs=max(1, options["jobs"]),
            peers=peers,
            hydrate=not options["no_hydrate"],
            reuse_index=options["reuse_index"],
            progress=not options["no_progress"] and sys.stderr.isatty(),
        )
        figures = search.run(settings, log=lambda m: self.stderr.write(m))
        self.stdout.write(search.report(figures))
        self._json(figures, options["json"])

    def quality(self, options, backend):
        from newsbrief.bench import quality

        if options["quality_queries"] < 1:
            raise CommandError("--quality-queries must be at least 1")
        settings = quality.Options(
            queries=options["quality_queries"],
            seed=options["seed"],
            workdir=options["workdir"].resolve(),
            backend=backend,
            jobs=max(1, options["jobs"]),
            progress=not options["no_progress"] and sys.stderr.isatty(),
        )
        try:
            figures = quality.run(settings, log=lambda m: self.stderr.write(m))
        except RuntimeError as exc:  # MissingData among them
            raise CommandError(str(exc)) from None
        self.stdout.write(quality.report(figures))
        self._json(figures, options["json"])

    def phorum(self, options):
        from newsbrief.bench import phorum

        if options["messages"] < 1:
            raise CommandError("--messages must be at least 1")
        try:
            figures = phorum.run(
                options["messages"], options["mysql"], options["workdir"], seed=options["seed"],
                addresses=options["addresses"], log=lambda m: self.stderr.write(m),
            )  # fmt: skip
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(phorum.report(figures))
        self._json(figures, options["json"])

    def _json(self, figures: dict, target: str | None) -> None:
        if target == "-":
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))
        elif target:
            Path(target).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
