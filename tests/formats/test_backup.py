"""``newsbrief backup`` and ``restore`` on the configured database (the suite runs on SQLite
and on PostgreSQL): a whole board comes back exactly, the search index follows, and every
file that cannot be restored is refused before anything changes."""

import dataclasses
import datetime as dt
import io
import sqlite3
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from newsbrief.briefs.models import (
    Board,
    Brief,
    BriefTag,
    Category,
    LegacyAddress,
    RelatedLink,
    Revision,
    SourceLink,
)
from newsbrief.briefs.publishing import content_of, save_brief
from newsbrief.briefs.signals import archive_restored
from newsbrief.formats import backup as backups
from newsbrief.formats.management.commands.backup import Command as BackupCommand
from newsbrief.search.backends import get_backend
from tests.conftest import on_postgres
from tests.factories import make_brief

pytestmark = pytest.mark.django_db(transaction=True)
SEED_UID = "48b2b6c8-786a-5894-b7fb-5bf4b93cc8a9"
MODELS = [
    Board, Category, Brief, BriefTag, SourceLink, Revision, RelatedLink, LegacyAddress,
    get_user_model(),
]  # fmt: skip
sqlite_only = pytest.mark.sqlite


def snapshot() -> dict:
    """Every row of the archive as plain data, primary keys included: a restore is exact."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in MODELS}


def edit(brief: Brief, **changes) -> Brief:
    content = content_of(brief)
    return save_brief(
        dataclasses.replace(content, **changes),
        editor="techman",
        based_on=brief.latest_revision().number,
    ).brief


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def found(word: str) -> set[int]:
    return {hit.brief_id for hit in get_backend().search(word, limit=50)}


@pytest.fixture
def board(demo):
    """The demo board (briefs in both languages, tags, related and source links) with edits
    by an editor, a draft, and an old address."""
    seed = edit(Brief.objects.get(uid=SEED_UID), body="The office opens in Taipei. Ammonite.")
    edit(seed, tags=(*content_of(seed).tags, "Offices"))
    make_brief(
        "離岸風電草稿", language="zh-hant", body="草稿。", author="techman", tags=("能源",),
        status=Brief.Status.DRAFT,
    )  # fmt: skip
    LegacyAddress.objects.create(address="/read.php?6,5320", brief=seed)
    return seed


def test_a_board_comes_back_exactly(board, tmp_path):
    path = tmp_path / "board.backup"
    original = snapshot()
    assert original["briefs.Revision"] and original["briefs.RelatedLink"]
    assert {row["language"] for row in original["briefs.Brief"]} == {"en", "zh-hant"}

    out = run("backup", str(path))
    assert out.startswith(f"Backed up {len(original['briefs.Brief'])} brief(s) to {path} (")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    edit(board, body="Rewritten after the backup: zeppelin.")
    gone = Brief.objects.filter(language="zh-hant", status="published").first()
    gone_pk = gone.pk
    gone.delete()
    make_brief(
        "Added later", body="Quokka.", author="techman",
        published_at=dt.datetime(2013, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    assert snapshot() != original
    assert found("zeppelin") == {board.pk} and found("ammonite") == set()

    heard = []

    def hear(**kwargs):
        heard.append(kwargs)

    archive_restored.connect(hear)
    try:
        out = run("restore", str(path), "--noinput")
    finally:
        archive_restored.disconnect(hear)

    assert snapshot() == original
    lines = out.splitlines()
    assert lines[0].startswith("Search index rebuilt: ")
    assert lines[-1].startswith(f"Restored {len(original['briefs.Brief'])} brief(s) from {path}")
    assert heard == [{"signal": archive_restored, "sender": None}]
    assert found("ammonite") == {board.pk}
    assert found("zeppelin") == found("quokka") == set()
    assert gone_pk in found(gone.title)


def test_a_table_made_after_the_backup_is_gone(tmp_path):
    """As after an upgrade whose migration added a table that refers to briefs: the backup's
    database comes back as it was, and PostgreSQL's restore is not stopped by the new table."""
    path = tmp_path / "board.backup"
    run("backup", str(path))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE later_notes (id integer PRIMARY KEY,"
            " brief_id bigint REFERENCES briefs_brief (id))"
        )
    run("restore", str(path), "--noinput")
    assert "later_notes" not in connection.introspection.table_names()


def test_a_backup_from_an_older_version_is_migrated(tmp_path):
    path = tmp_path / "old.backup"
    latest = ("desk", "0003_audit_and_drift_to_briefs")
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied(*latest)
    try:
        run("backup", str(path))
    finally:
        recorder.record_applied(*latest)
    out = run("restore", str(path), "--noinput")
    assert f"The backup predates 1 migration(s); applied them: {'.'.join(latest)}." in out
    assert latest in MigrationRecorder(connection).applied_migrations()


def test_a_backup_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.backup"
    recorder = MigrationRecorder(connection)
    recorder.record_applied("briefs", "9999_from_the_future")
    try:
        run("backup", str(path))
    finally:
        recorder.record_unapplied("briefs", "9999_from_the_future")
    with pytest.raises(CommandError, match=r"newer newsbrief.*briefs\.9999_from_the_future"):
        run("restore", str(path), "--noinput")


def other_kind_of_backup(path):
    if on_postgres():
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE t (x)")
    else:
        path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))


def test_a_backup_of_the_other_kind_is_refused(tmp_path):
    path = tmp_path / "other.backup"
    other_kind_of_backup(path)
    with pytest.raises(CommandError) as refused:
        run("restore", str(path), "--noinput")
    message = str(refused.value)
    assert "restores only into the kind of database it came from" in message
    assert "newsbrief export --all" in message and "newsbrief import" in message


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"kind: brief\n", "is not a newsbrief backup"),
        (b"", "is not a newsbrief backup"),
    ],
)
def test_what_is_not_a_backup_is_refused(tmp_path, content, message):
    path = tmp_path / "board.backup"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("restore", str(path), "--noinput")


@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_a_damaged_backup_changes_nothing(board, tmp_path, damage):
    path = tmp_path / "board.backup"
    run("backup", str(path))
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    if damage == "truncated":
        del data[middle:]
    else:
        data[middle : middle + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    edit(board, body="Written after the backup.")
    before = snapshot()
    expected = "pg_restore failed" if on_postgres() else "fails SQLite's integrity check"
    with pytest.raises(CommandError, match=expected):
        run("restore", str(path), "--noinput")
    assert snapshot() == before


@pytest.mark.postgres
def test_a_dump_failing_midway_changes_nothing(board, tmp_path):
    """Damage past the table of contents shows only while restoring, after the old tables
    were dropped: the one transaction rolls back."""
    path = tmp_path / "board.backup"
    run("backup", str(path))
    data = path.read_bytes()
    at = len(data) * 9 // 10
    path.write_bytes(data[:at] + b"\xff" * 1024 + data[at + 1024 :])
    backups.verify(path, "postgresql")
    edit(board, body="Written after the backup.")
    before = snapshot()
    # What pg_restore says depends on where the damage falls ("could not uncompress data",
    # "out of memory", ...): only that it failed, and changed nothing, is the point.
    with pytest.raises(CommandError, match=r"pg_restore failed: "):
        run("restore", str(path), "--noinput")
    assert snapshot() == before


@pytest.mark.postgres
def test_pg_restore_stopping_between_statements_changes_nothing(board, tmp_path, monkeypatch):
    """The transaction commits only when pg_restore read the whole dump, even when what it
    wrote before failing was whole SQL (the old tables dropped, empty ones made)."""
    path = tmp_path / "board.backup"
    run("backup", str(path))
    edit(board, body="Written after the backup.")
    before = snapshot()
    fake = tmp_path / "bin" / "pg_restore"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'case "$*" in *--clean*) /usr/bin/pg_restore "$@" | sed "/^COPY /,\\$d"\n'
        "  echo 'pg_restore: error: could not read from input file' >&2; exit 1;; esac\n"
        'exec /usr/bin/pg_restore "$@"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    with pytest.raises(CommandError, match=r"pg_restore failed: .*could not read from input"):
        run("restore", str(path), "--noinput")
    assert snapshot() == before


class Terminal(io.StringIO):
    """An operator's answers, typed at a terminal."""

    def isatty(self) -> bool:
        return True


def test_restore_asks_first(tmp_path):
    path = tmp_path / "board.backup"
    run("backup", str(path))
    Category.objects.create(slug="after", name_en="After")
    out = io.StringIO()
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(path), stdin=Terminal("no\n"), stdout=out)
    assert "replaces everything" in out.getvalue() and str(path) in out.getvalue()
    assert Category.objects.filter(slug="after").exists()
    # Without a terminal, or with nothing typed, it says how to go on without asking.
    for stdin in (io.StringIO("yes\n"), Terminal("")):
        with pytest.raises(CommandError, match="pass --noinput"):
            call_command("restore", str(path), stdin=stdin, stdout=io.StringIO())
    assert Category.objects.filter(slug="after").exists()


@pytest.mark.parametrize("earlier", [None, b"yesterday's backup"])
def test_a_failed_backup_leaves_no_file(tmp_path, monkeypatch, earlier):
    path = tmp_path / "board.backup"
    if earlier:
        path.write_bytes(earlier)

    def broken(staging, kind):
        assert staging.parent == path.parent and staging.stat().st_size
        raise backups.BackupError("the copy is broken")

    monkeypatch.setattr(backups, "verify", broken)
    with pytest.raises(CommandError, match="the copy is broken"):
        run("backup", str(path))
    assert [p.name for p in tmp_path.iterdir()] == ([path.name] if earlier else [])
    if earlier:
        assert path.read_bytes() == earlier


@sqlite_only
def test_backup_refuses_to_write_over_the_database():
    with pytest.raises(CommandError, match="the board's own database"):
        run("backup", connection.settings_dict["NAME"])


def test_the_help_says_how_to_use_it():
    text = BackupCommand().create_parser("newsbrief", "backup").format_help()
    assert "Safe while the board is serving" in text
    assert "newsbrief export --all" in text and "newsbrief restore PATH" in text
    assert "\n  15 3 * * *  " in text  # the cron line kept as written


@sqlite_only
def test_a_sqlite_backup_is_one_moment_while_others_write(tmp_path, monkeypatch):
    """The board's writers go on during a backup (WAL), and the copy is of the moment it
    began; it does not restart after each of their writes."""
    Category.objects.create(slug="before", name_en="Before")
    writer = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=20)
    steps = []

    class WritingBar(backups.tqdm):
        def update(self, n=1):
            steps.append(n)
            writer.execute(
                "INSERT INTO briefs_category (slug, name_en, name_zh_hant) VALUES (?, '', '')",
                (f"during-{len(steps)}",),
            )
            return super().update(n)

    monkeypatch.setattr(backups, "STEP_PAGES", 8)
    monkeypatch.setattr(backups, "tqdm", WritingBar)
    path = tmp_path / "board.backup"
    backups.backup(path)
    writer.close()
    assert len(steps) > 10
    with sqlite3.connect(path) as copy:
        assert copy.execute("SELECT slug FROM briefs_category").fetchall() == [("before",)]
    assert Category.objects.count() == 1 + len(steps)


@sqlite_only
def test_a_sqlite_restore_keeps_open_readers_consistent(tmp_path):
    path = tmp_path / "board.backup"
    run("backup", str(path))
    Category.objects.create(slug="after", name_en="After")
    reader = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    reader.execute("BEGIN")
    count = "SELECT count(*) FROM briefs_category"
    assert reader.execute(count).fetchone() == (1,)
    run("restore", str(path), "--noinput")
    assert reader.execute(count).fetchone() == (1,)
    reader.execute("COMMIT")
    assert reader.execute(count).fetchone() == (0,)
    reader.close()


@pytest.fixture
def fake_pg_dump(tmp_path, monkeypatch):
    """A ``pg_dump`` first on PATH that writes half a file, records how it was called and
    fails."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "pg_dump"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {tmp_path}/args; echo "$PGPASSWORD" > {tmp_path}/password\n'
        'for arg; do case "$arg" in --file=*) echo PGDMP-half > "${arg#--file=}";; esac; done\n'
        "echo 'pg_dump: error: connection to server lost' >&2; exit 1\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return tmp_path


@pytest.mark.postgres
def test_pg_dump_failing_is_shown_and_leaves_no_file(fake_pg_dump, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "s3cret")
    path = fake_pg_dump / "out" / "board.backup"
    path.parent.mkdir()
    with pytest.raises(CommandError, match="pg_dump failed: pg_dump: error: connection to server"):
        run("backup", str(path))
    assert list(path.parent.iterdir()) == []
    args = (fake_pg_dump / "args").read_text()
    assert "s3cret" not in args and connection.settings_dict["NAME"] in args
    assert (fake_pg_dump / "password").read_text() == "s3cret\n"


@pytest.mark.postgres
def test_missing_postgresql_programs_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found: install PostgreSQL's client"):
        run("backup", str(tmp_path / "board.backup"))
