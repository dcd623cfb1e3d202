from django.core.management.base import BaseCommand, CommandError

from newsbrief.ingest.ingesting import ingest
from newsbrief.ingest.models import Source


class Command(BaseCommand):
    help = (
        "Fetch the active sources and make their new articles draft briefs; safe to run "
        "again. Exits non-zero only when every source fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=int, action="append", metavar="ID",
            help="only this source (by id, active or not); may be given more than once",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true", help="fetch and read, but write nothing"
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, **options):
        if options["source"]:
            sources = Source.objects.filter(pk__in=options["source"])
            missing = set(options["source"]) - set(sources.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no source with id {', '.join(map(str, sorted(missing)))}")
        else:
            sources = Source.objects.filter(active=True)
        report = ingest(
            sources.order_by("pk"),
            dry_run=options["dry_run"],
            progress=not options["no_progress"],
        )
        for failure in report.failures:
            self.stderr.write(f"error: {failure}")
        self.stdout.write(("dry run: " if options["dry_run"] else "") + report.summary())
        if report.all_failed:
            raise CommandError("every source failed")
