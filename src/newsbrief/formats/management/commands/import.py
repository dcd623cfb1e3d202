from django.core.management.base import BaseCommand, CommandError

from newsbrief.formats.importer import import_paths


class Command(BaseCommand):
    help = "Import brief pages (seed text format) and JSON Lines archives; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or directories")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, **options):
        report = import_paths(options["paths"], progress=not options["no_progress"])
        for note in report.notes:
            self.stderr.write(f"note: {note}")
        for failure in report.failures:
            self.stderr.write(f"error: {failure}")
        self.stdout.write(report.summary())
        if report.failures:
            raise CommandError(f"{len(report.failures)} page(s) could not be imported")
