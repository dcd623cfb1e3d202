import logging

from django.conf import settings
from django.core.management.base import BaseCommand

from newsbrief.briefs.models import Board


class Command(BaseCommand):
    help = "Serve the board over HTTP (waitress, static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):
        from waitress import serve

        from newsbrief.wsgi import application

        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        board = Board.current()
        self.stdout.write(
            f"newsbrief: serving {board or 'an empty board'} at http://{shown}:{port}/"
            f"{'  (debug mode)' if settings.DEBUG else ''}"
        )
        self.stdout.flush()
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        serve(application, host=host, port=port, threads=options["threads"], ident="newsbrief")
