"""The archive: boards, categories, briefs, their revisions and related links.

A brief is one language version of a news item. Versions of the same item share a
``translation_key`` (as in Wagtail's i18n), so "the Chinese version" is a query, not a
pair of pointers to keep in step, and a version can arrive before or after its counterpart.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import normalize_title

LANGUAGE_CHOICES = [("en", _("English")), ("zh-hant", _("Traditional Chinese"))]


def reader_language() -> str:
    """The brief language that matches the active interface language."""
    return "zh-hant" if get_language().startswith("zh") else "en"


class Board(models.Model):
    """The board's own words (name, tagline, footer) come in both interface languages; an
    empty Chinese one falls back to the English, so a board named only in English still reads
    whole under /zh-hant/."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_zh_hant = models.CharField(_("Chinese name"), max_length=200, blank=True)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    tagline_zh_hant = models.CharField(_("Chinese tagline"), max_length=300, blank=True)
    footer = models.TextField(
        _("footer"), blank=True, help_text=_("Shown under every brief, after its sources.")
    )
    footer_zh_hant = models.TextField(_("Chinese footer"), blank=True)
    languages = models.JSONField(_("languages"), default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self) -> str:
        return self.name

    def _in(self, field: str, language: str) -> str:
        if language.startswith("zh"):
            return getattr(self, f"{field}_zh_hant") or getattr(self, field)
        return getattr(self, field)

    def name_for(self, language: str) -> str:
        return self._in("name", language)

    def tagline_for(self, language: str) -> str:
        return self._in("tagline", language)

    def footer_for(self, language: str) -> str:
        return self._in("footer", language)

    @classmethod
    def current(cls) -> "Board | None":
        """The board this site serves: the first one created."""
        return cls.objects.order_by("pk").first()


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    name_zh_hant = models.CharField(_("Chinese name"), max_length=120, blank=True)

    class Meta:
        ordering = ["name_en", "name_zh_hant"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name_en or self.name_zh_hant

    def get_absolute_url(self) -> str:
        return reverse("briefs:category", args=[self.slug])

    def name_for(self, language: str) -> str:
        """The name in ``language``, falling back to the other language's name."""
        if language.startswith("zh"):
            return self.name_zh_hant or self.name_en
        return self.name_en or self.name_zh_hant

    @classmethod
    def for_name(cls, name: str, language: str) -> "Category":
        """The category called exactly ``name`` in either language, created under
        ``language`` if new."""
        name = " ".join(name.split())
        found = cls.objects.filter(models.Q(name_en=name) | models.Q(name_zh_hant=name)).first()
        if found:
            return found
        field = "name_zh_hant" if language.startswith("zh") else "name_en"
        base = slugify(name, allow_unicode=True) or "category"
        slug, n = base, 1
        while cls.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return cls.objects.create(slug=slug, **{field: name})


class BriefQuerySet(models.QuerySet):
    def published(self, *, at: dt.datetime | None = None):
        """Published by the moment ``at``: a scheduled brief appears when its time comes.
        Code with a moment of its own (a digest's period, a job's run) passes it; the
        default, now, is for a request's pages."""
        return self.filter(status=Brief.Status.PUBLISHED, published_at__lte=at or timezone.now())

    def for_listing(self):
        return self.select_related("author").prefetch_related("brief_tags__category")


class Brief(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    translation_key = models.UUIDField(
        _("translation key"),
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Shared by the language versions of one news item."),
    )
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="briefs")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=500)
    title_key = models.CharField(max_length=500, db_index=True, editable=False)
    categories = models.ManyToManyField(Category, through="BriefTag", related_name="briefs")
    body = models.TextField(_("body (Markdown)"))
    body_html = models.TextField(editable=False)
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="briefs"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("brief")
        verbose_name_plural = _("briefs")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="one_version_per_language"
            )
        ]
        indexes = [
            models.Index(fields=["board", "status", "-published_at"]),
            # A listing shows one language: its count and its deep pages walk this index.
            models.Index(
                fields=["board", "language", "status", "-published_at"],
                name="brief_listing_by_language",
            ),
            # Counterpart search looks at a window of days by each date (related.proposals).
            models.Index(fields=["created_at"], name="brief_created"),
            models.Index(fields=["source_date"], name="brief_source_date"),
        ]
        permissions = [("publish_brief", _("Can review, publish and unpublish any brief"))]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_key = normalize_title(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("briefs:detail", args=[self.pk])

    @property
    def tags(self) -> list[Category]:
        """Category tags in their editorial order (uses the prefetch cache when present)."""
        return [bt.category for bt in self.brief_tags.all()]

    def tag_names(self) -> list[str]:
        return [c.name_for(self.language) for c in self.tags]

    def other_versions(self):
        return (
            Brief.objects.published()
            .filter(translation_key=self.translation_key)
            .exclude(pk=self.pk)
        )

    def latest_revision(self) -> "Revision | None":
        return self.revisions.order_by("-number").first()

    @property
    def local_published_date(self):
        return timezone.localtime(self.published_at).date() if self.published_at else None


class BriefTag(models.Model):
    """A brief's category, with a copy of the brief's listing fields (board, language, status,
    publication time): a category's page then walks only its own entries of ``tag_listing``
    in date order, where a join walks every brief of the language. ``briefs.listing`` keeps
    the copies in step with the brief, in the transaction that changes it."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="brief_tags")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="brief_tags")
    position = models.PositiveSmallIntegerField()
    # Nullable so that adding them to a million tags is an ALTER TABLE, not a table copy.
    board = models.ForeignKey(
        Board, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    language = models.CharField(max_length=10, null=True)  # noqa: DJ001 (as above)
    status = models.CharField(max_length=20, null=True)  # noqa: DJ001
    published_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "category"], name="tag_once_per_brief"),
            models.UniqueConstraint(fields=["brief", "position"], name="one_tag_per_position"),
        ]
        indexes = [
            models.Index(
                fields=["category", "board", "language", "status", "-published_at", "-brief"],
                name="tag_listing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.brief_id}: {self.category}"

    def save(self, *args, **kwargs):
        if self.board_id is None:  # a tag made on its own, not by ``save_brief``
            self.board_id, self.language = self.brief.board_id, self.brief.language
            self.status, self.published_at = self.brief.status, self.brief.published_at
        super().save(*args, **kwargs)


class CategoryCount(models.Model):
    """How many published briefs of a language a category holds on a board, scheduled ones
    included (the category list subtracts those not yet due): kept by ``briefs.listing`` in
    the transaction of every change, so the list never counts the archive."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["board", "language", "category"], name="one_count_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id} {self.language}: {self.count}"


class MonthCount(models.Model):
    """How many published briefs of a language a month holds on a board (the month in the
    board's time zone, ``TIME_ZONE``; recount after changing it), scheduled ones included,
    kept like ``CategoryCount``."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    month = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["board", "language", "month"], name="one_count_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.language}: {self.count}"


class CategoryMonthCount(models.Model):
    """How many published briefs of a language a category holds in a month (the board's
    time zone), kept like ``CategoryCount``: a category's timeline without counting it."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "board", "language", "month"],
                name="one_count_per_category_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id} {self.month:%Y-%m} {self.language}: {self.count}"


class SourceLink(models.Model):
    """A "Further Information" entry: where the brief's facts come from."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="source_links")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(_("label"), max_length=300)
    url = models.URLField(_("address"), max_length=2000, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "position"], name="one_link_per_position")
        ]

    def __str__(self) -> str:
        return self.label


class Revision(models.Model):
    """One save of a brief. ``number`` counts edits: 0 is the first publication, so
    "Edited N time(s)" is the latest number. An imported page brings only its trail's last
    edit, so numbers can skip; ``content`` is the full brief as of that save."""

    class Origin(models.TextChoices):
        EDITOR = "editor", _("editor")
        IMPORT = "import", _("import")

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.EDITOR)
    content = models.JSONField()

    class Meta:
        ordering = ["brief", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["brief", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.brief_id} r{self.number}"


class RelatedLink(models.Model):
    """A "Related Historical Message": an earlier brief, or a reference to one that the
    archive does not hold yet. A reference keeps what the citing page showed (title, tags,
    date) and is linked by ``resolve_references`` when the brief arrives."""

    class Origin(models.TextChoices):
        EDITOR = "editor", _("editor")
        SYSTEM = "system", _("system")

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="related_links")
    rank = models.PositiveSmallIntegerField()
    target = models.ForeignKey(
        Brief, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )
    target_uid = models.UUIDField(null=True, blank=True, db_index=True)
    cited_title = models.CharField(max_length=500)
    cited_title_key = models.CharField(max_length=500, db_index=True, editable=False)
    cited_tags = models.JSONField(default=list)
    cited_date = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.EDITOR)

    class Meta:
        ordering = ["brief", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "rank"], name="related_rank_unique")
        ]

    def __str__(self) -> str:
        return self.cited_title

    def save(self, *args, **kwargs):
        self.cited_title_key = normalize_title(self.cited_title)
        super().save(*args, **kwargs)


class LegacyAddress(models.Model):
    """An address the brief had on the board it was imported from (a Phorum
    ``/read.php?6,5320``), kept so that old links and bookmarks still lead to it. ``address``
    is path and query in the canonical form ``legacy.canonical_address`` gives."""

    address = models.CharField(_("old address"), max_length=2000, unique=True)
    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="legacy_addresses", verbose_name=_("brief")
    )

    class Meta:
        ordering = ["address"]
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self) -> str:
        return self.address


class AuditEntry(models.Model):
    """One change an action made, or a role change: who, when, what. Written by the actions
    layer and the role-change receivers; read-only in the admin. (The table keeps the name it
    had when the desk owned it.)"""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        EDIT = "edit", _("edited")
        SUBMIT = "submit", _("submitted for review")
        PUBLISH = "publish", _("published")
        UNPUBLISH = "unpublish", _("unpublished")
        RESTORE = "restore", _("restored a revision")
        DELETE = "delete", _("deleted")
        LINK_VERSION = "link-version", _("linked the other-language version")
        UNLINK_VERSION = "unlink-version", _("unlinked the other-language version")
        CONFIRM_DRIFT = "confirm-drift", _("confirmed as up to date")
        TAG_ADDED = "tag-added", _("tag added")
        TAG_REMOVED = "tag-removed", _("tag removed")
        CURATE = "curate", _("curated related messages")
        ENTITIES = "entities", _("decided on entities")
        REGISTRY = "entity-registry", _("changed the entity registry")
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
        db_table = "desk_auditentry"
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
        db_table = "desk_driftcheck"
        constraints = [
            models.UniqueConstraint(fields=["brief", "source"], name="one_check_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.brief_id} checked against {self.source_id} r{self.source_revision}"
