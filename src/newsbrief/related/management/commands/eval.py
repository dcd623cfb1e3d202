import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from newsbrief.related import evaluation
from newsbrief.related.embedding import MODEL, FileCache

TASKS = {
    "related": evaluation.related,
    "tags": evaluation.tags,
    "pairing": evaluation.pairing,
}


class Command(BaseCommand):
    help = (
        "Measure related-message ranking (nDCG@10, recall@10, MRR against a bm25s baseline), "
        "tag suggestion (top-1/top-3) or counterpart detection (acc@1/@5) on a JSON Lines corpus."
    )

    def add_arguments(self, parser):
        parser.add_argument("task", choices=sorted(TASKS))
        parser.add_argument("--corpus", required=True, type=Path)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--cache",
            type=Path,
            help="the embedding cache (default: NEWSBRIEF_RELATED_PATH/cache/embeddings.sqlite3)",
        )
        parser.add_argument(
            "--no-embedding", action="store_true", help="rank without the embedding"
        )

    def handle(self, *args, task, corpus, json: bool, cache, no_embedding, **options):
        if not corpus.is_file():
            raise CommandError(f"no such corpus: {corpus}")
        store = None
        if not no_embedding and settings.NEWSBRIEF_RELATED_EMBEDDINGS:
            store = FileCache(
                cache or settings.NEWSBRIEF_RELATED_PATH / "cache" / "embeddings.sqlite3"
            )
        bar = tqdm(desc=f"embedding ({MODEL})", unit=" texts", disable=None, file=self.stderr)
        try:
            result = TASKS[task](corpus, store, bar.update)
        except evaluation.CorpusError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        if json:
            self.stdout.write(_json(result))
        else:
            for key, value in result.items():
                self.stdout.write(
                    f"{key}: {_json(value) if isinstance(value, dict | list) else value}"
                )


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
