"""The entities follow every change of a brief (``brief_saved``, sent after commit), and a
batch's briefs all at once (``briefs_saved``), in one transaction instead of one each.

An editor's save proposes the brief's entities at once (a few milliseconds), so the desk shows
them on the next page; then the counts follow. An archive import (``origin=import``, or any
batch) brings thousands of briefs in one run: its briefs are only counted here and left to the
worker's sweep (``tasks.propose_sweep``) or ``newsbrief entities backfill``, which propose in
batches."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsbrief.briefs.models import Revision
from newsbrief.briefs.signals import brief_saved, briefs_saved

from . import counting, proposing, registry
from .models import Alias, Entity


@receiver(brief_saved, dispatch_uid="entities-follow-brief")
def follow_brief(sender, brief, origin=None, batched=False, **kwargs) -> None:
    if batched:
        return  # ``follow_briefs`` counts the whole batch
    if origin == Revision.Origin.IMPORT:
        counting.follow(brief)
    else:
        proposing.propose(brief)  # follows the counts of every version it wrote


@receiver(briefs_saved, dispatch_uid="entities-follow-briefs")
def follow_briefs(sender, briefs, **kwargs) -> None:
    counting.follow_many(b.pk for b in briefs)


for model in (Entity, Alias):
    for signal in (post_save, post_delete):
        signal.connect(
            registry.forget,
            sender=model,
            dispatch_uid=f"entities-forget-{model.__name__}-{signal is post_save}",
        )
