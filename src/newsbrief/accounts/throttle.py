"""Sign-in throttling: repeated failures slow down, then lock, per account and per address.

After ``free`` failures under a key, each further attempt must wait twice as long as the
last (1 s, 2 s, 4 s ... up to ``max_delay``); at ``lock_after`` failures the key is locked
for ``lock_for``. Failures older than ``window`` are forgotten, and a successful sign-in
clears its keys. A refused attempt is not checked against the password at all, so a locked
account cannot be guessed at. Address limits are looser than account limits because many
readers may share one address (an office behind NAT).
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


def seconds_to_wait(username: str, address: str) -> int:
    """Whole seconds before this account may try again from this address (0: now)."""
    now = timezone.now()
    policies = _keys(username, address)
    rows = SignInThrottle.objects.filter(key__in=policies)
    wait = max((policies[row.key].wait(row, now) for row in rows), default=dt.timedelta(0))
    return math.ceil(wait.total_seconds())


@transaction.atomic
def record_failure(username: str, address: str) -> None:
    now = timezone.now()
    for key, policy in _keys(username, address).items():
        row, _ = SignInThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"last_failure": now}
        )
        if now - row.last_failure > policy.window:
            row.failures = 0
        row.failures += 1
        row.last_failure = now
        if row.failures >= policy.lock_after:
            row.locked_until = now + policy.lock_for
        row.save()
    # Forget what no policy remembers any longer, so the table stays small.
    stale = now - max(ACCOUNT.window, ADDRESS.window)
    SignInThrottle.objects.filter(last_failure__lt=stale).exclude(locked_until__gt=now).delete()


def clear(username: str, address: str) -> None:
    SignInThrottle.objects.filter(key__in=_keys(username, address)).delete()
