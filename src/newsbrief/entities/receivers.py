"""The entities follow every change of a brief (``brief_saved``, sent after commit)."""

from django.dispatch import receiver

from newsbrief.briefs.signals import brief_saved

from . import counting


@receiver(brief_saved, dispatch_uid="entities-follow-brief")
def follow_brief(sender, brief, **kwargs) -> None:
    counting.follow(brief)
