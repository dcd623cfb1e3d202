import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsbrief.formats.importer import export_jsonl, export_seed


class Command(BaseCommand):
    help = "Export every published brief as JSON Lines (to a file or stdout) or seed pages."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "seed"], default="jsonl")
        parser.add_argument(
            "--output", "-o", help="a file for jsonl ('-' or absent: stdout), a directory for seed"
        )

    def handle(self, *args, **options):
        output = options["output"]
        if options["format"] == "seed":
            if not output or output == "-":
                raise CommandError("--format seed writes one file per brief: give --output DIR")
            count = export_seed(Path(output))
        elif not output or output == "-":
            count = export_jsonl(sys.stdout)
        else:
            with open(output, "w", encoding="utf-8") as out:
                count = export_jsonl(out)
        self.stderr.write(f"exported {count} brief(s)")
