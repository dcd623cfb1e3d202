"""Backups of the whole database and restoring them (``newsbrief backup`` / ``restore``).

A backup is the database as it was at one moment, in the database's own format: on SQLite a
copy of the file made with SQLite's online backup API, on PostgreSQL a ``pg_dump`` custom
archive. Both are taken from one snapshot while the board goes on serving and writing. A backup
restores only into the kind of database it came from; ``newsbrief export --all`` and
``newsbrief import`` move a board between kinds.

Neither ever leaves half a file: a backup is written beside its path, checked, and renamed into
place; a restore replaces the whole database in one transaction, so a failed one changes nothing.
What lives outside the database (the search index, proposals held in memory, page caches)
follows a restore: the index is rebuilt and ``signals.archive_restored`` is sent. The picture
files are copied beside the backup, into ``<backup>.media/``, and back by a restore.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _
from tqdm import tqdm

from newsbrief.briefs.models import Brief
from newsbrief.briefs.signals import archive_restored
from newsbrief.pictures import archive as pictures
from newsbrief.related import proposals
from newsbrief.search.backends import get_backend

SQLITE_MAGIC = b"SQLite format 3\x00"
POSTGRES_MAGIC = b"PGDMP"
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
#: Pages per step of SQLite's backup (4 MiB at the default page size): how often the bar moves.
STEP_PAGES = 1024
#: How long a restore waits for the board's writers to let go of a SQLite database.
SQLITE_BUSY_SECONDS = 20
#: The rows of ``django_migrations`` in the SQL that ``pg_restore`` writes from a dump.
MIGRATIONS_COPY = re.compile(
    r"^COPY \S+ \(id, app, name, applied\) FROM stdin;\n(.*?)^\\\.$", re.MULTILINE | re.DOTALL
)


class BackupError(Exception):
    """Why a backup or a restore was refused or failed, in words for the operator."""


@dataclasses.dataclass(frozen=True)
class Summary:
    path: Path
    size: int
    briefs: int
    seconds: float


@dataclasses.dataclass(frozen=True)
class BackupFile:
    """A backup that ``inspect`` found fit to restore into the board's database."""

    path: Path
    kind: str
    size: int
    #: ``app.name`` of the migrations the code has and the backup predates.
    missing_migrations: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Restored:
    summary: Summary
    migrated: tuple[str, ...]
    indexed: int
    index_backend: str


def database_kind() -> str:
    vendor = connection.vendor
    if vendor not in KINDS:
        message = _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
        raise BackupError(message % {"vendor": vendor})
    return vendor


# -- backup ---------------------------------------------------------------------------------


def backup(path: str | Path, *, progress: bool = False) -> Summary:
    """Write the whole database to ``path`` (replacing it only once the copy is whole and
    checked). ``progress``: a bar over SQLite's pages on stderr."""
    started = time.monotonic()
    path = Path(path)
    kind = database_kind()
    _refuse_the_live_database(path)
    _outside_transactions()
    with _staged(path) as staging:
        if kind == "sqlite":
            briefs = _backup_sqlite(staging, progress)
        else:
            briefs = _backup_postgres(staging)
        verify(staging, kind)
    pictures.copy_files(Path(settings.MEDIA_ROOT), pictures.sidecar(path))
    return Summary(path, path.stat().st_size, briefs, time.monotonic() - started)


@contextlib.contextmanager
def _staged(path: Path):
    """A temporary file beside ``path`` that becomes ``path`` (durably) if the block succeeds
    and is removed if it fails. It is created private (0600): a backup holds password hashes."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(fd)
    except OSError as error:
        raise BackupError(_cannot_write(path, error)) from error
    staging = Path(name)
    try:
        yield staging
        with staging.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(staging, path)
    except OSError as error:
        staging.unlink(missing_ok=True)
        raise BackupError(_cannot_write(path, error)) from error
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _cannot_write(path: Path, error: OSError) -> str:
    message = _("Cannot write %(path)s: %(error)s.")
    return message % {"path": path, "error": error.strerror or error}


def _backup_sqlite(target: Path, progress: bool) -> int:
    """Copy the live database page by page inside one read transaction: in WAL mode the
    board's writers go on meanwhile, and the copy, being of one snapshot, never restarts."""
    try:
        with (
            contextlib.closing(_sqlite_open(_live_sqlite_path(), "rw")) as live,
            contextlib.closing(_sqlite_open(target, "rw")) as copy,
        ):
            live.execute("BEGIN")
            briefs = _count_briefs(live)
            _copy_pages(live, copy, progress, _("backing up"))
            live.execute("COMMIT")
            # One self-contained file: no -wal beside it, whatever mode the board runs in.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(_("Backing up failed: %(error)s") % {"error": error}) from error
    return briefs


def _backup_postgres(target: Path) -> int:
    """``pg_dump`` of a snapshot this transaction exports, so the brief count is the dump's."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        [snapshot] = cursor.fetchone()
        briefs = Brief.objects.count()
        _pg_run("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}")
    return briefs


# -- checking a backup ----------------------------------------------------------------------


def file_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql``, from the file's first bytes."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(_("%(path)s: no such file.") % {"path": path}) from None
    except OSError as error:
        raise BackupError(f"{path}: {error.strerror or error}") from error
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(POSTGRES_MAGIC):
        return "postgresql"
    raise BackupError(
        _(
            "%(path)s is not a newsbrief backup: it is neither a SQLite database nor a "
            "PostgreSQL custom-format dump."
        )
        % {"path": path}
    )


def verify(path: Path, kind: str) -> None:
    """Raise ``BackupError`` unless ``path`` reads as a whole backup of its kind: SQLite's
    integrity check, or ``pg_restore`` reading the dump's table of contents."""
    if kind == "postgresql":
        _pg_run("pg_restore", "--list", str(path))
        return
    try:
        with contextlib.closing(_sqlite_open(path, "ro")) as db:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check(10)")]
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
    if problems != ["ok"]:
        raise BackupError(
            _("%(path)s fails SQLite's integrity check: %(problems)s")
            % {"path": path, "problems": "; ".join(problems)}
        )


def inspect(path: str | Path) -> BackupFile:
    """The backup at ``path``, if it can be restored here: of this database's kind, whole, and
    not newer than the code (its migrations all known). Otherwise ``BackupError``, saying why."""
    path = Path(path)
    kind, expected = file_kind(path), database_kind()
    if kind != expected:
        raise BackupError(
            _(
                "%(path)s is a %(kind)s backup, but this board's database is %(expected)s: a "
                "backup restores only into the kind of database it came from. To move a board "
                "between SQLite and PostgreSQL, use `newsbrief export --all -o FILE` on the "
                "old one and `newsbrief import FILE` on the new one."
            )
            % {"path": path, "kind": KINDS[kind], "expected": KINDS[expected]}
        )
    _refuse_the_live_database(path)
    verify(path, kind)
    applied = _applied_migrations(path, kind)
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    if unknown := applied - known:
        raise BackupError(
            _(
                "%(path)s comes from a newer newsbrief: it has migrations this version does "
                "not know (%(migrations)s). Upgrade newsbrief, then restore it."
            )
            % {"path": path, "migrations": ", ".join(sorted(unknown))}
        )
    return BackupFile(path, kind, path.stat().st_size, tuple(sorted(known - applied)))


def _applied_migrations(path: Path, kind: str) -> set[str]:
    if kind == "sqlite":
        try:
            with contextlib.closing(_sqlite_open(path, "ro")) as db:
                rows = db.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.OperationalError:
            rows = None
    else:
        script = _pg_run(
            "pg_restore", "--data-only", "--table=django_migrations", "--file=-", str(path)
        )
        found = MIGRATIONS_COPY.search(script)
        rows = [line.split("\t")[1:3] for line in found[1].splitlines()] if found else None
    if not rows:
        raise BackupError(
            _("%(path)s is not a newsbrief backup: it holds no migration history.") % {"path": path}
        )
    return {f"{app}.{name}" for app, name in rows}


# -- restore --------------------------------------------------------------------------------


def restore(source: BackupFile, *, progress: bool = False) -> Restored:
    """Replace the whole database with ``source`` (from ``inspect``), in one transaction;
    then bring it up to the code's migrations, rebuild the search index, and tell the rest."""
    started = time.monotonic()
    _outside_transactions()
    connection.close()  # nothing of the old database stays open here
    if source.kind == "sqlite":
        _restore_sqlite(source.path, progress)
    else:
        _restore_postgres(source.path)
    if source.missing_migrations:
        call_command("migrate", interactive=False, verbosity=0)
    pictures.copy_files(pictures.sidecar(Path(source.path)), Path(settings.MEDIA_ROOT))
    index = get_backend()
    indexed = index.rebuild(progress=progress)
    proposals.reset()
    archive_restored.send(sender=None)
    summary = Summary(source.path, source.size, Brief.objects.count(), time.monotonic() - started)
    return Restored(summary, source.missing_migrations, indexed, index.name)


def _restore_sqlite(path: Path, progress: bool) -> None:
    """Copy the backup's pages into the live database: one write transaction, so the board's
    open readers go on seeing the old database until they next begin."""
    with (
        contextlib.closing(_sqlite_open(path, "ro")) as backup_db,
        contextlib.closing(_sqlite_open(_live_sqlite_path(), "rw")) as live,
    ):
        try:
            _copy_pages(backup_db, live, progress, _("restoring"))
        except sqlite3.Error as error:
            raise BackupError(
                _("Restoring %(path)s failed, nothing changed: %(error)s")
                % {"path": path, "error": error}
            ) from error


def _restore_postgres(path: Path) -> None:
    """``pg_restore --clean --if-exists --no-owner`` into the database through ``psql``, in one
    transaction that also drops the tables the backup lacks (made by migrations newer than it,
    which would otherwise keep the backup's tables from being dropped, and ``migrate`` from
    creating them). The transaction commits only if ``pg_restore`` read the whole dump."""
    listing = _pg_run("pg_restore", "--list", str(path))
    in_backup = set(re.findall(r"^\d+; \d+ \d+ TABLE (\S+ \S+) ", listing, re.MULTILINE))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables"
            " WHERE schemaname = ANY (current_schemas(false))"
        )
        extra = [(s, t) for s, t in cursor.fetchall() if f"{s} {t}" not in in_backup]
    connection.close()
    qn = connection.ops.quote_name
    head = "BEGIN;\nSET client_min_messages = warning;\n" + "".join(
        f"DROP TABLE IF EXISTS {qn(s)}.{qn(t)} CASCADE;\n" for s, t in extra
    )
    psql_command, psql_env = _pg_command(
        "psql", ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-"]
    )
    dump_command, dump_env = _pg_command(
        "pg_restore", ["--clean", "--if-exists", "--no-owner", "--file=-", str(path)]
    )
    with tempfile.TemporaryFile() as psql_errors, tempfile.TemporaryFile() as dump_errors:
        psql = subprocess.Popen(
            psql_command,
            env=psql_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
        )
        dump = subprocess.Popen(
            dump_command, env=dump_env, stdout=subprocess.PIPE, stderr=dump_errors
        )
        with psql, dump:
            try:
                psql.stdin.write(head.encode())
                shutil.copyfileobj(dump.stdout, psql.stdin)
                if dump.wait() == 0:
                    psql.stdin.write(b"COMMIT;\n")
                psql.stdin.close()  # without COMMIT, psql ends and the server rolls back
            except BrokenPipeError:  # psql stopped at an error: the dump's reader is not needed
                dump.kill()
        # The dump's own failure (a truncated file) is the cause of whatever psql then said.
        if dump.returncode > 0:
            raise BackupError(_failed("pg_restore", _text(dump_errors)))
        if psql.returncode:
            raise BackupError(_failed("psql", _text(psql_errors)))


def _text(file) -> str:
    file.seek(0)
    return file.read().decode(errors="replace")


# -- shared ---------------------------------------------------------------------------------


def _outside_transactions() -> None:
    if connection.in_atomic_block:
        raise BackupError(_("A backup or a restore cannot run inside a transaction."))


def _live_sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def _refuse_the_live_database(path: Path) -> None:
    if connection.vendor != "sqlite":
        return
    live = _live_sqlite_path().resolve()
    if path.resolve() in {live, *(live.with_name(live.name + end) for end in ("-wal", "-shm"))}:
        raise BackupError(_("%(path)s is the board's own database.") % {"path": path})


def _sqlite_open(path: Path, mode: str) -> sqlite3.Connection:
    """A plain connection (``mode`` ``ro`` or ``rw``: never creating a missing file) with no
    implicit transactions."""
    uri = f"file:{urllib.parse.quote(str(path))}?mode={mode}"
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=SQLITE_BUSY_SECONDS)


def _count_briefs(db: sqlite3.Connection) -> int:
    return db.execute(f'SELECT count(*) FROM "{Brief._meta.db_table}"').fetchone()[0]


def _copy_pages(
    source: sqlite3.Connection, target: sqlite3.Connection, progress: bool, what: str
) -> None:
    with tqdm(desc=what, unit="page", disable=not progress) as bar:

        def step(status, remaining, total):
            bar.total = total
            bar.update(total - remaining - bar.n)

        source.backup(target, pages=STEP_PAGES, progress=step)


def _pg_command(tool: str, args: list[str]) -> tuple[list[str], dict]:
    """The command line and environment for a PostgreSQL client program: host, port, user and
    (for those that connect) the database from Django's settings of the live connection (the
    test database under tests), the password in the environment, never on the command line."""
    program = shutil.which(tool)
    if program is None:
        raise BackupError(
            _(
                "%(tool)s was not found: install PostgreSQL's client programs (Debian: "
                "postgresql-client) of the server's major version."
            )
            % {"tool": tool}
        )
    if tool == "pg_restore":  # reads a dump, writes SQL: connects to nothing
        return [program, *args], dict(os.environ)
    command, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, args)
    return [program, *command[1:]], {**os.environ, **(env or {})}


def _pg_run(tool: str, *args: str) -> str:
    command, env = _pg_command(tool, list(args))
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, errors="replace", check=False
    )
    if done.returncode:
        raise BackupError(_failed(tool, done.stderr))
    return done.stdout


def _failed(tool: str, stderr: str) -> str:
    return _("%(tool)s failed: %(error)s") % {"tool": tool, "error": stderr.strip()}
