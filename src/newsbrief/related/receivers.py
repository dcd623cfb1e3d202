"""Publishing a brief stores its related messages (after the commit; a failure is logged and
never undoes the publication). Imported briefs keep what their page cited."""

import logging

from django.core.signals import setting_changed
from django.dispatch import receiver

from newsbrief.briefs.models import Brief, Revision
from newsbrief.briefs.signals import brief_saved

from . import embedding

log = logging.getLogger(__name__)


@receiver(brief_saved, sender=Brief)
def store_related(sender, brief: Brief, origin=None, **kwargs):
    from .proposals import store_on_publish

    if brief.status != Brief.Status.PUBLISHED or origin == Revision.Origin.IMPORT:
        return
    latest = brief.latest_revision()
    if latest is not None and latest.origin == Revision.Origin.IMPORT:
        return
    try:
        store_on_publish(brief)
    except Exception:
        log.exception("Could not store the related messages of brief %s", brief.pk)


@receiver(setting_changed)
def reload_model(setting, **kwargs):
    if setting == "NEWSBRIEF_RELATED_EMBEDDINGS":
        embedding._model.cache_clear()
