import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class ApiToken(models.Model):
    """A key to the JSON API, acting as its user (with the user's roles).

    Only a SHA-256 digest of the token is stored: the token is shown once, when it is made,
    and a copy of the database lets no one call the API. A fast hash is enough because a
    token is 256 random bits, not a password a person chose; ``prefix`` (the first characters)
    lets its owner tell tokens apart in the list."""

    PREFIX = "nb_"
    #: How stale ``last_used`` may get before a request writes it again.
    TOUCH_EVERY = dt.timedelta(minutes=1)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token for ``user``: the stored row, and the token itself (never stored)."""
        row = cls(user=user, name=name)
        token = row.set_secret()
        row.save()
        return row, token

    def set_secret(self) -> str:
        """Give this (unsaved) row a new secret; the token, to show once."""
        token = self.PREFIX + secrets.token_urlsafe(32)
        self.prefix, self.digest = token[: len(self.PREFIX) + 6], self.hash(token)
        return token

    @classmethod
    def user_for(cls, token: str):
        """The active user a live token belongs to, or None."""
        row = (
            cls.objects.select_related("user")
            .filter(digest=cls.hash(token), revoked=None, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used is None or now - row.last_used > cls.TOUCH_EVERY:
            cls.objects.filter(pk=row.pk).update(last_used=now)
        return row.user

    def revoke(self) -> None:
        if self.revoked is None:
            self.revoked = timezone.now()
            self.save(update_fields=["revoked"])
