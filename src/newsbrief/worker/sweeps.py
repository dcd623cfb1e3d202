"""The two kinds of task (see the package's docstring): ``sweep``, periodic, which redoes
whatever the database says is due, and ``triggered``, queued when something changes. Both
run with Huey's Django integration (database connections closed around each run), and both
meet a lease another worker holds (``Busy``) the same way: once more when it would lapse
(its holder may have died), then no more (a live holder is doing the work)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable

from huey.contrib.djhuey import db_periodic_task, db_task

from .leases import Busy

log = logging.getLogger(__name__)

#: Every sweep, in the order defined: ``newsbrief worker`` queues them all when it starts.
SWEEPS: list = []


def every(minutes: int) -> Callable[[dt.datetime], bool]:
    """A periodic schedule: every ``minutes`` minutes, counted from the Unix epoch (Huey asks
    once a minute, with the UTC time)."""

    def due(moment: dt.datetime) -> bool:
        epoch_minute = int(moment.replace(tzinfo=dt.UTC).timestamp()) // 60
        return epoch_minute % minutes == 0

    due.minutes = minutes
    return due


def sweep(schedule: Callable[[dt.datetime], bool]):
    """A periodic task on ``schedule`` that ``newsbrief worker`` also runs at its start."""

    def decorate(fn):
        task = db_periodic_task(schedule, name=fn.__name__)(_busy_later(fn, lambda: task))
        SWEEPS.append(task)
        return task

    return decorate


def triggered(fn):
    """A task queued on a change (``task(...)``, or ``task.schedule(..., eta=when)``)."""
    task = db_task(name=fn.__name__)(_busy_later(fn, lambda: task))
    return task


def _busy_later(fn, task):
    @functools.wraps(fn)
    def run(*args, busy_retry: bool = True, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Busy as busy:
            if not busy_retry:
                log.info("%s: skipped, %s", fn.__name__, busy)
                return None
            log.info("%s: %s; trying again then", fn.__name__, busy)
            retry = {**kwargs, "busy_retry": False}
            task().schedule(args, retry, eta=busy.expires_at + dt.timedelta(seconds=0.5))
            return None

    return run
