"""The round trip of the issue's checks, against a real MariaDB: the generated board written
there, brought across by ``importing.run`` reading it through ``source.open``, and every
message compared with what Phorum's own rules give (the generator's truth): its text as the
reader sees it, in every version, its status, its author, its edit line; every old address
of the board answers 301 to the right place; a second run changes nothing; a run killed
mid-way and started again ends as an uninterrupted one."""

import dataclasses
import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from newsbrief.briefs.content import BriefContent
from newsbrief.briefs.models import Brief, Category
from newsbrief.formats import seed
from newsbrief.formats.importer import exported
from newsbrief.phorum import bbcode, generator, importing, records, source
from newsbrief.phorum.converting import READ_LINK, account_name, message_uid
from newsbrief.phorum.models import ImportedFile, ImportedMessage
from newsbrief.pictures.models import Picture

from .dump import snapshot, wipe

pytestmark = [pytest.mark.mysql, pytest.mark.django_db]
PREFIX = "rt_"
LANGUAGES = {"english": "en", "zh_TW": "zh-hant"}
STATUSES = {records.APPROVED: "published", records.HELD: "review", records.HIDDEN: "draft"}


@pytest.fixture(scope="module")
def board(phorum_url):
    connection = source.connect(phorum_url)
    written = generator.fill(connection, seed=11, messages=240, prefix=PREFIX)
    connection.close()
    return written


def bring(url: str, **options) -> importing.PhorumReport:
    with source.open(url, prefix=PREFIX) as phorum:
        return importing.run(phorum, progress=False, **options)


@pytest.fixture
def report(phorum_url, board):
    return bring(phorum_url)


def brief(message_id: int) -> Brief:
    return Brief.objects.select_related("author").get(uid=message_uid(message_id))


def expected_author(board, message: records.Message) -> str:
    """Phorum's rule: a registered user's name; a guest's posted name, marked where it is a
    user's (so no guest writes as someone else)."""
    if message.user_id in board.users:
        user = board.users[message.user_id]
        return account_name(user.username, user.user_id)
    names = {account_name(u.username, u.user_id).casefold() for u in board.users.values()}
    name = " ".join(message.author.split())
    return f"{name} (guest)" if name.casefold() in names else name


def words(text: str) -> str:
    return bbcode.normalized(text)


def page_words(content: BriefContent, forum: str, version: records.Version) -> str:
    """The words of a version as the new page shows them: its heading (tags, title, the
    version link where the text had one), source line, body and sections; not the forum's
    own name (a tag Phorum showed as the forum's, not in the text)."""
    linked = any(label in version.body for label in seed.VERSION_LABELS)
    shown = dataclasses.replace(
        content,
        tags=tuple(t for t in content.tags if t != " ".join(forum.split())),
        translation_key=content.translation_key if linked else None,
        published_at=content.published_at or version.at,
        trail=None,
    )
    return words(seed.render(shown, timezone.get_default_timezone()).split("\n\n", 2)[2])


def test_every_message_is_what_phorum_showed(report, board):
    """Text (every version), status, author and edit line of every message."""
    forums = {f.forum_id: f for f in board.forums}
    broken = set()
    for m in board.messages:
        if m.moved:
            row = ImportedMessage.objects.get(pk=m.message_id)
            assert row.moved and row.brief is None and row.thread == m.thread
            assert not Brief.objects.filter(uid=message_uid(m.message_id)).exists()
            continue
        b = brief(m.message_id)
        assert b.status == STATUSES[m.status], m.message_id
        assert (b.published_at is not None) == (m.status == records.APPROVED)
        assert b.author.get_username() == expected_author(board, m), m.message_id
        assert b.created_at == m.posted_at
        assert b.language == LANGUAGES[forums[m.forum_id].language], m.message_id
        version_link = READ_LINK.search(m.body.split("\n", 1)[0])
        if version_link and not m.parent_id:  # "(Chinese Version)": one item, two languages
            other = brief(int(version_link[3]))
            assert (other.translation_key, other.language) == (b.translation_key, {
                "en": "zh-hant", "zh-hant": "en"}[b.language]), m.message_id  # fmt: skip
        revisions = list(b.revisions.select_related("editor").order_by("number"))
        assert len(revisions) == len(m.versions), m.message_id
        assert revisions[-1].number == m.edit_count, m.message_id
        # Untracked: one revision, the count's; tracking begun late: reported.
        assert revisions[0].number == 0 or len(revisions) == 1 or m.problems
        if any("neither UTF-8" in p for p in m.problems):
            broken.add(m.message_id)  # no encoding reads it: kept, and reported
            continue
        forum = forums[m.forum_id].name
        for revision, version in zip(revisions, m.versions, strict=True):
            content = BriefContent.from_json(revision.content)
            old = words(bbcode.shown_text(version.body))
            new = page_words(content, forum, version)
            assert new in (old, words(version.subject) + old), (m.message_id, revision.number)
            if 0 < revision.number < m.edit_count:
                assert revision.created_at == version.at
        assert revisions[0].created_at == m.posted_at or revisions[0].number
        trail = exported(b).trail
        if m.edit_count:
            # "Edited N time(s). Last edit at ... by NAME.": meta's count, time and editor.
            editor = board.users.get(m.edited_by_id)
            name = account_name(editor.username, editor.user_id) if editor else m.edited_by
            assert (trail.count, trail.at) == (m.edit_count, m.edited_at), m.message_id
            assert trail.by == (name or expected_author(board, m)), m.message_id
            assert b.updated_at == m.edited_at
        else:
            assert trail is None
        assert ImportedMessage.objects.get(pk=m.message_id).matches, m.message_id
    assert set(report.differing) <= broken
    assert report.matching == len(board.messages) - len(report.stubs) - len(report.differing)
    assert not report.imported.failures
    assert report.unresolved == set()


def test_attachments_come_across(report, board, client):
    for attachment in board.attachments.values():
        kept = ImportedFile.objects.get(pk=attachment.file_id)
        assert kept.brief == brief(attachment.message_id) and kept.filename == attachment.filename
        if kept.picture_digest:
            assert Picture.objects.filter(brief=kept.brief, digest=kept.picture_digest).exists()
        else:
            assert bytes(kept.data) == attachment.data
    assert ImportedFile.objects.exclude(picture_digest="").exists()
    assert ImportedFile.objects.filter(picture_digest="").exists()


def old_addresses(board) -> list[tuple[str, str | None]]:
    """Every form of old address of the board, from the truth, and where each must lead
    (None: a 404, for what was not public)."""
    messages = {m.message_id: m for m in board.messages}
    public = {m.message_id for m in board.messages if not m.moved and m.status == records.APPROVED}

    def page(message_id: int, name: str = "briefs:detail") -> str | None:
        if message_id not in public:
            return None
        b = brief(message_id)
        with translation.override(b.language):
            return reverse(name, args=[b.pk])

    def moved_to(message: records.Message) -> int:
        return message.thread if message.moved else message.message_id

    found = []
    for m in board.messages:
        f, t, mid = m.forum_id, m.thread, m.message_id
        top = moved_to(messages[t]) if t in messages else t
        here = page(moved_to(m))
        if m.moved:
            found += [(f"/read.php?{f},{t}", page(t)), (f"/read.php?{f},{t},{mid}", page(t))]
            continue
        found += [
            (f"/read.php?{f},{t},{mid}", here),
            (f"/read.php?{f},{t},{mid}#msg-{mid}", here),
            (f"/phorum/read.php?{f},{t},{mid}", here),
            (f"/changes.php?{f},{mid}", page(mid, "desk:history")),
        ]
        if m.parent_id == 0:
            thread = page(top)
            found += [
                (f"/read.php?{f},{t}", thread),
                (f"/read.php?{f},{t},page=2", thread),
                (f"/read.php?{f},{t},printview", thread),
            ]
        for file_id in m.attachment_ids:
            kept = ImportedFile.objects.get(pk=file_id)
            where = None
            if mid in public and kept.picture_digest:
                picture = Picture.objects.get(brief=kept.brief, digest=kept.picture_digest)
                where = picture.jpeg(4096)["url"]
            elif mid in public:
                where = reverse("phorum:file", args=[file_id, kept.filename])
            found.append((f"/file.php?{f},file={file_id}", where))
    # newer / older: the forum's next public thread either way.
    for forum in board.forums:
        starts = sorted(
            m.message_id
            for m in board.messages
            if m.forum_id == forum.forum_id and m.parent_id == 0 and m.message_id in public
        )
        for before, after in itertools.pairwise(starts):
            found.append((f"/read.php?{forum.forum_id},{before},newer", page(after)))
            found.append((f"/read.php?{forum.forum_id},{after},older", page(before)))
        found += forum_addresses(forum)
    return found


def forum_addresses(forum: records.Forum) -> list[tuple[str, str]]:
    f = forum.forum_id
    language = "zh-hant" if forum.language == "zh_TW" else "en"
    with translation.override(language):
        if forum.folder:
            board_page = reverse("briefs:index")
            return [(f"/index.php?{f}", board_page), (f"/list.php?{f}", board_page)]
        name = " ".join(forum.name.split())
        slug = Category.objects.get(**{"name_zh_hant" if language != "en" else "name_en": name})
        listing = reverse("briefs:category", args=[slug.slug])
        feed = {
            fmt: reverse("feeds:category", args=[slug.slug, language, fmt])
            for fmt in ("rss", "atom")
        }
    return [
        (f"/list.php?{f}", listing),
        (f"/index.php?{f}", listing),
        (f"/list.php?{f},page=2", f"{listing}?page=2"),
        (f"/feed.php?{f},type=rss", feed["rss"]),
        (f"/feed.php?{f},type=atom", feed["atom"]),
        (f"/feed.php?{f}", feed["rss"]),
    ]


def test_every_old_address_answers_301(report, board, client):
    addresses = old_addresses(board)
    every = " ".join(a for a, _ in addresses)
    for needed in ("/list.php?", "/index.php?", "/read.php?", "/changes.php?", "/feed.php?",
                   "/file.php?", ",page=2", ",printview", ",newer", ",older", "type=atom",
                   "/phorum/read.php"):  # fmt: skip
        assert needed in every, needed
    assert any("#msg-" in a for a, _ in addresses)
    assert sum(1 for _a, where in addresses if where) > 1000
    wrong = []
    for address, where in addresses:
        response = client.get(address.split("#")[0])
        got = (response.status_code, response.get("Location"))
        if got != ((301, where) if where else (404, None)):
            wrong.append((address, where, got))
    assert wrong == []


def test_a_second_run_changes_nothing(report, phorum_url):
    before = snapshot()
    again = bring(phorum_url)
    assert again.messages == 0 and (again.imported.created, again.imported.updated) == (0, 0)
    ImportedMessage.objects.all().delete()  # the map lost: everything read again
    from_scratch = bring(phorum_url)
    assert from_scratch.messages == report.messages
    assert (from_scratch.imported.created, from_scratch.imported.updated) == (0, 0)
    assert snapshot() == before


class Killed(Exception):
    pass


class Dying:
    """The board, read until ``after`` messages have been handed out: then the run dies."""

    def __init__(self, phorum, after: int):
        self.phorum, self.after = phorum, after

    def __getattr__(self, name):
        return getattr(self.phorum, name)

    def messages(self, forum_ids=None, after=0):
        for handed, message in enumerate(self.phorum.messages(forum_ids, after=after)):
            if handed == self.after:
                raise Killed
            yield message


def test_a_killed_run_resumes_to_the_same_board(phorum_url, board):
    bring(phorum_url, batch=40)
    whole = snapshot()
    wipe()
    with source.open(phorum_url, prefix=PREFIX) as phorum, pytest.raises(Killed):
        importing.run(Dying(phorum, 100), progress=False, batch=40)
    assert ImportedMessage.objects.count() == 80  # two batches in the map
    resumed = bring(phorum_url, batch=40)
    assert resumed.resumed_after == board.messages[79].message_id
    assert snapshot() == whole


def test_a_run_killed_inside_a_batch_resumes_to_the_same_board(phorum_url, board, monkeypatch):
    """Killed between some of a batch's briefs and its map: those are saved again, found
    unchanged, and the board ends as an uninterrupted run leaves it."""
    bring(phorum_url, batch=40)
    whole = snapshot()
    wipe()
    real, calls = importing.import_units, []

    def dying(label, units, report):
        calls.append(len(units))
        if len(calls) == 3:
            real(label, units[: len(units) // 2], report)
            raise Killed
        real(label, units, report)

    monkeypatch.setattr(importing, "import_units", dying)
    with pytest.raises(Killed):
        bring(phorum_url, batch=40)
    monkeypatch.undo()
    assert ImportedMessage.objects.count() == 80
    # Some of the third batch's briefs are there, without their map.
    assert Brief.objects.count() > sum(1 for m in board.messages[:80] if not m.moved)
    bring(phorum_url, batch=40)
    assert snapshot() == whole


def newsbrief(data, *args, wait=True):
    """The real command, in a process of its own, on the SQLite database in ``data``."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsbrief.settings",
        "DATABASE_URL": f"sqlite:///{data / 'newsbrief.sqlite3'}",
        "NEWSBRIEF_DATA_DIR": str(data),
        "NEWSBRIEF_DEBUG": "1",
    }
    command = [sys.executable, "-m", "newsbrief.cli", *args]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if wait:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()[-3000:]
        return out.decode()
    return process


DUMP = "from tests.phorum.dump import snapshot; print(repr(snapshot()))"


@pytest.mark.sqlite
def test_the_command_killed_and_run_again_ends_as_one_run(phorum_url, board, tmp_path):
    """``newsbrief import phorum`` killed (SIGKILL) after its first batch, then run again:
    the database ends as one uninterrupted run leaves it."""
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    newsbrief(fresh, "migrate", "--verbosity", "0")
    runs = {}
    for name in ("whole", "killed"):
        runs[name] = tmp_path / name
        shutil.copytree(fresh, runs[name])
    command = ("import", "phorum", phorum_url, "--prefix", PREFIX, "--no-progress")
    newsbrief(runs["whole"], *command)
    process = newsbrief(runs["killed"], *command, wait=False)
    database = runs["killed"] / "newsbrief.sqlite3"
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with sqlite3.connect(database, timeout=1) as db:
                mapped = db.execute("SELECT COUNT(*) FROM phorum_importedmessage").fetchone()[0]
        except sqlite3.OperationalError:
            mapped = 0
        if mapped >= importing.BATCH:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    process.communicate()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM phorum_importedmessage").fetchone()[0] < len(
            board.messages
        )
    again = newsbrief(runs["killed"], *command)
    assert f"after message {board.messages[importing.BATCH - 1].message_id}" in again
    assert newsbrief(runs["killed"], "shell", "-c", DUMP) == newsbrief(
        runs["whole"], "shell", "-c", DUMP
    )
