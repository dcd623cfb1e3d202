"""Digest subscriptions and the send ledger.

A ``Subscription`` is one address's choice of language, categories and frequency. It gets
digests only once confirmed (double opt-in: the confirmation link is e-mailed to the
address). Its random ``token`` is the capability in every link we mail it (confirm, change,
unsubscribe), so none of those pages needs an account.

A ``Delivery`` is the send ledger: one row per subscription and digest period, written before
the SMTP conversation starts. ``sending.py`` explains its states and why a crash never sends a
digest twice nor skips one.
"""

import secrets

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import LANGUAGE_CHOICES, Category

#: Hard bounces in a row after which a subscription is disabled.
MAX_BOUNCES = 3


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        DISABLED = "disabled", _("Disabled (bounced or invalid)")

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("categories"),
        help_text=_("None: every category."),
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounces = models.PositiveSmallIntegerField(_("hard bounces in a row"), default=0)
    last_error = models.CharField(_("last delivery error"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [models.UniqueConstraint(Lower("email"), name="one_subscription_per_address")]

    def __str__(self) -> str:
        return self.email

    def link(self, name: str) -> str:
        """The path of one of this subscription's pages, in its language."""
        with translation.override(self.language):
            return reverse(f"digest:{name}", args=[self.token])

    def confirm(self) -> None:
        self.state = self.State.ACTIVE
        self.confirmed_at = timezone.now()
        self.bounces = 0
        self.save(update_fields=["state", "confirmed_at", "bounces"])

    def record_bounce(self, why: str, invalid: bool = False) -> None:
        """Count a hard bounce; the subscription is disabled after ``MAX_BOUNCES`` in a row, or
        at once for an ``invalid`` address. A delivery resets the count."""
        Subscription.objects.filter(pk=self.pk).update(
            bounces=models.F("bounces") + 1, last_error=why[:500]
        )
        self.refresh_from_db(fields=["bounces", "last_error"])
        if invalid or self.bounces >= MAX_BOUNCES:
            self.state = self.State.DISABLED
            self.save(update_fields=["state"])

    def unsubscribe(self) -> None:
        self.state = self.State.UNSUBSCRIBED
        self.unsubscribed_at = timezone.now()
        self.save(update_fields=["state", "unsubscribed_at"])


class Delivery(models.Model):
    """One digest for one subscription: the briefs published in ``(start, end]``."""

    class State(models.TextChoices):
        SENDING = "sending", _("Claimed, not yet accepted by the mail server")
        COMMITTING = "committing", _("Handed over, waiting for the server's answer")
        SENT = "sent", _("Sent")
        UNCERTAIN = "uncertain", _("May have been sent (the run stopped mid-handover)")
        BOUNCED = "bounced", _("Refused by the mail server")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.SENDING)
    message_id = models.CharField(max_length=200, unique=True)
    briefs = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["subscription", "end"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "end"], name="one_digest_per_period")
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.subscription} {self.end:%Y-%m-%d} {self.state}"
