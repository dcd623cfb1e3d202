"""What the related index keeps in the database, the one state every server and worker shares.

- ``IndexEntry``: what ranking knows of one brief (its analysed profile and embedding),
  computed by a worker when the brief changes, never in a request about another brief.
- ``PendingEntry``: the outbox: briefs whose entry is out of date, written in the same
  transaction as the change, so a crash or a killed worker only delays the entry.
- ``IndexChange``: the change log servers follow: each entry written or removed appends a row,
  and a server applies the rows after its snapshot as a delta.
- ``Generation`` and ``SnapshotPart``: compacted snapshots of every listed entry (memory-mapped
  arrays, see ``snapshots.py``), stored here so that servers on other machines fetch the same
  files.
- ``Verdict``: an editor's decision on a proposal.
"""

import uuid

import numpy as np
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import Brief


class IndexEntry(models.Model):
    """A brief as the ranker sees it. ``listed``: published, so proposable as related; every
    brief has an entry, since a draft may be another brief's counterpart. ``source_key``
    fingerprints what the profile was computed from (an unchanged brief is skipped);
    ``text_key`` the embedded text (the vector is kept while it matches). The vector is
    float16: half the space, no measurable loss in ranking."""

    brief = models.OneToOneField(
        Brief, primary_key=True, on_delete=models.CASCADE, related_name="index_entry"
    )
    listed = models.BooleanField(default=False, db_index=True)
    profile = models.JSONField(default=dict)
    source_key = models.CharField(max_length=40, blank=True)
    text_key = models.CharField(max_length=40, blank=True)
    vector = models.BinaryField(null=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "index entries"

    def __str__(self) -> str:
        return f"{self.brief_id}: {'listed' if self.listed else 'unlisted'}"

    def as_array(self) -> np.ndarray | None:
        if self.vector is None:
            return None
        return np.frombuffer(bytes(self.vector), dtype=np.float16).astype(np.float32)


class PendingEntry(models.Model):
    """A brief whose entry must be (re)computed. ``claimed_until``: a worker is on it until
    then; a worker killed meanwhile lets the claim lapse and the next sweep takes it."""

    brief_id = models.BigIntegerField(primary_key=True)
    requested_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, db_index=True)

    def __str__(self) -> str:
        return f"brief {self.brief_id}"


class IndexChange(models.Model):
    """Entry ``brief_id`` was written or removed: servers re-read it."""

    id = models.BigAutoField(primary_key=True)
    brief_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.pk}: brief {self.brief_id}"


class Generation(models.Model):
    """A snapshot of every listed entry up to change ``watermark``; servers rank against the
    newest complete one plus the changes after its watermark."""

    #: Names its files on disk: a restored backup's generation 3 is not this machine's old one.
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    watermark = models.BigIntegerField()
    briefs = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    complete = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"generation {self.pk} (changes to {self.watermark}, {self.briefs} briefs)"


class SnapshotPart(models.Model):
    """One piece of one file of a generation's snapshot (pieces keep rows small)."""

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(max_length=200)
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["generation", "name", "number"], name="one_part")
        ]

    def __str__(self) -> str:
        return f"{self.generation_id}/{self.name}#{self.number}"


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
