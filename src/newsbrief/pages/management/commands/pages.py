import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...jobs import release_due
from ...store import get_store


class Command(BaseCommand):
    help = (
        "The stored (pre-rendered) reader pages: 'clear' drops them all (after an upgrade "
        "that changes templates); 'release --since MINUTES' drops those of briefs scheduled "
        "to appear in the last MINUTES (run it from a timer where 'newsbrief serve' is not "
        "the server)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["clear", "release"])
        parser.add_argument(
            "--since", type=float, default=5.0, help="minutes to look back (release; default 5)"
        )

    def handle(self, *args, action, since, **options):
        if action == "clear":
            get_store().clear()
            self.stdout.write("Dropped every stored page.")
            return
        if since <= 0:
            raise CommandError("--since must be positive")
        now = timezone.now()
        count = release_due(now - dt.timedelta(minutes=since), now)
        self.stdout.write(f"Released the pages of {count} scheduled brief(s).")
