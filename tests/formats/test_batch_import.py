"""Archives are saved in batches: the database ends as record-by-record saving leaves it, a bad
record fails alone, an interrupted import finishes when run again, and followers hear every
brief."""

import dataclasses
import datetime as dt
import uuid
import zoneinfo

import pytest
from django.contrib.auth import get_user_model

from newsbrief.briefs import listing
from newsbrief.briefs.content import BriefContent, Citation, Link
from newsbrief.briefs.models import (
    Brief,
    BriefTag,
    CategoryCount,
    LegacyAddress,
    MonthCount,
    RelatedLink,
    Revision,
    SourceLink,
)
from newsbrief.briefs.signals import brief_saved, briefs_saved
from newsbrief.formats import importer, jsonl
from newsbrief.formats.importer import import_paths
from newsbrief.search.models import PendingChange

pytestmark = pytest.mark.django_db
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
COUNT = 23


def _uid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n + 1)


def _content(n: int) -> BriefContent:
    """Brief ``n`` cites the one three before it by title and date (linked at once) and the
    one three after it by uid (linked when that one comes), across batches of a few."""
    published = dt.datetime(2012, 1 + n % 12, 1 + n % 27, 9, 0, tzinfo=TAIPEI)
    related = []
    if n >= 3:
        earlier = dt.datetime(2012, 1 + (n - 3) % 12, 1 + (n - 3) % 27, tzinfo=TAIPEI)
        related.append(Citation(f"Brief {n - 3}", ("Energy",), earlier.date()))
    if n + 3 < COUNT:
        related.append(Citation(f"Brief {n + 3}", ("Space",), uid=_uid(n + 3)))
    return BriefContent(
        uid=_uid(n),
        translation_key=uuid.UUID(int=1000 + n),
        language="zh-hant" if n % 4 == 3 else "en",
        author=f"author{n % 3}",
        published_at=published,
        title=f"Brief {n}",
        tags=(["Energy", "Space", "Chips"][n % 3], "Policy") if n % 5 else (),
        source_name="CENS.com",
        source_date=published.date(),
        body=f"Body of brief {n}.\n\nA second paragraph.",
        links=(Link("CENS.com", f"https://example.com/{n}", published.date()),),
        related=tuple(related),
    )


def _record(n: int) -> jsonl.BriefRecord:
    status = [Brief.Status.PUBLISHED] * 3 + [Brief.Status.DRAFT]
    return jsonl.BriefRecord(
        content=_content(n),
        status=status[n % 4],
        legacy_urls=(f"/read.php?1,{n},{n}",) if n % 2 else (),
    )


@pytest.fixture
def archive(tmp_path):
    def write(records=None, name="archive.jsonl"):
        records = [_record(n) for n in range(COUNT)] if records is None else records
        lines = [jsonl.write(jsonl.Header(jsonl.VERSION))]
        lines += [r if isinstance(r, str) else jsonl.write(r) for r in records]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def state() -> dict:
    """The archive as rows, without the ids and times that differ between two databases."""
    uid = dict(Brief.objects.values_list("pk", "uid"))
    user = dict(get_user_model().objects.values_list("pk", "username"))
    return {
        "briefs": sorted(
            (
                uid[b.pk],
                b.translation_key,
                b.board.name,
                b.language,
                b.title,
                b.body,
                b.body_html,
                b.source_name,
                b.source_date,
                user[b.author_id],
                b.status,
                b.published_at,
            )
            for b in Brief.objects.select_related("board")
        ),
        "tags": sorted(
            (uid[t.brief_id], t.position, t.category.slug, t.language, t.status, t.published_at)
            for t in BriefTag.objects.select_related("category")
        ),
        "links": sorted(
            (uid[x.brief_id], x.position, x.label, x.url, x.date) for x in SourceLink.objects.all()
        ),
        "related": sorted(
            (
                uid[r.brief_id],
                r.rank,
                r.target_id and uid[r.target_id],
                r.target_uid,
                r.cited_title,
                r.cited_date,
                r.origin,
            )
            for r in RelatedLink.objects.all()
        ),
        "revisions": sorted(
            (uid[r.brief_id], r.number, r.created_at, user[r.editor_id], r.origin, str(r.content))
            for r in Revision.objects.all()
        ),
        "addresses": sorted((a.address, uid[a.brief_id]) for a in LegacyAddress.objects.all()),
        "counts": sorted(
            [(c.language, c.category.slug, c.count) for c in CategoryCount.objects.all()]
            + [(m.language, str(m.month), m.count) for m in MonthCount.objects.all()]
        ),
        "outbox": sorted(
            uid.get(p, p) for p in PendingChange.objects.values_list("brief_id", flat=True)
        ),
    }


def _wipe() -> None:
    Brief.objects.all().delete()
    PendingChange.objects.all().delete()


def _one_by_one(monkeypatch, path) -> dict:
    with monkeypatch.context() as m:
        m.setattr(importer, "BATCH", 1)
        assert import_paths([path], progress=False).created == COUNT
    return state()


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 5)


def test_batches_leave_the_database_as_saving_one_by_one_does(archive, small_batches, monkeypatch):
    path = archive()
    alone = _one_by_one(monkeypatch, path)
    _wipe()
    report = import_paths([path], progress=False)
    assert (report.created, report.updated, report.unchanged, report.failures) == (COUNT, 0, 0, [])
    assert state() == alone
    assert listing.recount() == 0  # the kept counts are what counting from scratch gives


def test_related_links_resolve_across_batches_both_ways(archive, small_batches):
    import_paths([archive()], progress=False)
    for n in range(3, COUNT - 3):
        links = {r.cited_title: r.target for r in RelatedLink.objects.filter(brief__uid=_uid(n))}
        assert links[f"Brief {n - 3}"].uid == _uid(n - 3)  # earlier, by title and date
        assert links[f"Brief {n + 3}"].uid == _uid(n + 3)  # later, waited for it
    assert not RelatedLink.objects.filter(target=None).exists()


def test_a_second_run_changes_nothing(archive, small_batches):
    path = archive()
    import_paths([path], progress=False)
    before = state()
    report = import_paths([path], progress=False)
    assert (report.created, report.updated, report.unchanged) == (0, 0, COUNT)
    assert state() == before


def test_a_bad_record_fails_alone_and_the_rest_of_its_batch_goes_in(archive, small_batches):
    records = [_record(n) for n in range(COUNT)]
    records[7] = dataclasses.replace(records[7], status="lost")  # line 9 (after the header)
    records[12] = '{"kind": "brief", "title": 5}'  # unreadable: line 14
    path = archive(records)
    report = import_paths([path], progress=False)
    assert str(report.failures[0]) == f"{path}:9: unknown status 'lost'"
    assert [f.line for f in report.failures] == [9, 14]
    assert report.created == COUNT - 2
    assert not Brief.objects.filter(uid__in=[_uid(7), _uid(12)]).exists()
    assert listing.recount() == 0


def test_a_killed_import_run_again_ends_as_an_uninterrupted_one(
    archive, small_batches, monkeypatch
):
    path = archive()
    import_paths([path], progress=False)
    whole = state()
    _wipe()
    save, calls = importer._save, []

    def killed(unit):
        calls.append(unit)
        if len(calls) == 13:  # in the third batch
            raise KeyboardInterrupt
        return save(unit)

    with monkeypatch.context() as m:
        m.setattr(importer, "_save", killed)
        with pytest.raises(KeyboardInterrupt):
            import_paths([path], progress=False)
    assert Brief.objects.count() == 10  # two batches committed whole, the third not at all
    report = import_paths([path], progress=False)
    assert (report.created, report.unchanged) == (COUNT - 10, 10)
    assert state() == whole


def test_followers_hear_each_brief_after_commit_then_the_batch(
    archive, small_batches, django_capture_on_commit_callbacks
):
    heard = []

    def each(sender, brief, batched=False, **kwargs):
        heard.append((brief.uid, batched))

    def whole(sender, briefs, **kwargs):
        heard.append([b.uid for b in briefs])

    brief_saved.connect(each, weak=False)
    briefs_saved.connect(whole, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_paths([archive()], progress=False)
            assert heard == []  # nothing before commit
    finally:
        brief_saved.disconnect(each)
        briefs_saved.disconnect(whole)
    expected = []
    for start in range(0, COUNT, 5):
        batch = [_uid(n) for n in range(start, min(start + 5, COUNT))]
        expected += [(uid, True) for uid in batch] + [batch]
    assert heard == expected
