"""The entity registry and what each brief names.

An ``Entity`` is a country or region, an organization or a field, with its names in both
languages; ``Alias`` holds every other way a text names it (synonyms, acronyms, the other
script's spellings). ``BriefEntity`` links a brief to an entity with the extractor's confidence
and the editor's decision; versions of one news item carry the same entities. ``EntityCount``
and ``Counted`` are the counts kept for facets and timelines (see ``counting``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import LANGUAGE_CHOICES, Board, Brief


class EntityQuerySet(models.QuerySet):
    def live(self):
        """Entities not merged into another."""
        return self.filter(merged_into__isnull=True)


class Entity(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country or region")
        ORGANIZATION = "organization", _("Organization")
        FIELD = "field", _("Field")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    #: ISO 3166-1 alpha-2 for a country, the taxonomy's code for a field, blank otherwise.
    code = models.CharField(_("code"), max_length=40, blank=True)
    name_en = models.CharField(_("English name"), max_length=200)
    name_zh_hant = models.CharField(_("Chinese name"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    #: A field's broader field; an organization's country.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("broader entity"),
    )
    #: A synonym merged into another entity: its briefs and aliases moved there, its address
    #: redirects there.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        indexes = [models.Index(fields=["kind", "code"], name="entity_kind_code")]

    def __str__(self) -> str:
        return self.name_en

    def get_absolute_url(self) -> str:
        return reverse("entities:detail", args=[self.slug])

    def name_for(self, language: str) -> str:
        if language.startswith("zh") and self.name_zh_hant:
            return self.name_zh_hant
        return self.name_en


class Alias(models.Model):
    """Another way a text names an entity. ``language`` is blank when the text is the same in
    both (an acronym, a Latin-script name in a Chinese brief)."""

    class Kind(models.TextChoices):
        NAME = "name", _("name")
        ACRONYM = "acronym", _("acronym")
        LEARNED = "learned", _("learned from a brief")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(_("text"), max_length=200)
    language = models.CharField(_("language"), max_length=10, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NAME)

    class Meta:
        ordering = ["entity", "text"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(fields=["entity", "text"], name="alias_once_per_entity")
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.entity}"


class BriefEntity(models.Model):
    """An entity a brief names: proposed by the extractor with its confidence, or decided by
    an editor, whose decision no re-extraction undoes. Like ``BriefTag`` it keeps a copy of
    the brief's listing fields, so that an entity's page walks only its own rows in date
    order (``counting.follow`` keeps them in step)."""

    class Decision(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        ADDED = "added", _("added by an editor")
        REMOVED = "removed", _("removed by an editor")

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="brief_entities")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="brief_entities")
    confidence = models.FloatField(_("confidence"), default=1.0)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PROPOSED
    )
    #: The words that named it, for the editor (blank when an editor added it).
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    board = models.ForeignKey(Board, null=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, null=True)  # noqa: DJ001 (a copy, see above)
    status = models.CharField(max_length=20, null=True)  # noqa: DJ001
    published_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("brief's entity")
        verbose_name_plural = _("briefs' entities")
        constraints = [
            models.UniqueConstraint(fields=["brief", "entity"], name="entity_once_per_brief")
        ]
        indexes = [
            models.Index(
                fields=["entity", "board", "language", "status", "-published_at", "-brief"],
                name="entity_listing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.brief_id}: {self.entity} ({self.decision})"


class EntityCount(models.Model):
    """Published briefs of a board and language naming ``entity`` within ``scope``: the whole
    board (``""``), a category (``c<id>``), a month (``m2012-03``), the briefs that also name
    another entity (``e<id>``), a pair of countries in a year (``e<id>y2012``, ``entity`` the
    other country) or a pair of countries' fields (``e<id>e<id>``, ``entity`` the field).
    ``counting`` keeps them; pages read them and never count the archive."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    scope = models.CharField(max_length=60)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["board", "language", "scope", "entity"], name="entity_count_once"
            )
        ]
        indexes = [models.Index(fields=["entity", "scope"], name="entity_count_timeline")]

    def __str__(self) -> str:
        return f"{self.entity_id} in {self.scope or 'all'} ({self.language}): {self.count}"


class Counted(models.Model):
    """What a brief adds to the counts as they stand: the inputs of its footprint, so that a
    change subtracts exactly what was added before (``counting.follow``)."""

    brief = models.OneToOneField(
        Brief, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    #: The month (board's zone) when published, None when the brief counts nowhere.
    month = models.DateField(null=True)
    published_at = models.DateTimeField(null=True)
    categories = models.JSONField(default=list)
    #: [[entity id, kind], ...] as counted.
    entities = models.JSONField(default=list)

    class Meta:
        # Every read of the counts takes off the briefs not yet due: by this index, a few
        # rows, not the whole table (``counting._due_later``).
        indexes = [
            models.Index(fields=["board", "language", "published_at"], name="counted_due_later")
        ]

    def __str__(self) -> str:
        return f"{self.brief_id} counted in {self.month}"
