"""Every change to a brief leaves an outbox row in its own transaction, then asks for a drain
once it commits. ``brief_changed`` comes from ``save_brief`` (every publish, edit and
unpublish); ``post_save`` and ``post_delete`` catch the rest (the admin, deletes)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsbrief.briefs.models import Brief
from newsbrief.briefs.signals import brief_changed

from .models import PendingChange


def _drain_after_commit() -> None:
    from .backends import get_backend

    get_backend().catch_up()  # logs a failure: the next query or restart catches up


def enqueue(brief_id: int) -> None:
    PendingChange.objects.create(brief_id=brief_id)
    transaction.on_commit(_drain_after_commit)


@receiver(brief_changed, dispatch_uid="search-brief-changed")
def _changed(sender, brief, **kwargs):
    enqueue(brief.pk)


@receiver(post_save, sender=Brief, dispatch_uid="search-brief-saved")
def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue(instance.pk)


@receiver(post_delete, sender=Brief, dispatch_uid="search-brief-deleted")
def _deleted(sender, instance, **kwargs):
    enqueue(instance.pk)
