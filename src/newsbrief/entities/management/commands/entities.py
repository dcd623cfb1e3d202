from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from newsbrief.entities import proposing, registry
from newsbrief.entities.models import Entity


class Command(BaseCommand):
    help = (
        "`entities sync`: load the shipped registry (countries, organizations, fields), adding "
        "what is new and filling blanks, never changing what an editor changed. "
        "`entities backfill`: propose the entities of every brief not yet read (resumable; "
        "--restart reads them all again, keeping editors' decisions). "
        "`entities find TEXT`: what the extractor finds in a text."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sync", "backfill", "find"])
        parser.add_argument("text", nargs="?", default="")
        parser.add_argument("--restart", action="store_true", help="backfill: read every brief")
        parser.add_argument("--batch", type=int, default=500, help="backfill: briefs per batch")

    def handle(self, *args, action: str, text: str, restart: bool, batch: int, **options):
        if action == "sync":
            self.stdout.write(str(registry.sync()))
        elif action == "backfill":
            if restart:
                proposing.restart()
            with tqdm(total=proposing.backlog(), desc="proposing", unit=" briefs",
                      disable=None, file=self.stderr) as bar:  # fmt: skip
                done = proposing.drain(batch=batch, progress=bar.update)
            self.stdout.write(f"{done} brief(s) read")
        else:
            if not text:
                raise CommandError("entities find: give a text")
            result = registry.automaton().extract(text)
            names = Entity.objects.in_bulk(list(result.found))
            for found in sorted(result.found.values(), key=lambda f: -f.confidence):
                entity = names[found.key]
                self.stdout.write(
                    f"{found.confidence:.2f}  {entity.kind:12}  {entity.slug:28}  {found.evidence}"
                )
            for learned in result.learned:
                self.stdout.write(f"learned: {learned.text} = {names[learned.key].slug}")
