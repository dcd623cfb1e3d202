from django.core.management.base import BaseCommand

from newsbrief.search.backends import get_backend


class Command(BaseCommand):
    help = "Rebuild the search index from the database (safe to run while serving)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend", help="tantivy or postgres (default: NEWSBRIEF_SEARCH_BACKEND)"
        )

    def handle(self, *args, backend=None, verbosity=1, **options):
        engine = get_backend(backend)
        count = engine.rebuild(progress=verbosity > 0)
        self.stdout.write(f"indexed {count} briefs ({engine.name})")
