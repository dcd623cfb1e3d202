import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsbrief.formats.importer import export_jsonl, export_seed


class Command(BaseCommand):
    help = (
        "Export the board as JSON Lines (to a file or stdout) or seed pages: every published "
        "brief, or with --all every brief (drafts and briefs in review too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "seed"], default="jsonl")
        parser.add_argument(
            "--output", "-o", help="a file for jsonl ('-' or absent: stdout), a directory for seed"
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="jsonl: every brief, not only published ones (a whole board, for a move)",
        )

    def handle(self, *args, **options):
        output, everything = options["output"], options["everything"]
        if options["format"] == "seed":
            if not output or output == "-":
                raise CommandError("--format seed writes one file per brief: give --output DIR")
            if everything:
                raise CommandError("--all needs --format jsonl: only published briefs have pages")
            count = export_seed(Path(output))
        elif not output or output == "-":
            count = export_jsonl(sys.stdout, everything=everything)
        else:
            with open(output, "w", encoding="utf-8") as out:
                count = export_jsonl(out, everything=everything, progress=True)
        self.stderr.write(f"exported {count} brief(s)")
