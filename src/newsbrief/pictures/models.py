"""Pictures on briefs: each one a row (its words and what was written) and files under
``MEDIA_ROOT`` named by the hash of the upload, so the same file is stored once however
often it is attached, and a file's name never changes while it exists (served for a year).

A picture is not part of a brief's content (``BriefContent``) and so not of its revisions:
it is attached, described, moved or removed on its own (``actions``), as files are in a
wiki beside the page's text.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import Brief

from .processing import SHARE_WIDTH

#: Alt text says what the picture shows for those who cannot see it; a caption adds to it.
ALT_MAX = 300
CAPTION_MAX = 500


class Picture(models.Model):
    brief = models.ForeignKey(
        Brief, verbose_name=_("brief"), on_delete=models.CASCADE, related_name="pictures"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    alt = models.CharField(
        _("alt text"),
        max_length=ALT_MAX,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=CAPTION_MAX, blank=True)
    digest = models.CharField(_("content hash"), max_length=64)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    #: The full-size clean copy: ``{"kind", "width", "height", "name", "bytes"}``.
    master = models.JSONField(_("original"))
    #: Every size written, each as ``master`` is described.
    variants = models.JSONField(_("sizes"), default=list)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["brief", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "digest"], name="picture_once_per_brief")
        ]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self) -> str:
        return self.alt

    #: How wide a figure is on the brief page (the column, at most 46rem less its padding).
    SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def fallback(self) -> dict:
        """What a browser without ``srcset`` shows."""
        return self.jpeg(960)

    @property
    def thumbnail(self) -> dict:
        return self.jpeg(0)

    def of_kind(self, kind: str) -> list[dict]:
        return sorted((v for v in self.variants if v["kind"] == kind), key=lambda v: v["width"])

    def srcset(self, kind: str) -> str:
        return ", ".join(f"{url_of(v['name'])} {v['width']}w" for v in self.of_kind(kind))

    def jpeg(self, width: int = SHARE_WIDTH) -> dict:
        """The widest JPEG size up to ``width`` (the narrowest if none is), with its ``url``."""
        sizes = self.of_kind("jpeg")
        fitting = [v for v in sizes if v["width"] <= width] or sizes[:1]
        return {**fitting[-1], "url": url_of(fitting[-1]["name"])}

    def files(self) -> list[str]:
        return [self.master["name"], *(v["name"] for v in self.variants)]


def url_of(name: str) -> str:
    return settings.MEDIA_URL + name
