"""A whole board through JSON Lines version 2: export, import into an empty database, export
again, and the two files are the same."""

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from newsbrief.briefs.content import BriefContent
from newsbrief.briefs.models import Board, Brief, Category, LegacyAddress, RelatedLink, Revision
from newsbrief.briefs.publishing import content_of, save_brief
from newsbrief.formats import jsonl
from newsbrief.formats.importer import export_jsonl, import_paths
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
SEED_UID = "48b2b6c8-786a-5894-b7fb-5bf4b93cc8a9"


@pytest.fixture
def board(demo):
    """The demo board plus what only a live board has: drafts, briefs in review and
    scheduled, revisions by several editors, a second language version written on the desk,
    a related link the system proposed, old addresses and names of people."""
    User = get_user_model()
    seed = Brief.objects.get(uid=SEED_UID)
    User.objects.create_user("ann", first_name="Ann", last_name="Lin")
    draft = make_brief(
        "Draft on wind", body="First words.", tags=("Energy", "New Tag"), editor="ann",
        status=Brief.Status.DRAFT,
    )  # fmt: skip
    content = content_of(draft)
    for n, body in enumerate(["Second words.", "Third words, with [a link](https://e.org)."]):
        content = BriefContent(**{**content.__dict__, "body": body})
        save_brief(content, editor="techman", status=Brief.Status.DRAFT, based_on=n)
    version = content_of(draft)
    save_brief(
        BriefContent(
            **{**version.__dict__, "uid": None, "language": "zh-hant", "title": "風電草稿",
               "body": "第一句。", "author": "ann"}
        ),
        editor="ann", status=Brief.Status.REVIEW,
    )  # fmt: skip
    make_brief(
        "Later", body="Soon.", tags=("Energy",),
        published_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC), related=(content_of(seed).related[0],),
    )  # fmt: skip
    RelatedLink.objects.filter(brief=seed, rank=1).update(origin=RelatedLink.Origin.SYSTEM)
    LegacyAddress.objects.create(address="/phorum/read.php?6,5320,5320", brief=seed)
    LegacyAddress.objects.create(address="/read.php?6,5320", brief=seed)
    Board.objects.filter(pk=seed.board_id).update(
        footer="Footer text", languages=["en", "zh-hant"], name_zh_hant="科技新知簡訊",
        tagline="News of science", tagline_zh_hant="科技新知", footer_zh_hant="頁尾文字",
    )  # fmt: skip
    return seed


def empty_the_database():
    Brief.objects.all().delete()
    Category.objects.all().delete()
    Board.objects.all().delete()
    get_user_model().objects.all().delete()


def export(everything=True) -> str:
    out = io.StringIO()
    export_jsonl(out, everything=everything)
    return out.getvalue()


def test_a_whole_board_survives_export_and_import(board, tmp_path):
    first = export()
    lines = [json.loads(line) for line in first.splitlines()]
    assert lines[0] == {"format": "newsbrief", "version": 2}
    kinds = [line.get("kind") for line in lines[1:]]
    assert kinds == sorted(kinds, key=["board", "category", "user", "entity", "brief"].index)
    users = {line["username"]: line for line in lines if line.get("kind") == "user"}
    assert users["ann"] == {
        "kind": "user",
        "username": "ann",
        "first_name": "Ann",
        "last_name": "Lin",
    }
    assert not any("password" in line for line in lines)
    counts = Brief.objects.count(), Revision.objects.count(), RelatedLink.objects.count()

    empty_the_database()
    path = tmp_path / "board.jsonl"
    path.write_text(first, encoding="utf-8")
    report = import_paths([path], progress=False)
    assert (report.created, report.failures) == (counts[0], [])
    assert (Brief.objects.count(), Revision.objects.count(), RelatedLink.objects.count()) == counts
    assert export() == first

    again = import_paths([path], progress=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, counts[0])
    assert export() == first


def test_what_the_import_restores(board, tmp_path):
    path = tmp_path / "board.jsonl"
    path.write_text(export(), encoding="utf-8")
    empty_the_database()
    import_paths([path], progress=False)
    draft = Brief.objects.get(title="Draft on wind")
    assert draft.status == "draft" and draft.tag_names() == ["Energy", "New Tag"]
    assert list(draft.revisions.values_list("number", "editor__username")) == [
        (0, "ann"), (1, "techman"), (2, "techman"),
    ]  # fmt: skip
    chinese = Brief.objects.get(language="zh-hant", translation_key=draft.translation_key)
    assert chinese.status == "review"
    seed = Brief.objects.get(uid=SEED_UID)
    assert list(seed.related_links.values_list("origin", flat=True)) == ["editor", "system"]
    assert sorted(seed.legacy_addresses.values_list("address", flat=True)) == [
        "/phorum/read.php?6,5320,5320", "/read.php?6,5320",
    ]  # fmt: skip
    words = ("footer", "name_zh_hant", "tagline", "tagline_zh_hant", "footer_zh_hant")
    assert [getattr(seed.board, field) for field in words] == [
        "Footer text", "科技新知簡訊", "News of science", "科技新知", "頁尾文字",
    ]  # fmt: skip
    ann = get_user_model().objects.get(username="ann")
    assert (ann.first_name, ann.last_name, ann.has_usable_password()) == ("Ann", "Lin", False)
    later = Brief.objects.get(title="Later")
    assert later.related_links.get().target == Brief.objects.get(
        title_key=seed.related_links.first().cited_title_key
    )


def test_without_all_only_published_briefs_are_written(board):
    uids = {
        json.loads(line)["uid"]
        for line in export(everything=False).splitlines()
        if '"brief"' in line
    }
    assert uids == {
        str(u) for u in Brief.objects.filter(status="published").values_list("uid", flat=True)
    }


def test_the_commands_round_trip(board, tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    call_command("export", "--all", "-o", str(first), stderr=io.StringIO())
    empty_the_database()
    call_command("import", str(first), "--no-progress", stdout=io.StringIO())
    call_command("export", "--all", "-o", str(second), stderr=io.StringIO())
    assert first.read_bytes() == second.read_bytes()


def test_version_1_archives_still_import(tmp_path):
    record = {
        "kind": "brief", "language": "en", "author": "ann", "title": "Old",
        "body": "Text.", "published_at": "2012-03-01T02:00:00+00:00", "tags": ["Energy"],
        "trail": {"count": 2, "at": "2012-03-02T02:00:00+00:00", "by": "bob"},
    }  # fmt: skip
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert import_paths([path], progress=False).created == 1
    brief = Brief.objects.get()
    assert brief.status == "published"
    assert list(brief.revisions.values_list("number", "editor__username")) == [(2, "bob")]


def test_a_board_written_before_its_chinese_words_imports_without_them(db, tmp_path):
    path = tmp_path / "old.jsonl"
    header, board = {"format": "newsbrief", "version": 2}, {"kind": "board", "name": "Old"}
    path.write_text(f"{json.dumps(header)}\n{json.dumps({**board, 'footer': 'F'})}\n", "utf-8")
    assert import_paths([path], progress=False).failures == []
    old = Board.objects.get(name="Old")
    assert (old.footer, old.name_zh_hant, old.tagline, old.footer_zh_hant) == ("F", "", "", "")
    assert old.name_for("zh-hant") == "Old" and old.footer_for("zh-hant") == "F"


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"format": "newsbrief", "version": 3}', "version 3"),
        ('{"format": "other", "version": 2}', "header"),
        ('{"kind": "user", "username": "two words"}', "account name"),
        ('{"kind": "board", "name": ""}', "board needs a name"),
        ('{"kind": "nonsense"}', "unknown kind"),
    ],
)
def test_bad_records_are_reported(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    [failure] = import_paths([path], progress=False).failures
    assert failure.line == 1 and message in failure.message


def brief_line(**changes) -> str:
    record = {
        "kind": "brief", "uid": "2b7c3c39-6f6a-4b8e-9a4f-1d0e3f3f0a11", "language": "en",
        "author": "ann", "title": "T", "body": "B.", "published_at": "2012-03-01T02:00:00+00:00",
    }  # fmt: skip
    return json.dumps({**record, **changes})


def revision(**changes) -> dict:
    return {
        "number": 1, "created_at": "2012-03-01T02:00:00+00:00", "editor": "ann",
        "content": json.loads(brief_line()), **changes,
    }  # fmt: skip


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"status": "gone"}, "unknown status"),
        ({"revisions": [revision(content="text")]}, "content must be an object"),
        ({"revisions": [revision(number=-1)]}, "revision number"),
        ({"revisions": [revision(), revision()]}, "each once"),
        ({"revisions": [revision(origin="magic")]}, "origin"),
        ({"legacy_urls": "/read.php?1"}, "must be a list"),
        ({"legacy_url": " "}, "empty"),
    ],
)  # fmt: skip
def test_bad_brief_records_write_nothing(tmp_path, changes, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(brief_line(**changes) + "\n", encoding="utf-8")
    [failure] = import_paths([path], progress=False).failures
    assert message in failure.message
    assert not Brief.objects.exists()


def test_a_record_reads_back_as_written():
    record = jsonl.parse_record(brief_line(status="review", legacy_url="/read.php?6,1"))
    assert isinstance(record, jsonl.BriefRecord)
    assert (record.status, record.legacy_urls) == ("review", ("/read.php?6,1",))
    assert jsonl.parse_record(jsonl.write(record)) == record


def test_a_large_archive_shows_its_own_progress(tmp_path, capsys, monkeypatch):
    from newsbrief.formats import importer

    monkeypatch.setattr(importer, "ARCHIVE_BAR_BYTES", 10)
    path = tmp_path / "a.jsonl"
    path.write_text('{"kind": "category", "slug": "x", "name": {"en": "X"}}\n', encoding="utf-8")
    assert not import_paths([path], progress=True).failures
    err = capsys.readouterr().err
    assert "B/s" in err and f"/{path.stat().st_size}" in err


def test_followers_of_an_import_leave_the_archive_as_it_was(transactional_db, board, tmp_path):
    """Committed for real, so what follows a save (the search index, related proposals)
    runs, as in ``newsbrief import``: it must not add to what the archive says. Here an
    editor's brief whose proposed related links an editor took away must come back without
    them."""
    seed = content_of(board)
    echo = save_brief(
        BriefContent(**{**seed.__dict__, "uid": None, "translation_key": None,
                        "title": "Taiwan-Japan Industrial Cooperation Office Opens", "related": (),
                        "published_at": dt.datetime(2012, 4, 1, tzinfo=dt.UTC)}),
        editor="techman", status=Brief.Status.PUBLISHED,
    ).brief  # fmt: skip
    assert echo.related_links.filter(origin=RelatedLink.Origin.SYSTEM).exists()
    echo.related_links.all().delete()
    first = export()
    empty_the_database()
    path = tmp_path / "board.jsonl"
    path.write_text(first, encoding="utf-8")
    assert not import_paths([path], progress=False).failures
    assert export() == first
