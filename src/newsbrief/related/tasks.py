"""The related index's background work, on the task queue (``newsbrief worker``).

Each task is safe to run any number of times, on any number of workers: the database says
what is due (pending entries; changes since the last generation), a claim or a lease keeps
two workers off the same work, and a periodic sweep redoes whatever a killed worker left.
"""

import logging

from django.db.models import Max
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task, on_startup

from . import entries, live
from .models import Generation, IndexChange, PendingEntry

log = logging.getLogger(__name__)

#: Compact once this many changes have piled up since the last generation (or hourly).
COMPACT_AFTER = 1000


@on_startup()
def warm() -> None:
    """A worker loads the model and the index when it starts, not in its first task."""
    live.warm()


@db_task()
def index_pending() -> int:
    """Compute the entries of pending briefs (one triggered after each change), then compact
    when the delta has grown large or there is no snapshot yet."""
    done = entries.drain()
    if done and _due(COMPACT_AFTER):
        compact()
    live.current(fresh=True)  # this process answers from what it just wrote
    return done


@db_task()
def store_related(brief_id: int) -> None:
    """After a publication: the brief's related messages (``proposals.store_on_publish``),
    ranked once its entry and every earlier change are indexed. Idempotent: it rewrites
    the system's links."""
    from newsbrief.briefs.models import Brief

    from .proposals import store_on_publish

    entries.drain()
    brief = Brief.objects.published().filter(pk=brief_id).first()
    if brief is not None:
        store_on_publish(brief)


@db_periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Pending briefs whose claim lapsed (a killed worker's), or whose trigger was lost."""
    if PendingEntry.objects.exists():
        index_pending()


@db_periodic_task(crontab(minute="17"))
def compact_hourly() -> None:
    """A fresh snapshot and tag model when anything changed since the last one."""
    if _due(1):
        compact()


@db_task()
@lock_task("related-compact")
def compact() -> None:
    from .snapshots import compact as build

    generation = build()
    log.info("Related index: %s", generation)


def _due(changes: int) -> bool:
    """No snapshot yet (and something to put in one), or ``changes`` since the last."""
    latest = Generation.objects.filter(complete=True).order_by("-pk").first()
    newest = IndexChange.objects.aggregate(at=Max("pk"))["at"] or 0
    if latest is None:
        return newest > 0
    return IndexChange.objects.filter(pk__gt=latest.watermark).count() >= changes and (
        newest > latest.watermark
    )
