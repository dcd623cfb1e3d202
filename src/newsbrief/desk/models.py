"""What the desk keeps beside the archive: the audit log and confirmed translations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import Brief


class AuditEntry(models.Model):
    """One publish, unpublish, restore or role change: who, when, what. Written by the desk
    and by the role-change receivers; read-only in the admin."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("submitted for review")
        PUBLISH = "publish", _("published")
        UNPUBLISH = "unpublish", _("unpublished")
        RESTORE = "restore", _("restored a revision")
        ROLE_ADDED = "role-added", _("role granted")
        ROLE_REMOVED = "role-removed", _("role removed")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    brief = models.ForeignKey(
        Brief, verbose_name=_("brief"), null=True, blank=True, on_delete=models.SET_NULL
    )
    subject = models.CharField(_("subject"), max_length=500)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"


class DriftCheck(models.Model):
    """An editor confirmed that ``brief`` still matches ``source`` as of revision
    ``source_revision``, so that revision no longer marks it as out of date."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="+")
    source_revision = models.PositiveIntegerField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brief", "source"], name="one_check_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.brief_id} checked against {self.source_id} r{self.source_revision}"
