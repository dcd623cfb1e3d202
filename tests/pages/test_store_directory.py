"""The files store owns its directory: it refuses one holding files it did not write (at
start-up, through ``newsbrief check``), adopts an empty one, and removes only what it wrote."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from newsbrief.pages.store import MARKER, FileStore, ForeignFiles, get_store, reset_store
from tests.conftest import SEED_PAGE


@pytest.fixture
def pages_path(tmp_path, settings):
    """A configured files store whose directory the test fills first."""
    path = tmp_path / "pages"
    settings.NEWSBRIEF_PAGES_STORE = "files"
    settings.NEWSBRIEF_PAGES_PATH = path
    reset_store()
    yield path
    reset_store()


def check_errors() -> str:
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    return str(raised.value)


def test_a_directory_of_other_files_is_refused_and_left_alone(pages_path):
    (pages_path / "www").mkdir(parents=True)
    (pages_path / "www" / "index.html").write_text("someone's site")
    (pages_path / "input.jsonl").write_text("{}")
    errors = check_errors()
    assert "pages.E003" in errors and "input.jsonl, www" in errors
    assert "did not write" in errors
    with pytest.raises(ForeignFiles):
        get_store().clear()
    with pytest.raises(ForeignFiles):
        get_store().put("/en/", b"page", get_store().epoch())
    assert (pages_path / "www" / "index.html").read_text() == "someone's site"
    assert sorted(p.name for p in pages_path.iterdir()) == ["input.jsonl", "www"]


def test_a_file_for_a_directory_is_refused(pages_path):
    pages_path.write_text("not a directory")
    assert "is not a directory" in check_errors()


@pytest.mark.parametrize("exists", [False, True])
def test_a_missing_or_empty_directory_is_made_the_stores_own(pages_path, exists):
    if exists:
        pages_path.mkdir()
    call_command("check", stdout=io.StringIO())
    store = get_store()
    assert store.put("/en/briefs/1/", b"brief", store.epoch())
    assert (pages_path / MARKER).is_file()
    assert (pages_path / "en" / "briefs" / "1" / "index.html").read_bytes() == b"brief"


def test_pages_stored_before_the_marker_existed_are_adopted(pages_path):
    (pages_path / "zh-hant" / "briefs" / "2").mkdir(parents=True)
    (pages_path / "zh-hant" / "briefs" / "2" / "index.html").write_text("old")
    (pages_path / ".epoch").write_text("...")
    assert FileStore(pages_path).foreign() == []
    get_store().clear()
    assert (pages_path / MARKER).is_file()
    assert sorted(p.name for p in pages_path.iterdir()) == [".epoch", MARKER]


def test_clear_removes_only_the_stores_own_entries(pages_path):
    store = get_store()
    store.put("/en/", b"index", store.epoch())
    store.put("/zh-hant/briefs/1/", b"brief", store.epoch())
    # What an operator put there afterwards, beside and among the pages.
    (pages_path / "input.jsonl").write_text("kept")
    (pages_path / "static").mkdir()
    (pages_path / "en" / "notes.txt").write_text("kept too")
    store.clear()
    assert store.get("/en/") is None and store.get("/zh-hant/briefs/1/") is None
    assert (pages_path / "input.jsonl").read_text() == "kept"
    assert (pages_path / "static").is_dir()
    kept = [p for p in pages_path.rglob("*") if p.is_file() and p.name == "notes.txt"]
    assert [p.read_text() for p in kept] == ["kept too"]
    assert not list(pages_path.rglob("index.html*"))


def test_pages_are_kept_only_under_a_language(pages_path):
    store = get_store()
    assert not store.put("/static/", b"x", store.epoch())
    assert store.put("/zh-hant/", b"x", store.epoch())


@pytest.mark.django_db
def test_an_import_leaves_the_files_kept_beside_the_pages(
    pages_path, django_capture_on_commit_callbacks
):
    get_store().clear()
    kept = pages_path / SEED_PAGE.name
    kept.write_bytes(SEED_PAGE.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", str(kept), "--no-progress", stdout=io.StringIO())
        get_store().clear()  # what a category or board change does after the import
    assert kept.read_bytes() == SEED_PAGE.read_bytes()
