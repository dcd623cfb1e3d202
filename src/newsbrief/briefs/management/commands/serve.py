import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsbrief.briefs.models import Board


class Command(BaseCommand):
    help = "Serve the board over HTTP (waitress, static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):
        from waitress import create_server

        from newsbrief.wsgi import application

        host, port = options["host"], options["port"]
        try:
            server = create_server(
                application, host=host, port=port, threads=options["threads"], ident="newsbrief"
            )
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {host}:{port} ({exc.strerror}); is the port taken? "
                "Choose another with --port (make run PORT=8123)."
            ) from None
        shown = f"[{host}]" if ":" in host else host
        board = Board.current()
        self.stdout.write(
            f"\n    {board or 'newsbrief'}: http://{shown}:{port}/"
            f"{'  (debug mode)' if settings.DEBUG else ''}   Ctrl-C stops it\n"
        )
        self.stdout.flush()
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        try:
            server.run()
        except KeyboardInterrupt:
            self.stdout.write("stopped")
        finally:
            server.close()
