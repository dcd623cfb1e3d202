import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsbrief.formats.backup import BackupError, inspect, restore

from .backup import HelpFormatter


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = gettext_lazy(
        "Replace the whole database with a backup that `newsbrief backup` made, from the same\n"
        "kind of database (SQLite or PostgreSQL; PostgreSQL needs pg_restore and psql).\n"
        "\n"
        "The file is checked first: its kind, that it is whole (SQLite's integrity check, or\n"
        "pg_restore reading it), and that it does not come from a newer newsbrief. A backup\n"
        "from an older one is brought up to date with `migrate` after restoring. Everything\n"
        "is replaced in one transaction, so a failed restore changes nothing. Then the search\n"
        "index is rebuilt and whatever the board keeps outside the database is dropped.\n"
        "\n"
        "It asks before replacing anything, unless --noinput."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "path", metavar="PATH", help=gettext_lazy("a file that `newsbrief backup` wrote")
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=gettext_lazy("do not ask for confirmation"),
        )

    def handle(self, *args, path, interactive, verbosity, **options):
        self.stdin = options.get("stdin", sys.stdin)
        try:
            source = inspect(path)
            if interactive and not self.confirmed(source):
                raise CommandError(_("Restore cancelled: nothing changed."))
            done = restore(source, progress=verbosity > 0 and sys.stderr.isatty())
        except BackupError as error:
            raise CommandError(error) from error
        if done.migrated:
            self.stdout.write(
                _("The backup predates %(count)d migration(s); applied them: %(names)s.")
                % {"count": len(done.migrated), "names": ", ".join(done.migrated)}
            )
        self.stdout.write(
            _("Search index rebuilt: %(count)d brief(s) (%(backend)s).")
            % {"count": done.indexed, "backend": done.index_backend}
        )
        summary = done.summary
        self.stdout.write(
            _("Restored %(briefs)d brief(s) from %(path)s (%(size)s) in %(seconds).1f s.")
            % {
                "briefs": summary.briefs,
                "path": summary.path,
                "size": filesizeformat(summary.size),
                "seconds": summary.seconds,
            }
        )

    def confirmed(self, source) -> bool:
        """The operator's 'yes'; without a terminal to ask on (a cron job, a pipe, stdin
        closed) the command says how to restore without asking instead."""
        cannot_ask = CommandError(
            _(
                "restore asks before replacing the database, and there is no terminal to ask "
                "on: pass --noinput to restore without asking."
            )
        )
        if not self.stdin.isatty():
            raise cannot_ask
        self.stdout.write(
            _(
                "This replaces everything in the database %(database)s with the backup "
                "%(path)s. Type 'yes' to continue, or 'no' to cancel: "
            )
            % {"database": connection.settings_dict["NAME"], "path": source.path},
            ending="",
        )
        self.stdout.flush()
        answer = self.stdin.readline()
        if not answer:  # end of input: no one answered
            raise cannot_ask
        return answer.strip() == "yes"
