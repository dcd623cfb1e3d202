from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInThrottle(models.Model):
    """Recent failed sign-ins under one key (an account name or a client address).

    Kept in the database rather than the cache so that every app server, and every worker
    process of one server, counts the same failures without a shared cache."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
