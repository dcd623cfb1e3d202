"""The index never goes stale: every change is searchable once it commits, even when the
process dies between the commit and the index update."""

import pytest

from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import content_of, save_brief
from newsbrief.search import receivers
from newsbrief.search.backends import Filters, reset_backends
from newsbrief.search.models import PendingChange
from tests.factories import brief_content, make_brief

from .conftest import ids

pytestmark = pytest.mark.django_db(transaction=True)


def indexed(backend, query: str) -> list[int]:
    """What the index holds, without the catch-up a search does first."""
    from newsbrief.search.analyzer import parse_query

    return [pk for pk, _ in backend._query(parse_query(query), Filters(), 10, 0, False)[0]]


def test_publish_edit_unpublish_and_delete_are_indexed_after_commit(backend):
    saved = make_brief(title="Offshore wind")
    assert not PendingChange.objects.exists()  # drained once the save committed
    assert indexed(backend, "wind") == [saved.pk]

    save_brief(brief_content(uid=saved.uid, title="Solar farm"))
    assert indexed(backend, "wind") == [] and indexed(backend, "solar") == [saved.pk]

    save_brief(content_of(Brief.objects.get(pk=saved.pk)), status=Brief.Status.DRAFT)
    assert indexed(backend, "solar") == []

    save_brief(brief_content(uid=saved.uid, title="Solar farm"))
    assert ids(backend.search("solar")) == [saved.pk]
    Brief.objects.get(pk=saved.pk).delete()
    assert indexed(backend, "solar") == [] and not PendingChange.objects.exists()


def test_a_crash_between_commit_and_index_update_is_caught_up(backend, monkeypatch):
    monkeypatch.setattr(receivers, "_drain_after_commit", lambda: None)  # the process "dies"
    saved = make_brief(title="Offshore wind")
    assert PendingChange.objects.filter(brief_id=saved.pk).exists()
    assert indexed(backend, "wind") == []
    reset_backends()  # a restart
    assert ids(backend.search("wind")) == [saved.pk]
    assert not PendingChange.objects.exists()

    Brief.objects.get(pk=saved.pk).delete()
    assert indexed(backend, "wind") == [saved.pk]
    assert backend.search_ids("wind") == []


def test_a_failing_index_update_never_fails_the_save(backend, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(backend), "_apply", broken)
    saved = make_brief(title="Offshore wind")  # saved and committed all the same
    assert Brief.objects.filter(pk=saved.pk).exists()
    assert backend.search("wind").hits == []  # logged, the change waits in the outbox
    monkeypatch.undo()
    assert ids(backend.search("wind")) == [saved.pk]


def test_a_rolled_back_change_leaves_nothing_to_index(backend):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        make_brief(title="Offshore wind")
        raise RuntimeError("crash before commit")
    assert not PendingChange.objects.exists()
    assert backend.search("wind").hits == []


def test_a_new_index_is_filled_from_the_database(backend, settings, tmp_path):
    saved = make_brief(title="Offshore wind")
    if backend.name == "tantivy":
        from newsbrief.search.backends import get_backend

        backend = get_backend("tantivy", path=tmp_path / "elsewhere")  # e.g. a lost index
    assert ids(backend.search("wind")) == [saved.pk]


def test_the_drain_after_commit_runs_in_the_background(backend, monkeypatch):
    import time

    monkeypatch.setattr(receivers, "SYNCHRONOUS", False)
    saved = make_brief(title="Offshore wind")
    deadline = time.monotonic() + 10
    while PendingChange.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not PendingChange.objects.exists()
    assert indexed(backend, "wind") == [saved.pk]


@pytest.mark.parametrize("backend", ["tantivy"], indirect=True)  # PostgreSQL has no index lock
def test_changes_wait_while_another_process_writes_the_index(backend, caplog):
    saved = make_brief(title="Offshore wind")
    held = backend.index.writer(heap_size=15_000_000, num_threads=1)  # as a reindex would
    save_brief(brief_content(uid=saved.uid, title="Solar farm"))
    assert backend.search("solar").hits == [] and PendingChange.objects.exists()
    assert "search index busy" in caplog.text
    held.rollback()
    del held
    import gc

    gc.collect()
    assert ids(backend.search("solar")) == [saved.pk]


def test_renaming_a_category_reindexes_the_briefs_it_tags(backend):
    from newsbrief.briefs.models import Category

    saved = make_brief(title="Offshore wind", tags=("Energy",))
    category = Category.objects.get(name_en="Energy")
    category.name_en = "Renewables"
    category.save()
    assert ids(backend.search("renewables")) == [saved.pk]
    assert backend.search("energy").hits == []
