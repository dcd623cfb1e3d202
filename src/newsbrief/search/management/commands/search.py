import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from newsbrief.briefs.models import LANGUAGE_CHOICES
from newsbrief.search.backends import get_backend


class Command(BaseCommand):
    help = "Search the published briefs, best first, as the results page would."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--lang", choices=[code for code, _ in LANGUAGE_CHOICES])
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print a JSON list")
        parser.add_argument(
            "--backend", help="tantivy or postgres (default: NEWSBRIEF_SEARCH_BACKEND)"
        )

    def handle(self, *args, query, lang=None, limit=10, json=False, backend=None, **options):
        with translation.override(settings.LANGUAGE_CODE):
            results = get_backend(backend).search(query, language=lang, limit=max(limit, 0))
        if json:
            self.stdout.write(_json([hit.as_json() for hit in results.hits]))
            return
        if not results.hits:
            self.stdout.write("no briefs match")
            return
        for rank, hit in enumerate(results.hits, 1):
            self.stdout.write(
                f"{rank}. [{hit.language}] {hit.title} ({hit.date:%Y-%m-%d}) {hit.url}"
            )
        self.stdout.write(f"{results.total} found")
        if results.relaxed:
            self.stdout.write(
                f"{results.complete} with all of the words; the others have most of them"
            )


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
