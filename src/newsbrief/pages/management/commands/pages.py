import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...jobs import release_due
from ...store import get_store


class Command(BaseCommand):
    help = (
        "The stored (pre-rendered) reader pages: 'clear' drops them all (after an upgrade "
        "that changes templates); 'release --since MINUTES' drops those of briefs scheduled "
        "to appear in the last MINUTES (newsbrief worker does it as they come due); "
        "'nginx --app HOST:PORT...' prints the nginx site that serves them."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["clear", "release", "nginx"])
        parser.add_argument(
            "--since", type=float, default=5.0, help="minutes to look back (release; default 5)"
        )
        parser.add_argument(
            "--app",
            nargs="+",
            default=["127.0.0.1:8000"],
            help="nginx: the app servers (newsbrief serve), host:port each",
        )
        parser.add_argument("--listen", default="80", help="nginx: what to listen on")
        parser.add_argument("--server-name", default="_", help="nginx: the site's host names")

    def handle(self, *args, action, since, **options):
        if action == "nginx":
            from ...nginx import site

            self.stdout.write(
                site(options["app"], listen=options["listen"], server_name=options["server_name"])
            )
            return
        if action == "clear":
            get_store().clear()
            self.stdout.write("Dropped every stored page.")
            return
        if since <= 0:
            raise CommandError("--since must be positive")
        now = timezone.now()
        count = release_due(now - dt.timedelta(minutes=since), now)
        self.stdout.write(f"Released the pages of {count} scheduled brief(s).")
