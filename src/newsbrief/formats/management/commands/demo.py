from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsbrief.briefs.models import Board
from newsbrief.formats.importer import import_paths
from newsbrief.related import tasks
from newsbrief.settings import PACKAGE_DIR

DEMO_DIR = PACKAGE_DIR / "demo"
BOARD_NAME = "National Science Council International Cooperation Sci-Tech Newsbrief"


class Command(BaseCommand):
    help = "Load the demo data (the seed brief and a small sample archive); safe to run again."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        Board.objects.get_or_create(name=BOARD_NAME, defaults={"languages": ["en", "zh-hant"]})
        report = import_paths([DEMO_DIR], progress=False)
        self.stdout.write(f"demo data: {report.summary()}")
        if report.failures:
            raise CommandError("\n".join(map(str, report.failures)))
        # The demo board comes indexed for related messages, as a worker would leave it.
        tasks.index_pending.call_local()
