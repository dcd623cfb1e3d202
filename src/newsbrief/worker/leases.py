"""Leases and checkpoints in the database, shared by every worker on every machine (see the
package's docstring for the pattern they serve).

A lease is one row per name: taking it inserts the row, or takes over one whose time is up,
in a single conditional statement, so that two workers racing for it (on SQLite, whose
writers queue, or on PostgreSQL, which re-reads the row under its lock) never both win.
Take one in autocommit mode (a task, a command), not inside a transaction: until the
transaction commits, no other worker would see it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Checkpoint, Lease


class Busy(Exception):
    """Another worker holds the lease, until ``expires_at`` unless it renews it."""

    def __init__(self, name: str, expires_at: dt.datetime):
        super().__init__(f"{name} is held until {expires_at:%Y-%m-%d %H:%M:%S%z}")
        self.name, self.expires_at = name, expires_at


class LeaseLost(Exception):
    """The lease lapsed and another worker took it: stop, it is doing the work now."""


@dataclasses.dataclass(frozen=True)
class Held:
    name: str
    holder: str
    seconds: float

    def renew(self) -> None:
        """Keep the lease ``seconds`` more from now; ``LeaseLost`` if it is no longer ours."""
        if not Lease.objects.filter(name=self.name, holder=self.holder).update(
            expires_at=timezone.now() + dt.timedelta(seconds=self.seconds)
        ):
            raise LeaseLost(self.name)


@contextlib.contextmanager
def exclusive(name: str, seconds: float) -> Iterator[Held]:
    """Hold the lease ``name`` for at most ``seconds`` (renewable) while the block runs;
    ``Busy`` at once if another worker holds it. A worker that dies holding it blocks the
    work for ``seconds`` at most: choose it as the longest a step may take."""
    held = Held(name, f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}", seconds)
    _take(held)
    try:
        yield held
    finally:
        Lease.objects.filter(name=name, holder=held.holder).delete()


def _take(held: Held) -> None:
    now = timezone.now()
    until = now + dt.timedelta(seconds=held.seconds)
    if Lease.objects.filter(name=held.name, expires_at__lte=now).update(
        holder=held.holder, expires_at=until
    ):
        return
    try:
        with transaction.atomic():
            Lease.objects.create(name=held.name, holder=held.holder, expires_at=until)
    except IntegrityError:
        expires_at = Lease.objects.filter(name=held.name).values_list("expires_at", flat=True)
        raise Busy(held.name, expires_at.first() or now) from None


def checkpoint(name: str) -> dt.datetime | None:
    """The moment up to which the sweep ``name`` has done its work; None before its first."""
    return Checkpoint.objects.filter(name=name).values_list("moment", flat=True).first()


def advance(name: str, moment: dt.datetime) -> None:
    """Record that the sweep ``name`` has done its work up to ``moment`` (after doing it)."""
    Checkpoint.objects.update_or_create(name=name, defaults={"moment": moment})
