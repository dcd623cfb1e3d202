"""Bringing a Phorum board across, with the in-memory board of ``fake``: statuses, threads,
authors, edits, conventions, BBCode, attachments; a second run and a resumed one."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from newsbrief.briefs.models import Brief, Category
from newsbrief.formats.importer import exported
from newsbrief.phorum import importing
from newsbrief.phorum.converting import Mapping, message_uid
from newsbrief.phorum.models import ImportedFile, ImportedForum, ImportedMessage
from newsbrief.pictures.models import Picture

from . import fake
from .dump import snapshot, wipe

pytestmark = pytest.mark.django_db
User = get_user_model()


def brief(message_id: int) -> Brief:
    return Brief.objects.get(uid=message_uid(message_id))


def bring(source=None, **options) -> importing.PhorumReport:
    return importing.run(source or fake.board(), progress=False, **options)


@pytest.fixture
def report():
    return bring()


def test_only_approved_messages_are_published(report):
    assert report.statuses == {"published": 7, "review": 1, "draft": 2, "stub": 1}
    assert brief(13).status == Brief.Status.REVIEW  # held: the desk's review queue
    assert brief(14).status == Brief.Status.DRAFT  # hidden
    assert brief(18).status == Brief.Status.DRAFT  # approved, in a forum not active
    for m in (13, 14, 18):
        assert brief(m).published_at is None
    assert not Brief.objects.published().filter(uid__in=[message_uid(m) for m in (13, 14, 18)])
    assert brief(10).status == Brief.Status.PUBLISHED
    assert brief(10).published_at == fake.message(10).posted_at


def test_threads_orphans_and_stubs(report):
    assert report.orphans == [12] and report.stubs == [15]
    assert brief(12).status == Brief.Status.PUBLISHED  # its parent is gone: kept
    assert not Brief.objects.filter(uid=message_uid(15)).exists()  # a stub is not a brief
    assert Brief.objects.count() == 10
    row = ImportedMessage.objects.get(pk=12)
    assert (row.forum_id, row.thread, row.parent_id, row.brief_id) == (1, 10, 9, brief(12).pk)
    assert ImportedMessage.objects.get(pk=10).sort == 1
    assert ImportedMessage.objects.get(pk=21).closed
    stub = ImportedMessage.objects.get(pk=15)
    assert stub.moved and stub.brief is None and stub.thread == 16
    assert ImportedMessage.objects.get(pk=10).email == ""  # private: dropped


def test_forums_become_categories_with_their_language(report):
    assert brief(10).tag_names()[0] == "International Cooperation News"
    assert brief(20).language == "zh-hant" and brief(10).language == "en"
    forum = ImportedForum.objects.get(forum_id=2)
    assert forum.category == Category.objects.get(name_zh_hant="國際合作新聞")
    assert forum.display_order == 2 and forum.parent_id == 3
    assert ImportedForum.objects.get(forum_id=3).folder


def test_a_forum_can_become_a_board():
    bring(mapping=Mapping(boards=frozenset({2})))
    assert brief(20).board.name == "國際合作新聞"
    assert "國際合作新聞" not in brief(20).tag_names()


def test_authors_and_guests(report):
    assert brief(10).author.get_username() == "techman"
    assert brief(10).author.first_name == "Tech"
    # A guest who posted as a registered user's name does not write as them.
    guest = brief(11).author
    assert guest.get_username() == "techman (guest)" and not guest.has_usable_password()
    assert brief(16).author.get_username() == "Anonymous Reader"
    assert User.objects.get(username="editor_one").first_name == "Edith"
    assert not User.objects.exclude(email="").exists()


def test_a_guest_never_takes_an_account_that_signs_in():
    User.objects.create_user("Anonymous Reader", password="secret")
    bring()
    assert brief(16).author.get_username() == "Anonymous Reader (guest)"


def test_private_addresses_kept_when_asked():
    bring(mapping=Mapping(keep_private=True))
    assert ImportedMessage.objects.get(pk=10).ip == "192.0.2.1"
    assert User.objects.get(username="techman").email == "techman@example.org"


def test_every_version_is_a_revision(report):
    revisions = list(brief(10).revisions.order_by("number"))
    assert [r.number for r in revisions] == [0, 1]
    assert "will open an" in revisions[0].content["body"]
    assert "opened an" in revisions[1].content["body"]
    assert revisions[0].editor.get_username() == "techman"
    assert revisions[1].editor.get_username() == "editor_one"
    assert revisions[1].created_at == fake.at(20, 21, 45)
    trail = exported(brief(10)).trail
    assert (trail.count, trail.by) == (1, "editor_one")


def test_edit_line_without_tracking(report, client):
    (revision,) = brief(17).revisions.all()
    assert (revision.number, revision.created_at) == (3, fake.at(21, 10, 5))
    page = client.get(brief(17).get_absolute_url()).content.decode()
    assert "Edited 3 time(s). Last edit at 03/21/2012 10:05AM by editor_one." in page


def test_conventions_are_data(report):
    b = brief(10)
    assert b.title == "Taiwan-Japan Office Opens"
    assert b.tag_names() == ["International Cooperation News", "International Cooperation"]
    assert (b.source_name, b.source_date) == ("CENS.com", dt.date(2012, 3, 19))
    assert [(x.label, x.url) for x in b.source_links.all()] == [("CENS.com", "http://cens.com/a")]
    (related,) = b.related_links.all()
    assert (related.cited_title, related.cited_date) == ("Earlier talks", dt.date(2011, 9, 5))
    assert related.target_uid == message_uid(5)  # not on the board: reported, kept
    assert report.unresolved == {5}
    # The "(Chinese Version)" link: one news item in two languages.
    assert b.translation_key == brief(20).translation_key
    assert list(b.other_versions()) == [brief(20)]
    assert b.body == "Taiwan and Japan opened an **industrial cooperation** office."


def test_bbcode_becomes_markdown(report):
    body = brief(12).body
    assert body.startswith("> techman wrote:\n>\n> An *office* opens.")
    assert "[the brief](/read.php?1,10,10)" in body  # an internal link: its 301 address
    assert "- one\n- two" in body
    assert "<em>office</em>" in brief(12).body_html
    assert report.unknown_tags == {"marquee": 1}


def test_report_counts(report):
    text = "\n".join(report.lines())
    assert "encodings repaired: 1; Big5: 1" in text
    assert "unknown BBCode: [marquee] x1" in text
    assert report.differing == [] and report.matching == 10
    assert len(ImportedMessage.objects.get(pk=10).checksum) == 32
    assert "message 18: its forum is not active: kept as a draft" in text


def test_attachments(report, client):
    picture = Picture.objects.get(brief=brief(20))
    assert picture.alt == "office.png"
    pdf = ImportedFile.objects.get(pk=2)
    assert pdf.brief == brief(20) and bytes(pdf.data) == b"%PDF-1.4 a report"
    response = client.get("/file.php?2,file=2", follow=True)
    assert response.content == b"%PDF-1.4 a report"
    assert response.redirect_chain[0][1] == 301


def test_a_second_run_changes_nothing(report):
    before = snapshot()
    again = bring()
    assert (again.imported.created, again.imported.updated) == (0, 0)
    assert again.messages == 0  # resumed after the last message: nothing to read
    everything = bring(forum_ids=[1, 2, 4])  # ... and read again from the start
    assert everything.messages == 0
    ImportedMessage.objects.all().delete()
    from_scratch = bring()
    assert from_scratch.messages == 11 and from_scratch.imported.imported == 0
    assert snapshot() == before


class Killed(Exception):
    pass


def test_a_killed_run_resumes_to_the_same_board():
    bring(batch=3)
    whole = snapshot()
    wipe()
    killed = fake.board(fail_after=5)
    with pytest.raises(KeyboardInterrupt):
        bring(killed, batch=3)
    assert ImportedMessage.objects.count() == 3  # one batch committed
    resumed = bring(fake.board(), batch=3)
    assert resumed.resumed_after == 12
    assert snapshot() == whole


def test_a_dry_run_writes_nothing():
    report = bring(dry_run=True)
    assert report.messages == 11 and report.statuses["published"] == 7
    assert not Brief.objects.exists() and not ImportedMessage.objects.exists()
    assert "dry run: nothing written" in report.lines()[0]


def test_only_the_forums_asked_for():
    report = bring(forum_ids=[2])
    assert report.messages == 2
    assert set(Brief.objects.values_list("language", flat=True)) == {"zh-hant"}


@pytest.mark.django_db(transaction=True)
def test_the_command_backs_up_first(tmp_path, monkeypatch, capsys):
    opened = []

    def open_source(url, prefix):
        opened.append((url, prefix))
        return fake.board()

    monkeypatch.setattr(importing, "open_source", open_source)
    backup = tmp_path / "before.backup"
    call_command(
        "import", "phorum", "mysql://reader@db.example/board", "--prefix", "old_",
        "--backup", str(backup), "--no-progress",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert opened == [("mysql://reader@db.example/board", "old_")]
    assert backup.exists()
    assert f"backup: {backup}" in out and "by status: 2 draft, 7 published" in out
    assert Brief.objects.count() == 10
    call_command("import", "phorum", "mysql://x@y/z", "--dry-run", "--no-progress")
    assert "dry run: nothing written" in capsys.readouterr().out


def test_what_does_not_fit_is_kept_and_reported():
    source = fake.board()
    source.message_list += [
        # Sections that the seed format cannot read: the body is kept whole.
        fake.message(30, subject="Odd page", body="Text.\n\nFurther Information:\n[x](ftp://a)"),
        # A version link to a message of the same language is not a version.
        fake.message(31, subject="Same", body="[A] Same ([Chinese Version](read.php?1,21,21))"),
        # More tracked edits than meta counts.
        fake.message(
            32,
            versions=tuple(fake.message(32).versions) * 3,
            edit_count=1,
            edited_at=fake.at(22, 9),
        ),
    ]
    report = bring(source)
    assert brief(30).title == "Odd page" and "Further Information:" in brief(30).body
    assert brief(31).translation_key != brief(21).translation_key
    assert [r.number for r in brief(32).revisions.order_by("number")] == [0, 1, 2]
    problems = "\n".join(report.problems)
    assert "message 30: conventions not read" in problems
    assert "message 31: its version key is another brief's in the same language" in problems
    assert "message 32: 2 tracked edits, meta.edit_count 1" in problems
    assert not report.imported.failures
