import logging
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules


class Command(BaseCommand):
    help = (
        "Run the background work (the Huey task queue: scheduled pages, digests, ingestion): "
        "one per machine. SIGTERM or Ctrl-C lets running tasks finish (a second Ctrl-C stops "
        "at once; what was cut off runs again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.NEWSBRIEF_WORKER_THREADS,
            help="tasks run at once (default NEWSBRIEF_WORKER_THREADS, else 2)",
        )

    def handle(self, *args, threads, verbosity=1, **options):
        from huey.contrib.djhuey import HUEY

        from newsbrief.worker.sweeps import SWEEPS

        if threads < 1:
            raise CommandError("--threads must be at least 1")
        if HUEY.immediate:
            raise CommandError("the task queue is in immediate mode (HUEY): nothing to consume")
        _log_to_stdout(logging.DEBUG if verbosity > 1 else logging.INFO)
        autodiscover_modules("tasks")
        # A worker that was killed lost the messages it had popped: the sweeps redo what the
        # database says is still due, now rather than at their next tick.
        for task in SWEEPS:
            task()
        consumer = HUEY.create_consumer(
            workers=threads,
            worker_type="thread",
            periodic=True,
            # The queue is polled at least every second when idle (Huey's default backs off
            # to 10 s), so triggered work starts promptly.
            max_delay=1.0,
            graceful_signal="TERM",
        )
        # Ctrl-C too lets running tasks finish (Huey would interrupt them); a second one does.
        consumer._signal_actions[signal.SIGINT] = (False, True)
        consumer.run()


def _log_to_stdout(level: int) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s %(name)s: %(message)s"))
    for name in ("huey", "newsbrief"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
