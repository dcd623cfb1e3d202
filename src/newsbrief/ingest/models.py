"""What ingestion remembers: the sources editors register, and every article it has turned
into a draft (``Item``), so that no article becomes two drafts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import LANGUAGE_CHOICES, Brief


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", _("Feed (RSS or Atom)")
        PAGE = "page", _("Page")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FEED)
    url = models.URLField(_("address"), max_length=2000, unique=True)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    active = models.BooleanField(_("active"), default=True)
    # The validators of the last complete fetch, for a conditional GET next time.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """An article ingestion has seen, under each identity it can be recognised by: the
    feed's entry id (per source), its normalized address and a hash of its text. Several
    items may point at one draft: the same story in two feeds, or under two addresses."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    guid = models.TextField(_("entry id"))
    url = models.URLField(_("address"), max_length=2000)
    # SHA-256 digests (hex) of the entry id, the normalized address and the text: short
    # enough to index whatever the feed sends.
    guid_key = models.CharField(max_length=64, editable=False)
    url_key = models.CharField(max_length=64, db_index=True, editable=False)
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    brief = models.ForeignKey(
        Brief,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ingested_items",
        verbose_name=_("draft"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ingested article")
        verbose_name_plural = _("ingested articles")
        constraints = [
            models.UniqueConstraint(fields=["source", "guid_key"], name="one_item_per_entry")
        ]

    def __str__(self) -> str:
        return self.url
