from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsbrief.briefs.models import Board
from newsbrief.formats.importer import import_paths
from newsbrief.related import tasks
from newsbrief.settings import PACKAGE_DIR

DEMO_DIR = PACKAGE_DIR / "demo"
BOARD_NAME = "National Science Council International Cooperation Sci-Tech Newsbrief"
#: The demo board's words in both languages; its footer says that the demo briefs are samples.
BOARD_WORDS = {
    "name_zh_hant": "國科會國際合作科技新知簡訊",
    "tagline": "Science and technology news from around the world, in English and Chinese",
    "tagline_zh_hant": "全球科技新知，中英雙語報導",
    "footer": "A demo board: apart from the seed brief, every brief here is invented sample "
    "content, not real news.",
    "footer_zh_hant": "這是示範看板：除了原始的那則簡訊，"
    "這裡的簡訊都是虛構的範例內容，並非真實新聞。",
}


class Command(BaseCommand):
    help = "Load the demo data (the seed brief and a small sample archive); safe to run again."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        Board.objects.get_or_create(
            name=BOARD_NAME, defaults={"languages": ["en", "zh-hant"], **BOARD_WORDS}
        )
        report = import_paths([DEMO_DIR], progress=False)
        self.stdout.write(f"demo data: {report.summary()}")
        if report.failures:
            raise CommandError("\n".join(map(str, report.failures)))
        # The demo board comes indexed for related messages, as a worker would leave it.
        tasks.index_pending.call_local()
