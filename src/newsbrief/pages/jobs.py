"""The page cache's background job: a brief scheduled for later appears on its pages when its
time comes, with nothing saved at that moment to drop them. ``newsbrief worker`` runs it
(``tasks.py``): at each brief's publication time, queued when the brief is scheduled, and
every minute as the safety net, each run releasing whatever came due since the last one
(a checkpoint in the database), so a run that is lost or cut off is made up by the next.
``newsbrief pages release`` does it once by hand, for a look-back window.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from newsbrief.briefs.models import Brief
from newsbrief.worker.leases import advance, checkpoint, exclusive

from .dependencies import showing
from .store import get_store

#: The lease and checkpoint of the release.
RELEASE = "pages.release"
#: How far back the very first release looks (there is no checkpoint yet).
FIRST_LOOK_BACK = dt.timedelta(minutes=5)


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


def release() -> int:
    """Drop the pages of the briefs that came due since the last release, up to now; how many.
    One worker at a time; the checkpoint moves only once the pages are dropped."""
    # A short lease: the work takes milliseconds, and a release queued for a brief's time that
    # finds it taken tries again when it lapses.
    with exclusive(RELEASE, seconds=10):
        now = timezone.now()
        count = release_due(checkpoint(RELEASE) or now - FIRST_LOOK_BACK, now)
        advance(RELEASE, now)
    return count
