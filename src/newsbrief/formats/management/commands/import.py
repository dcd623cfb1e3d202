from django.core.management.base import BaseCommand, CommandError

from newsbrief.formats.importer import import_paths


class Command(BaseCommand):
    help = (
        "Import brief pages (seed text format) and JSON Lines archives; safe to run again. "
        "`import phorum mysql://user@host/db` brings a whole Phorum 5 board across from its "
        "database (read-only), resumably, after a backup."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="files or directories; or: phorum mysql://user@host/db"
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        phorum = parser.add_argument_group("phorum")
        phorum.add_argument("--prefix", default="phorum_", help="the tables' prefix")
        phorum.add_argument(
            "--forum", type=int, action="append", metavar="ID", help="only this forum (repeat)"
        )
        phorum.add_argument(
            "--board", type=int, action="append", metavar="ID",
            help="make this forum a board of its own, not a category (repeat)",
        )  # fmt: skip
        phorum.add_argument(
            "--keep-private", action="store_true",
            help="keep e-mail addresses and IPs (dropped unless asked)",
        )  # fmt: skip
        phorum.add_argument("--backup", metavar="PATH", help="where to back up first")
        phorum.add_argument("--dry-run", action="store_true", help="read and report; write nothing")

    def handle(self, *args, **options):
        paths = options["paths"]
        if paths[0] == "phorum":
            return self._phorum(paths[1:], options)
        report = import_paths(paths, progress=not options["no_progress"])
        for note in report.notes:
            self.stderr.write(f"note: {note}")
        for failure in report.failures:
            self.stderr.write(f"error: {failure}")
        self.stdout.write(report.summary())
        if report.failures:
            raise CommandError(f"{len(report.failures)} page(s) could not be imported")

    def _phorum(self, urls, options):
        from pathlib import Path

        from django.utils import timezone

        from newsbrief.formats.backup import BackupError
        from newsbrief.phorum import importing
        from newsbrief.phorum.converting import Mapping

        if len(urls) != 1:
            raise CommandError("usage: import phorum mysql://user@host/db [options]")
        source = importing.open_source(urls[0], prefix=options["prefix"])
        mapping = Mapping(
            boards=frozenset(options["board"] or ()),
            keep_private=options["keep_private"],
            tz=timezone.get_default_timezone(),
        )
        backup = Path(options["backup"]) if options["backup"] else importing.default_backup()
        try:
            report = importing.run(
                source,
                label=f"phorum:{urls[0].rpartition('@')[2]}",
                forum_ids=options["forum"],
                mapping=mapping,
                dry_run=options["dry_run"],
                progress=not options["no_progress"],
                backup_to=backup,
            )
        except BackupError as error:
            raise CommandError(f"no backup, so nothing imported: {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        if report.imported.failures:
            raise CommandError(f"{len(report.imported.failures)} record(s) could not be imported")
