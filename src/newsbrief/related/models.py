"""What ranking needs kept: each brief's embedding, and the editors' verdicts on proposals."""

import numpy as np
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import Brief


class BriefVector(models.Model):
    """A brief's sentence embedding, kept until its text (``text_key``) or the model changes.
    Stored as float16: half the space, no measurable loss in ranking."""

    brief = models.OneToOneField(Brief, on_delete=models.CASCADE, related_name="vector")
    text_key = models.CharField(max_length=40)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.brief_id}: {self.text_key}"

    def as_array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.vector), dtype=np.float16).astype(np.float32)


class Verdict(models.Model):
    """An editor's decision on one proposed related brief. A rejected brief is never proposed
    again for that brief; a pinned one stays first, whatever later proposals say."""

    class Kind(models.TextChoices):
        REJECTED = "rejected", _("rejected")
        PINNED = "pinned", _("pinned")

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brief", "target"], name="one_verdict_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.brief_id} -> {self.target_id}: {self.kind}"
