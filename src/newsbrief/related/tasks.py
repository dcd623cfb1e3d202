"""The related index's background work, on the task queue (``newsbrief worker``), in the
pattern of ``newsbrief.worker``: the database says what is due (pending entries, changes since
the last generation), claims and a lease keep two workers off the same work, and sweeps redo
whatever a killed worker left.
"""

import logging

from django.db.models import Max
from huey.contrib.djhuey import on_startup

from newsbrief.worker.leases import Busy, exclusive
from newsbrief.worker.sweeps import every, sweep, triggered

from . import entries, live
from .models import Generation, IndexChange, PendingEntry

log = logging.getLogger(__name__)

#: Compact once this many changes have piled up since the last generation (or hourly).
COMPACT_AFTER = 1000
#: The longest a compaction may hold its lease without renewing it.
COMPACT_LEASE = 30 * 60


@on_startup()
def warm() -> None:
    """A worker loads the model and the index when it starts, not in its first task."""
    live.warm()


@triggered
def index_pending() -> int:
    """Compute the entries of pending briefs (queued after each change), then compact when
    the delta has grown large or there is no snapshot yet."""
    done = entries.drain()
    if done and _due(COMPACT_AFTER):
        _compact()
    live.current(fresh=True)  # this process answers from what it just wrote
    return done


@triggered
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


@sweep(every(minutes=1))
def index_sweep() -> None:
    """Pending briefs whose claim lapsed (a killed worker's), or whose message was lost."""
    if PendingEntry.objects.exists():
        index_pending.call_local()


@sweep(every(minutes=60))
def compact_sweep() -> None:
    """A fresh snapshot and tag model when anything changed since the last one."""
    if _due(1):
        _compact()


def _compact() -> None:
    from .snapshots import compact

    try:
        with exclusive("related.compact", COMPACT_LEASE):
            log.info("Related index: %s", compact())
    except Busy:
        log.info("Related index: another worker is compacting")
    live.current(fresh=True)


def _due(changes: int) -> bool:
    """No snapshot yet (and something to put in one), or ``changes`` since the last."""
    latest = Generation.objects.filter(complete=True).order_by("-pk").first()
    newest = IndexChange.objects.aggregate(at=Max("pk"))["at"] or 0
    if latest is None:
        return newest > 0
    return newest > latest.watermark and (
        IndexChange.objects.filter(pk__gt=latest.watermark).count() >= changes
    )
