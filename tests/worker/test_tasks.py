"""The tasks of the apps, run in the test's process (the suite's queue is in immediate mode):
each does what is due, once, and the sweeps are registered on their schedules."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.utils import timezone

from newsbrief.briefs.models import Brief
from newsbrief.digest.tasks import send_digests
from newsbrief.ingest import tasks as ingest_tasks
from newsbrief.ingest.ingesting import Report
from newsbrief.ingest.models import Source
from newsbrief.pages import jobs
from newsbrief.pages.tasks import release_pages, release_pages_now
from newsbrief.related import tasks as related_tasks
from newsbrief.worker.leases import exclusive
from newsbrief.worker.sweeps import SWEEPS, every
from tests.factories import make_brief

pytestmark = pytest.mark.django_db


def test_the_sweeps_are_registered_on_their_schedules(settings):
    assert {task.name for task in SWEEPS} == {
        "release_pages",
        "ingest_sources",
        "send_digests",
        "index_sweep",
        "compact_sweep",
        "propose_sweep",
    }

    def minutes(task) -> list[int]:
        schedule = task.task_class(None)
        return [m for m in range(60) if schedule.validate_datetime(dt.datetime(2026, 12, 1, 9, m))]

    assert minutes(release_pages) == minutes(ingest_tasks.ingest_sources) == list(range(60))
    assert settings.NEWSBRIEF_DIGEST_INTERVAL == 15
    assert minutes(send_digests) == [0, 15, 30, 45]
    assert minutes(related_tasks.index_sweep) == list(range(60))
    assert len(minutes(related_tasks.compact_sweep)) == 1


def test_every_counts_minutes_from_the_epoch():
    due = every(minutes=7)
    start = dt.datetime(2026, 12, 1, 0, 0)
    hits = [m for m in range(60 * 24) if due(start + dt.timedelta(minutes=m))]
    assert len(hits) in (205, 206) and all(b - a == 7 for a, b in itertools.pairwise(hits))


def test_scheduling_a_brief_queues_the_release_at_its_time(
    queue, django_capture_on_commit_callbacks
):
    at = (timezone.now() + dt.timedelta(minutes=10)).replace(microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        make_brief("Scheduled news", published_at=at)
        make_brief("Out now")
    [task] = queue.scheduled()
    assert task.name == release_pages_now.name
    assert task.eta == at.astimezone(dt.UTC).replace(tzinfo=None)


def test_the_release_drops_what_came_due_since_the_last_one_once(monkeypatch):
    released = []
    monkeypatch.setattr(jobs, "release_due", lambda since, until: released.append(since) or 0)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        jobs.release()
        assert released == [start - jobs.FIRST_LOOK_BACK]
        clock.shift(dt.timedelta(seconds=40))
        release_pages_now()
        clock.shift(dt.timedelta(seconds=40))
        release_pages()
    assert released[1:] == [start, start + dt.timedelta(seconds=40)]


def test_a_scheduled_brief_is_released_by_the_first_run_after_its_time():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        jobs.release()
        make_brief("Scheduled news", published_at=start + dt.timedelta(seconds=30))
        clock.shift(dt.timedelta(seconds=20))
        assert jobs.release() == 0
        clock.shift(dt.timedelta(seconds=20))
        assert jobs.release() == 1
        assert jobs.release() == 0  # done: the next run finds nothing new
    assert Brief.objects.get(title="Scheduled news").status == Brief.Status.PUBLISHED


def test_a_task_that_finds_its_lease_held_tries_once_more_when_it_would_lapse(queue):
    with exclusive(jobs.RELEASE, seconds=60):
        release_pages()  # busy: queued again for when the lease lapses
        [retry] = queue.scheduled()
        assert retry.kwargs == {"busy_retry": False}
        release_pages(busy_retry=False)  # busy again: a live holder does the work
    assert len(queue.scheduled()) == 1


def test_ingestion_fetches_each_active_source_when_its_interval_has_passed(settings, monkeypatch):
    settings.NEWSBRIEF_INGEST_INTERVAL = 30
    now = timezone.now()

    def source(name, minutes_ago=None, active=True):
        fetched = None if minutes_ago is None else now - dt.timedelta(minutes=minutes_ago)
        return Source.objects.create(
            name=name, url=f"https://{name}.example/feed", language="en", active=active,
            last_fetched_at=fetched,
        )  # fmt: skip

    fetched = []

    def ingest(sources):
        for item in sources:
            fetched.append(item.name)
            Source.objects.filter(pk=item.pk).update(last_fetched_at=timezone.now())
        return Report()

    monkeypatch.setattr(ingest_tasks, "ingest", ingest)
    source("new")
    source("recent", minutes_ago=10)
    source("stale", minutes_ago=40)
    source("held", minutes_ago=40)
    source("off", active=False)
    held = Source.objects.get(name="held")
    with exclusive(f"ingest.source.{held.pk}", seconds=60):
        ingest_tasks.ingest_sources()  # another worker is on "held"
    assert fetched == ["new", "stale"]
    ingest_tasks.ingest_sources()
    assert fetched == ["new", "stale", "held"]
    ingest_tasks.ingest_sources()
    assert fetched == ["new", "stale", "held"]  # nothing due until the interval passes
