"""The outbox: briefs whose index entry is out of date.

A row is written in the same transaction as the change to the brief (see ``receivers``), so
the database alone says what the index still has to learn: ``indexing.drain`` applies the rows
after commit and before every query, and a crash in between only delays it to the next one.
"""

from django.db import models
from django.utils import timezone


class PendingChange(models.Model):
    brief_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"brief {self.brief_id}"
