"""What the workers share in the database: who holds which lease, and how far a sweep got."""

from django.db import models


class Lease(models.Model):
    """Work that one worker is doing (``leases.exclusive``), until ``expires_at``."""

    name = models.CharField(max_length=200, primary_key=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.holder} until {self.expires_at:%Y-%m-%d %H:%M:%S})"


class Checkpoint(models.Model):
    """The moment up to which a sweep has done its work (``leases.advance``)."""

    name = models.CharField(max_length=200, primary_key=True)
    moment = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.moment:%Y-%m-%d %H:%M:%S}"
