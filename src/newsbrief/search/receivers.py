"""Every change to a brief leaves an outbox row in its own transaction, then, once it commits,
wakes the drain. ``post_save`` and ``post_delete`` of ``Brief`` see every change: each publish,
edit and unpublish saves the brief (``briefs.publishing``), and so does the admin. Renaming a
category changes every brief it tags (its names are searchable), so it queues them all.

The drain runs in a background thread, so a save does not wait for the index's durable commit
(tens of milliseconds) and an import's changes reach the index in a few commits instead of one
each. Freshness does not depend on it: every query drains the outbox first, and at exit the
process drains what is left.
"""

import atexit
import contextlib
import logging
import threading

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsbrief.briefs.models import Brief, Category

from .models import PendingChange

log = logging.getLogger(__name__)

#: Drain in the committing thread instead (the test suite sets it, for determinism).
SYNCHRONOUS = False

_wakeup = threading.Event()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _catch_up() -> None:
    from .backends import get_backend

    get_backend().catch_up()  # logs a failure: the next query or restart catches up


def _drain_forever() -> None:
    while True:
        _wakeup.wait()
        _wakeup.clear()
        try:
            _catch_up()
        finally:
            connection.close()  # this thread's own connection; the next run opens another


def _drain_at_exit() -> None:
    from .backends import get_backend

    # The interpreter is going away: whatever fails here waits, quietly, in the outbox.
    with contextlib.suppress(Exception):
        get_backend().drain()


def _drain_after_commit() -> None:
    global _worker
    if SYNCHRONOUS:
        _catch_up()
        return
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            if _worker is None:
                atexit.register(_drain_at_exit)
            _worker = threading.Thread(target=_drain_forever, name="search-drain", daemon=True)
            _worker.start()
    _wakeup.set()


def enqueue(*brief_ids: int) -> None:
    PendingChange.objects.bulk_create(PendingChange(brief_id=pk) for pk in brief_ids)
    transaction.on_commit(_drain_after_commit)


@receiver(post_save, sender=Brief, dispatch_uid="search-brief-saved")
def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue(instance.pk)


@receiver(post_save, sender=Category, dispatch_uid="search-category-saved")
def _category_saved(sender, instance, created, raw=False, **kwargs):
    if not (created or raw):
        enqueue(*instance.briefs.values_list("pk", flat=True))


@receiver(post_delete, sender=Brief, dispatch_uid="search-brief-deleted")
def _deleted(sender, instance, **kwargs):
    enqueue(instance.pk)
