"""The entities follow every change of a brief (``brief_saved``, sent after commit); a batch's
briefs all at once (``briefs_saved``), in one transaction instead of one each."""

from django.dispatch import receiver

from newsbrief.briefs.signals import brief_saved, briefs_saved

from . import counting


@receiver(brief_saved, dispatch_uid="entities-follow-brief")
def follow_brief(sender, brief, batched=False, **kwargs) -> None:
    if not batched:
        counting.follow(brief)


@receiver(briefs_saved, dispatch_uid="entities-follow-briefs")
def follow_briefs(sender, briefs, **kwargs) -> None:
    counting.follow_many(b.pk for b in briefs)
