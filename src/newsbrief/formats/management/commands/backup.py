import argparse
import sys

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsbrief.formats.backup import BackupError, backup


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's order of options, with the description's paragraphs kept as written."""


class Command(BaseCommand):
    help = gettext_lazy(
        "Back up the whole database to PATH: on SQLite a copy of the database file made with\n"
        "SQLite's online backup API, on PostgreSQL a pg_dump archive (custom format; needs\n"
        "PostgreSQL's client programs).\n"
        "\n"
        "Safe while the board is serving: the copy is of one moment, and editors go on saving\n"
        "meanwhile. The backup is written beside PATH, checked, and only then renamed to\n"
        "PATH, so a failed run never leaves a partial file there (an older backup of that\n"
        "name stays). Only its owner may read it: it holds password hashes.\n"
        "\n"
        "Schedule it with cron or a systemd timer, in the board's environment (DATABASE_URL,\n"
        "NEWSBRIEF_SECRET_KEY), e.g. every night at 03:15:\n"
        "  15 3 * * *  /srv/newsbrief/.venv/bin/newsbrief backup /var/backups/board.db\n"
        "\n"
        "`newsbrief restore PATH` puts it back, into the same kind of database. To move a\n"
        "board between SQLite and PostgreSQL, use `newsbrief export --all` and\n"
        "`newsbrief import` instead."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "path", metavar="PATH", help=gettext_lazy("the backup file to write (replaced)")
        )

    def handle(self, *args, path, verbosity, **options):
        try:
            done = backup(path, progress=verbosity > 0 and sys.stderr.isatty())
        except BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(
            _("Backed up %(briefs)d brief(s) to %(path)s (%(size)s) in %(seconds).1f s.")
            % {
                "briefs": done.briefs,
                "path": done.path,
                "size": filesizeformat(done.size),
                "seconds": done.seconds,
            }
        )
