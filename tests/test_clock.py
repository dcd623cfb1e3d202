"""The tests of time (digests, scheduled publishing) pass at the moments that broke them or
could: each moment is a pytest of its own, in a child process with ``NEWSBRIEF_TEST_CLOCK``
(see ``conftest.test_clock``) and its own data directory and database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The digests and every way of publishing at a time (desk, API), and where that shows.
TIME_TESTS = [
    "tests/digest/test_send.py",
    "tests/desk/test_workflow.py::test_submit_publish_schedule_and_unpublish",
    "tests/api/test_writing.py::test_publishing_later_schedules",
    "tests/api/test_reading.py::test_drafts_and_scheduled_briefs_are_invisible_to_the_public",
    "tests/briefs/test_pages.py::test_drafts_and_future_briefs_are_not_shown",
    "tests/feeds/test_feeds.py::test_only_published_briefs_whose_time_has_come",
    "tests/pages/test_page_cache.py::test_a_scheduled_brief_appears_when_its_time_comes",
]

MOMENTS = {
    # 00:30 in Taipei: the first hour of the day, when the clock is behind a digest run's time.
    "taipei-first-hour": ("2026-12-01T16:30:00+00:00", "Asia/Taipei"),
    # The last second of a month and a year, board time: the day, month and year turn mid-run.
    "taipei-new-year": ("2026-12-31T23:59:59+08:00", "Asia/Taipei"),
    # Half an hour before New York falls back: 01:00-02:00 comes twice that night.
    "new-york-fall-back": ("2026-11-01T01:30:00-04:00", "America/New_York"),
}


def child(moment: str, zone: str, where: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "NEWSBRIEF_TEST_CLOCK": moment,
        "NEWSBRIEF_TIME_ZONE": zone,
        "NEWSBRIEF_DATA_DIR": str(where / "data"),
        "DATABASE_URL": f"sqlite:///{where / 'data' / 'test.sqlite3'}",
    }
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += [f"--basetemp={where / 'basetemp'}", *TIME_TESTS]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.fixture(scope="module")
def children(tmp_path_factory):
    """The moments' runs, all started at once: most of each is Django's and pytest's start."""
    runs = {
        name: child(moment, zone, tmp_path_factory.mktemp(name))
        for name, (moment, zone) in MOMENTS.items()
    }
    yield runs
    for run in runs.values():
        if run.poll() is None:
            run.kill()
            run.communicate()


# On SQLite only: the children use a SQLite file of their own whatever the parent uses, so
# the PostgreSQL run would repeat the same thing.
@pytest.mark.sqlite
@pytest.mark.parametrize("name", MOMENTS)
def test_the_tests_of_time_pass_at(name, children):
    moment, zone = MOMENTS[name]
    output, _ = children[name].communicate(timeout=300)
    assert children[name].returncode == 0, f"at {moment} in {zone}:\n{output}"
