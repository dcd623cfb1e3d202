"""``newsbrief bench load``: a complete load that resumes, measured against raw SQLite."""

import io
import json
import sqlite3

import pytest
from django.core.management import call_command


@pytest.fixture
def bench(tmp_path, django_db_blocker):
    def run(*args):
        figures = tmp_path / "figures.json"
        with django_db_blocker.unblock():
            call_command(
                "bench", "load", "--workdir", str(tmp_path), "--no-progress",
                "--json", str(figures), *args, stdout=io.StringIO(), stderr=io.StringIO(),
            )  # fmt: skip
        return json.loads(figures.read_text())

    return run


def test_load_resumes_and_measures(bench, tmp_path, django_db_blocker):
    from newsbrief.bench import loading
    from newsbrief.briefs.models import Brief, BriefTag, Revision
    from newsbrief.briefs.publishing import content_of
    from newsbrief.search.backends import get_backend
    from newsbrief.search.models import PendingChange

    corpus_db = tmp_path / "corpus-300-seed1.sqlite3"
    with django_db_blocker.unblock(), loading.use_sqlite(corpus_db):
        # a load interrupted after 150 briefs: each with its outbox row, no index yet
        assert loading.load(150, 1, jobs=1, progress=False).added == 150
        assert list(PendingChange.objects.values_list("brief_id", flat=True)) == [*range(1, 151)]

    figures = bench("--briefs", "300", "--jobs", "2", "--keep-peer")
    assert (figures["start"], figures["loaded_now"]) == (150, 150)
    assert figures["rows"]["briefs_revision"] == figures["rows"]["search_pendingchange"] == 150
    newsbrief, raw = figures["import"]["briefs_per_s"], figures["raw_sqlite"]["briefs_per_s"]
    assert newsbrief > 0 and raw > 0
    assert figures["ratio"] == pytest.approx(newsbrief / raw, abs=0.01)
    assert len(figures["targets_met"]) == 2
    index = figures["index"]
    assert (index["mode"], index["briefs"], index["pending_after"]) == ("rebuild", 300, 0)
    assert index["briefs_per_s"] > 0

    with django_db_blocker.unblock(), loading.use_sqlite(corpus_db):
        assert Brief.objects.count() == 300
        assert Revision.objects.filter(number=0, origin="import").count() == 300
        assert BriefTag.objects.values("brief").distinct().count() == 300
        brief = Brief.objects.get(pk=300)
        assert brief.revisions.get().content == content_of(brief).to_json()
        assert brief.body_html.startswith('<p><span class="source">')
        backend = get_backend("tantivy", path=index["path"])
        assert 300 in [pk for pk, _ in backend.search_ids(brief.title, limit=10)]

    # the peer holds exactly the rows newsbrief wrote in this run
    db = sqlite3.connect(corpus_db)
    db.execute("ATTACH DATABASE ? AS raw", (str(tmp_path / "corpus-300-seed1-raw.sqlite3"),))
    for table, columns in (
        ("briefs_brief", "*"),
        ("briefs_brieftag", "brief_id, category_id, position"),
        ("briefs_revision", "brief_id, number, created_at, editor_id, origin, content"),
    ):
        key = "id" if columns == "*" else "brief_id"
        ours = f"SELECT {columns} FROM main.{table} WHERE {key} > 150"
        theirs = f"SELECT {columns} FROM raw.{table}"
        for a, b in ((ours, theirs), (theirs, ours)):
            assert db.execute(f"SELECT count(*) FROM ({a} EXCEPT {b})").fetchone() == (0,)
        assert db.execute(f"SELECT count(*) FROM ({theirs})").fetchone()[0] > 0
    db.close()

    # a rerun finds the corpus loaded and the index current
    again = bench("--briefs", "300")
    assert again["loaded_now"] == 0 and again["import"] is None and not again["targets_met"]
    assert (again["index"]["mode"], again["index"]["briefs"]) == ("drain", 0)


@pytest.mark.postgres
@pytest.mark.django_db
def test_load_into_postgres():
    """``bench search --backend postgres`` loads into the configured database: complete briefs,
    and the id sequence past them, so the next brief saved the ordinary way gets a new id."""
    from newsbrief.bench import loading
    from newsbrief.briefs.models import Board, Brief, Revision
    from newsbrief.search.models import PendingChange

    assert loading.load(30, 1, jobs=1, progress=False).added == 30
    assert Revision.objects.count() == PendingChange.objects.count() == 30
    author = Brief.objects.get(pk=1).author
    brief = Brief.objects.create(board=Board.objects.get(), author=author, title="t", body="b")
    assert brief.pk == 31
