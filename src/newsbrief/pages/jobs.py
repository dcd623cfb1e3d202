"""The page cache's background job: a brief scheduled for later appears on its pages when its
time comes, with nothing saved at that moment to drop them. ``newsbrief serve`` runs
``newsbrief pages release --follow`` beside its workers; where the board runs under another
server, run that, or ``newsbrief pages release`` from a timer (it is idempotent, any number of
servers may run it).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import close_old_connections
from django.utils import timezone

from newsbrief.briefs.models import Brief

from .dependencies import showing
from .store import get_store

log = logging.getLogger(__name__)

#: How often the job looks for briefs scheduled since its last look, at most (seconds).
INTERVAL = 5.0


def release_due(since: dt.datetime, until: dt.datetime) -> int:
    """Drop the pages of briefs whose publication time is in (since, until]; how many."""
    due = list(
        Brief.objects.filter(
            status=Brief.Status.PUBLISHED, published_at__gt=since, published_at__lte=until
        ).values_list("pk", flat=True)
    )
    if due:
        get_store().invalidate(showing(due))
    return len(due)


def release_forever(stop: threading.Event, since: dt.datetime | None = None) -> None:
    since = since or timezone.now()
    pause = 0.0
    while not stop.wait(pause):
        now = timezone.now()
        try:
            released = release_due(since, now)
            pause = _pause(now)
        except Exception:  # the database went away for a moment: try again next time
            log.exception("Could not release the pages of scheduled briefs")
            pause = INTERVAL
            continue
        finally:
            close_old_connections()
        if released:
            log.info("Released %d scheduled brief(s)", released)
        since = now


def _pause(now: dt.datetime) -> float:
    """Until the next scheduled brief is due after ``now`` (the moment just released up to),
    at most ``INTERVAL``."""
    upcoming = (
        Brief.objects.filter(status=Brief.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        return INTERVAL
    return min(INTERVAL, max(0.0, (upcoming - now).total_seconds()) + 0.01)
