"""Sign-in throttling: repeated failures slow down, then lock, per account and per address.

After ``free`` failures under a key, each further attempt must wait twice as long as the
last (1 s, 2 s, 4 s ... up to ``max_delay``); at ``lock_after`` failures the key is locked
for ``lock_for``. Failures older than ``window`` are forgotten, and a successful sign-in
clears its keys. A refused attempt is not checked against the password at all, so a locked
account cannot be guessed at. Address limits are looser than account limits because many
readers may share one address (an office behind NAT).

The throttle sits in the authentication backend (``backends.py``), so every way in counts
against the same keys: the board's sign-in page, the admin's, and anything else that calls
``authenticate``. Each attempt is counted as a failure *before* its password is checked, under
the keys' row locks (``reserve``), and a success clears it: concurrent attempts queue on the
rows, and no more of them reach the password than the policy lets through.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SignInThrottle


@dataclasses.dataclass(frozen=True)
class Policy:
    free: int
    lock_after: int
    lock_for: dt.timedelta = dt.timedelta(minutes=15)
    max_delay: dt.timedelta = dt.timedelta(minutes=1)
    window: dt.timedelta = dt.timedelta(hours=1)

    def wait(self, row: SignInThrottle, now: dt.datetime) -> dt.timedelta:
        """How long ``row``'s key must still wait before its next attempt."""
        if row.locked_until and row.locked_until > now:
            return row.locked_until - now
        if now - row.last_failure > self.window or row.failures < self.free:
            return dt.timedelta(0)
        delay = min(dt.timedelta(seconds=2 ** (row.failures - self.free)), self.max_delay)
        return max(row.last_failure + delay - now, dt.timedelta(0))


ACCOUNT = Policy(free=3, lock_after=10)
ADDRESS = Policy(free=10, lock_after=50)


def client_address(request) -> str:
    """The client's address; behind a proxy, the header named by
    ``NEWSBRIEF_CLIENT_IP_HEADER`` (its first entry) when set."""
    header = getattr(settings, "NEWSBRIEF_CLIENT_IP_HEADER", "")
    forwarded = request.META.get(header, "") if header else ""
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def _keys(username: str, address: str) -> dict[str, Policy]:
    return {f"account:{username.strip().lower()}"[:200]: ACCOUNT, f"address:{address}": ADDRESS}


@transaction.atomic
def reserve(username: str, address: str) -> int:
    """Take one attempt under the account's and the address's keys: 0, and the attempt is
    counted as a failure until ``clear`` says it succeeded; or the whole seconds to wait, and
    nothing is counted."""
    now = timezone.now()
    policies = _keys(username, address)
    # Every key gets its row first, so that the lock below always has a row to hold; sorted,
    # so that two attempts sharing keys lock them in the same order and never deadlock.
    keys = sorted(policies)
    SignInThrottle.objects.bulk_create(
        [SignInThrottle(key=key, last_failure=now) for key in keys], ignore_conflicts=True
    )
    rows = list(SignInThrottle.objects.select_for_update().filter(key__in=keys).order_by("key"))
    wait = max((policies[row.key].wait(row, now) for row in rows), default=dt.timedelta(0))
    if wait:
        return math.ceil(wait.total_seconds())
    for row in rows:
        policy = policies[row.key]
        if now - row.last_failure > policy.window:
            row.failures = 0
        row.failures += 1
        row.last_failure = now
        if row.failures >= policy.lock_after:
            row.locked_until = now + policy.lock_for
        row.save()
    # Forget what no policy remembers any longer, so the table stays small; rows another
    # attempt holds are skipped rather than waited for (waiting could deadlock with it).
    stale = now - max(ACCOUNT.window, ADDRESS.window)
    forgotten = (
        SignInThrottle.objects.select_for_update(skip_locked=True)
        .filter(last_failure__lt=stale)
        .exclude(locked_until__gt=now)
        .values_list("pk", flat=True)
    )
    SignInThrottle.objects.filter(pk__in=list(forgotten)).delete()
    return 0


@transaction.atomic
def clear(username: str, address: str) -> None:
    """Forget the keys' failures (a sign-in succeeded), locking them in ``reserve``'s order."""
    keys = _keys(username, address)
    rows = SignInThrottle.objects.select_for_update().filter(key__in=keys).order_by("key")
    SignInThrottle.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).delete()


def refused_for(request) -> int:
    """The seconds the backend told this request to wait (0: it was not refused)."""
    return getattr(request, "sign_in_retry_after", 0)
