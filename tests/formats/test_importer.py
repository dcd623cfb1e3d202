"""Importing pages and archives: idempotent, atomic per page, references linked later."""

import datetime as dt
import io
import json
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings

from newsbrief.briefs.models import Brief, Category, RelatedLink, Revision
from newsbrief.briefs.publishing import content_of
from newsbrief.formats import seed
from newsbrief.formats.importer import export_jsonl, export_seed, exported, import_paths

from .test_seed import contents

pytestmark = pytest.mark.django_db
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
SEED_TITLE = "Taiwan-Japan Industrial Cooperation Office Comes Into Being"
FORUM = (
    "Taiwan and Japan Should Increase Sci-tech Cooperation, Especially after 311 Earthquake: "
    "Taiwan-Japan Science and Technology Forum"
)


def page(title="A title", when="March 1, 2012 10:00AM", extra="", author="ann") -> str:
    heading = f"[International Cooperation] {title}"
    return f"{author} / {when}\n\n{heading}\n\nCENS.com (2012/03/01) Body.\n{extra}"


def test_seed_page_is_stored_whole(seed_page):
    report = import_paths([seed_page], progress=False)
    assert (report.created, report.updated, report.unchanged, report.failures) == (1, 0, 0, [])
    brief = Brief.objects.get()
    assert brief.title == SEED_TITLE
    assert brief.author.get_username() == "techman"
    assert brief.published_at == dt.datetime(2012, 3, 20, 21, 20, tzinfo=TAIPEI)
    assert brief.tag_names() == ["International Cooperation"]
    assert (brief.source_name, brief.source_date) == ("CENS.com", dt.date(2012, 3, 19))
    assert brief.body_html.startswith('<p><span class="source">CENS.com (2012/03/19)</span> Taiwan')
    assert (
        brief.board.name == "National Science Council International Cooperation Sci-Tech Newsbrief"
    )
    assert [(x.label, x.date) for x in brief.source_links.all()] == [
        ("CENS.com", dt.date(2012, 3, 19))
    ]
    assert brief.status == Brief.Status.PUBLISHED


def test_edit_trail_is_kept_as_history(seed_page):
    import_paths([seed_page], progress=False)
    revision = Brief.objects.get().latest_revision()
    assert revision.number == 2
    assert revision.created_at == dt.datetime(2012, 3, 20, 21, 25, tzinfo=TAIPEI)
    assert revision.editor.get_username() == "techman"
    assert revision.origin == Revision.Origin.IMPORT
    assert revision.content["title"] == SEED_TITLE
    assert not revision.editor.has_usable_password()


def test_importing_twice_changes_nothing(seed_page):
    import_paths([seed_page], progress=False)
    before = content_of(Brief.objects.get()).to_json(), Revision.objects.count()
    report = import_paths([seed_page], progress=False)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (content_of(Brief.objects.get()).to_json(), Revision.objects.count()) == before


def test_an_edited_page_updates_the_brief_with_a_new_revision(seed_page):
    import_paths([seed_page], progress=False)
    text = seed_page.read_text().replace("Comes Into Being", "Is Established")
    text = text.replace("Edited 2 time(s).", "Edited 3 time(s).").replace(
        "03/20/2012 09:25PM", "03/21/2012 10:00AM"
    )
    seed_page.write_text(text, encoding="utf-8")
    report = import_paths([seed_page], progress=False)
    assert report.updated == 1
    brief = Brief.objects.get()
    assert brief.title == "Taiwan-Japan Industrial Cooperation Office Is Established"
    assert list(brief.revisions.values_list("number", flat=True)) == [2, 3]


def test_references_wait_for_their_brief_and_then_link(seed_page, tmp_path):
    import_paths([seed_page], progress=False)
    links = RelatedLink.objects.order_by("rank")
    assert [(x.cited_title, x.target) for x in links] == [
        (FORUM, None),
        ("Taiwan-Japan Cooperation on Metal Technology, Upgrading Heavy Industries", None),
    ]
    assert links[1].cited_tags == ["International Cooperation", "Metal Industry"]
    assert links[0].cited_date == dt.date(2011, 9, 5)

    forum = tmp_path / "forum.txt"
    forum.write_text(page(FORUM, when="September 5, 2011 09:10PM"), encoding="utf-8")
    import_paths([forum], progress=False)
    first = RelatedLink.objects.get(rank=0)
    assert first.target.title == FORUM and first.target_uid == first.target.uid
    assert RelatedLink.objects.get(rank=1).target is None
    # The citing page, imported again, is unchanged: the link it gained is not an edit.
    assert import_paths([seed_page], progress=False).unchanged == 1


def test_a_reference_to_a_different_date_is_not_linked(seed_page, tmp_path):
    import_paths([seed_page], progress=False)
    other = tmp_path / "other.txt"
    other.write_text(page(FORUM, when="September 6, 2011 09:10PM"), encoding="utf-8")
    import_paths([other], progress=False)
    assert RelatedLink.objects.get(rank=0).target is None


def test_a_citation_of_an_archived_brief_links_at_once(seed_page, tmp_path):
    forum = tmp_path / "a.txt"
    forum.write_text(page(FORUM, when="September 5, 2011 09:10PM"), encoding="utf-8")
    import_paths([forum, seed_page], progress=False)
    assert RelatedLink.objects.get(rank=0).target.title == FORUM
    assert list(Brief.objects.get(title=FORUM).cited_by.values_list("brief__title", flat=True)) == [
        SEED_TITLE
    ]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", 1, "empty"),
        (b"no header here\n\nBody\n", 1, "header"),
        (b"ann / March 40, 2012 10:00AM\n\n[T] Title\n\nBody\n", 1, "publication time"),
        (b"ann / March 1, 2012 10:00AM\n\n[T] Title\n\nBad \xff byte\n", 5, "invalid UTF-8"),
    ],
)
def test_a_malformed_page_names_file_and_line_writes_nothing_and_others_go_on(
    tmp_path, seed_page, content, line, message
):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    report = import_paths([bad, seed_page], progress=False)
    assert report.created == 1
    [failure] = report.failures
    assert (failure.path, failure.line) == (str(bad), line)
    assert message in failure.message
    assert str(failure).startswith(f"{bad}:{line}: ")
    assert Brief.objects.count() == 1


def test_a_page_that_cannot_be_saved_rolls_back_whole(tmp_path):
    key = "6f0c2b52-1f53-4a5c-9b77-2a3f43c0b2f1"
    pages = []
    for n in (1, 2):  # two English pages claiming to be versions of one item
        path = tmp_path / f"{n}.txt"
        version = f"([Chinese Version](urn:newsbrief:versions:{key}))"
        path.write_text(
            f"ann / March {n}, 2012 10:00AM\n\n[T] Title {n} {version}\n\nBody.\n",
            encoding="utf-8",
        )
        pages.append(path)
    report = import_paths(pages, progress=False)
    assert report.created == 1 and len(report.failures) == 1
    assert "could not be saved" in report.failures[0].message
    assert Brief.objects.count() == 1 and Category.objects.count() == 1


def test_script_in_a_title_is_stored_as_text_and_rendered_inert(tmp_path, client):
    path = tmp_path / "x.txt"
    path.write_text(
        page('<script>alert("t")</script> Title', extra="\n<img src=x onerror=alert(1)> more\n"),
        encoding="utf-8",
    )
    import_paths([path], progress=False)
    brief = Brief.objects.get()
    assert brief.title == '<script>alert("t")</script> Title'
    html = client.get(f"/en/briefs/{brief.pk}/").content.decode()
    assert "<script>alert" not in html and "onerror" not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; Title" in html


def test_directories_are_walked_and_many_files_show_progress(tmp_path, capsys):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(page(f"Title {n}", when=f"March {n + 1}, 2012 10:00AM"))
    (tmp_path / "README.md").write_text("not a page")
    report = import_paths([tmp_path], progress=True)
    assert report.created == 3 and not report.failures
    assert "3/3" in capsys.readouterr().err


def test_jsonl_round_trip_into_an_empty_archive(demo, write_file):
    out = io.StringIO()
    count = export_jsonl(out)
    before = {str(b.uid): exported(b).to_json() for b in Brief.objects.all()}
    categories = list(Category.objects.values_list("slug", "name_en", "name_zh_hant"))
    Brief.objects.all().delete()
    Category.objects.all().delete()
    archive = write_file(out.getvalue())
    report = import_paths([archive], progress=False)
    assert (report.created, report.failures) == (count, [])
    assert {str(b.uid): exported(b).to_json() for b in Brief.objects.all()} == before
    assert list(Category.objects.values_list("slug", "name_en", "name_zh_hant")) == categories
    assert import_paths([archive], progress=False).unchanged == count


def test_jsonl_bad_lines_are_reported_and_the_rest_imported(tmp_path):
    good = {
        "kind": "brief", "language": "en", "author": "ann", "title": "Fine",
        "body": "Text.", "published_at": "2012-03-01T02:00:00+00:00", "tags": ["Energy"],
    }  # fmt: skip
    lines = [
        "{not json",
        json.dumps({**good, "language": "fr"}),
        json.dumps({**good, "published_at": "2012-03-01T02:00:00"}),
        json.dumps({"kind": "brief", "title": "no body"}),
        json.dumps([1, 2]),
        json.dumps(good),
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths([path], progress=False)
    assert report.created == 1
    assert [f.line for f in report.failures] == [1, 2, 3, 4, 5]
    assert "not JSON" in report.failures[0].message
    assert "language" in report.failures[1].message
    assert "time zone" in report.failures[2].message
    assert "missing field" in report.failures[3].message


def test_seed_export_then_import_gives_the_same_briefs(demo, tmp_path):
    before = {str(b.uid): exported(b).to_json() for b in Brief.objects.all()}
    assert export_seed(tmp_path) == len(before)
    Brief.objects.all().delete()
    report = import_paths([tmp_path], progress=False)
    assert (report.created, report.failures) == (len(before), [])
    assert {str(b.uid): exported(b).to_json() for b in Brief.objects.all()} == before


# write_file only makes fresh files, so sharing it across examples is safe.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=contents())
def test_property_seed_export_then_import_gives_back_the_brief(content, write_file):
    Brief.objects.all().delete()  # examples share the test's transaction
    saved = import_paths([write_file(seed.render(content), ".txt")], progress=False)
    assert not saved.failures
    brief = Brief.objects.get(uid=content.uid)
    first = exported(brief)
    assert first.to_json() == content.to_json()
    assert first.trail == content.trail
    Brief.objects.filter(pk=brief.pk).delete()
    report = import_paths([write_file(seed.render(first), ".txt")], progress=False)
    assert report.created == 1, report.failures
    again = exported(Brief.objects.get(uid=content.uid))
    assert (again.to_json(), again.trail) == (first.to_json(), first.trail)


@pytest.fixture
def write_file(tmp_path):
    """``write_file(text, suffix)``: a new file in the test's temporary directory."""
    counter = iter(range(1_000_000))

    def write(text: str, suffix: str = ".jsonl") -> Path:
        path = tmp_path / f"{next(counter)}{suffix}"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_import_command_prints_a_summary_and_fails_on_errors(seed_page, tmp_path):
    out = io.StringIO()
    call_command("import", str(seed_page), "--no-progress", stdout=out)
    assert "imported 1 (1 new, 0 updated), unchanged 0, failed 0" in out.getvalue()
    bad = tmp_path / "bad.txt"
    bad.write_text("junk")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(bad), str(seed_page), "--no-progress", stdout=out, stderr=err)
    assert f"{bad}:1:" in err.getvalue()
    assert "unchanged 1, failed 1" in out.getvalue()


def test_missing_and_oversized_files_are_reported(tmp_path, seed_page, monkeypatch):
    from newsbrief.formats import importer

    monkeypatch.setattr(importer, "MAX_PAGE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text(page(extra="x" * 2000), encoding="utf-8")
    missing = tmp_path / "missing.txt"
    report = import_paths([missing, big, seed_page], progress=False)
    messages = {f.path: f.message for f in report.failures}
    assert "No such file" in messages[str(missing)]
    assert "over the 1000 limit" in messages[str(big)]
    assert report.created == 0 and len(report.failures) == 3  # the seed page is 2.6 kB too


def test_overlong_fields_are_refused_before_the_database(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(page("T" * 501), encoding="utf-8")
    [failure] = import_paths([path], progress=False).failures
    assert "title: 501 characters, over the limit of 500" in failure.message
    assert not Brief.objects.exists()


def test_an_overlong_jsonl_record_is_skipped_and_the_next_one_read(tmp_path, monkeypatch):
    from newsbrief.formats import importer

    monkeypatch.setattr(importer, "record_limit", lambda: 300)
    record = {
        "kind": "brief", "language": "en", "author": "ann", "title": "Fine",
        "body": "Text.", "published_at": "2012-03-01T02:00:00+00:00",
    }  # fmt: skip
    lines = [json.dumps({**record, "body": "x" * 1000}), json.dumps(record)]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths([path], progress=False)
    assert report.created == 1
    assert [(f.line, f.message) for f in report.failures] == [
        (1, "the record is over the 300 byte limit")
    ]
