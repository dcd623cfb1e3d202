import os
import socket
import subprocess
import sys

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from newsbrief.briefs.models import Board


def default_workers() -> int:
    """One worker process per core (at least two, so a slow page never holds up the rest)."""
    return max(2, len(os.sched_getaffinity(0)))


class Command(BaseCommand):
    help = (
        "Serve the board over HTTP under granian: worker processes, the stored pages answered "
        "before Django starts, static files (hashed names, compressed) through WhiteNoise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.NEWSBRIEF_WORKERS or default_workers(),
            help="worker processes (default NEWSBRIEF_WORKERS, else one per core, at least 2)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.NEWSBRIEF_THREADS,
            help="threads per worker for requests (default NEWSBRIEF_THREADS, else 2)",
        )
        parser.add_argument(
            "--keep-pages",
            action="store_true",
            help="keep the stored pages of an earlier run (default: drop them, since the code "
            "that rendered them may have changed)",
        )
        parser.add_argument(
            "--access-log", action="store_true", help="log every request on standard output"
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="run `newsbrief worker` beside the server, stopped with it (make run does; "
            "in production the worker is a service of its own)",
        )

    def handle(self, *args, **options):
        from granian import Granian
        from granian.constants import Interfaces

        from newsbrief.pages.store import get_store

        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        call_command("collectstatic", interactive=False, verbosity=0)
        if not options["keep_pages"]:
            get_store().clear()
        host, port = options["host"], options["port"]
        _check_free(host, port)
        shown = f"[{host}]" if ":" in host else host
        board = Board.current()
        self.stdout.write(
            f"\n    {board or 'newsbrief'}: http://{shown}:{port}/"
            f"{'  (debug mode)' if settings.DEBUG else ''}   Ctrl-C stops it\n"
        )
        self.stdout.flush()
        server = Granian(
            "newsbrief.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=options["workers"],
            blocking_threads=options["threads"],
            backpressure=options["threads"] * 4,
            log_access=options["access_log"],
        )
        # Nothing of this process may reach the workers it forks: no database or cache
        # connection, and no thread (a thread holding a lock at fork time hangs the child).
        connections.close_all()
        caches.close_all()
        if not options["with_worker"]:
            server.serve()
            return
        worker = subprocess.Popen([sys.executable, "-m", "newsbrief.cli", "worker"])
        try:
            server.serve()
        finally:
            worker.terminate()  # it finishes the task it is running, if any
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def _check_free(host: str, port: int) -> None:
    """Fail with a plain message, before anything starts, when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {host}:{port} ({exc.strerror}); is the port taken? "
                "Choose another with --port (make run PORT=8123)."
            ) from None
