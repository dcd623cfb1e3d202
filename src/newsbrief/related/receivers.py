"""Every change to a brief marks its index entry out of date, in the change's own transaction;
a worker recomputes it once the change commits (``entries``, ``tasks``). ``post_save`` and
``post_delete`` of ``Brief`` see every change (the actions, the admin, imports).

Publishing (or editing a published brief) then has a worker store its related messages;
imported briefs keep what their page cited."""

from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsbrief.briefs.models import Brief, Revision
from newsbrief.briefs.signals import brief_saved, briefs_saved

from . import embedding, entries, tasks


@receiver(post_save, sender=Brief, dispatch_uid="related-brief-saved")
def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        entries.request(instance.pk)


@receiver(post_delete, sender=Brief, dispatch_uid="related-brief-deleted")
def _deleted(sender, instance, **kwargs):
    entries.request(instance.pk)


@receiver(brief_saved, sender=Brief, dispatch_uid="related-store-on-publish")
def _announced(sender, brief: Brief, origin=None, **kwargs):
    if brief.status != Brief.Status.PUBLISHED or origin == Revision.Origin.IMPORT:
        return
    latest = brief.latest_revision()
    if latest is None or latest.origin != Revision.Origin.IMPORT:
        tasks.store_related(brief.pk)


@receiver(briefs_saved, sender=Brief, dispatch_uid="related-batch-saved")
def _batch_saved(sender, **kwargs):
    tasks.index_pending()


@receiver(setting_changed)
def reload_model(setting, **kwargs):
    if setting == "NEWSBRIEF_RELATED_EMBEDDINGS":
        embedding._model.cache_clear()
