"""Two ``newsbrief import`` runs of the same files at once, in two processes: each brief,
category and account is stored once, one run imports each page and the other finds it
unchanged, and neither fails (issue 16: on PostgreSQL the run that lost a race to insert a
brief reported a false ``duplicate key`` failure for it, and exited 1)."""

import datetime as dt
import io
import multiprocessing
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from newsbrief.briefs.models import Brief, Category, Revision
from newsbrief.formats import jsonl, seed
from tests.factories import brief_content
from tests.races import followers_muted, race

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = 30
RECORDS = 30
TAGS = ["Energy", "Space", "Semiconductors", "Biotech", "Robots", "Materials"]
AUTHORS = ["ann", "bo", "cy", "di"]
START = dt.datetime(2012, 3, 1, 2, 0, tzinfo=dt.UTC)


def content(n: int):
    return brief_content(
        f"Brief number {n}",
        uid=uuid.UUID(int=n + 1),
        body=f"The text of brief {n}.",
        author=AUTHORS[n % len(AUTHORS)],
        published_at=START + dt.timedelta(hours=n),
        tags=(TAGS[n % len(TAGS)], TAGS[(n * 7 + 1) % len(TAGS)]),
        source_name="CNA",
        source_date=dt.date(2012, 3, 1),
    )


@pytest.fixture
def files(tmp_path):
    """Seed pages, and an archive of categories, accounts and more briefs, all new to the
    board: what both runs would race to create."""
    folder = tmp_path / "import"
    folder.mkdir()
    for n in range(PAGES):
        (folder / f"{n:03}.txt").write_text(seed.render(content(n)), encoding="utf-8")
    records = [jsonl.CategoryRecord(slug=tag.lower(), name_en=tag) for tag in TAGS[::2]]
    records += [jsonl.UserRecord(name, first_name=name.title()) for name in AUTHORS]
    records += [
        jsonl.BriefRecord(content(n), status="published") for n in range(PAGES, PAGES + RECORDS)
    ]
    lines = [jsonl.write(record) + "\n" for record in records]
    (folder / "archive.jsonl").write_text("".join(lines), encoding="utf-8")
    return folder


def test_two_imports_of_the_same_files_at_once_store_each_brief_once(files):
    summaries = multiprocessing.get_context("fork").Queue()

    def run_import(n):
        def act():
            out = io.StringIO()
            call_command("import", "--no-progress", str(files), stdout=out, stderr=io.StringIO())
            summaries.put(out.getvalue())

        return act

    with followers_muted():
        race(1, [run_import, run_import], processes=True)  # a run that fails fails the race
    counts = [
        re.search(r"\((\d+) new, (\d+) updated\), unchanged (\d+), failed 0", summaries.get())
        for _run in range(2)
    ]
    created, updated, unchanged = (sum(int(c[i]) for c in counts) for i in (1, 2, 3))
    briefs = PAGES + RECORDS
    assert (created, updated, unchanged) == (briefs, 0, briefs)
    assert Brief.objects.count() == Revision.objects.count() == briefs
    assert Category.objects.count() == len(TAGS)
    assert sorted(get_user_model().objects.values_list("username", flat=True)) == AUTHORS
