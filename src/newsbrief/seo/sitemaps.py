"""``sitemap.xml``'s sections (``django.contrib.sitemaps``): the reader's listings in every
language, and the published briefs in sections of consecutive ids.

A section holds the briefs whose ids fall in one block of ``SECTION_IDS``, so that none ever
holds more than that many addresses (the protocol allows 50,000), finding the sections costs
no count of the archive (the first and last id, then an EXISTS per block, each an index range),
and a new brief changes only the section of its id."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.functional import cached_property

from newsbrief.briefs.models import Board, Brief
from newsbrief.entities.models import Entity, EntityCount

from .addresses import absolute, brief_path

SECTION_IDS = 5_000  # a section renders in about 0.7 s
#: Translation keys asked for in one query (SQLite's limit on a query's parameters).
KEY_CHUNK = 500


class BoardSitemap(Sitemap):
    """Addresses on the board's public origin, whichever host the sitemap was asked on."""

    def get_protocol(self, protocol=None):
        return settings.NEWSBRIEF_BASE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        return settings.NEWSBRIEF_BASE_URL.split("://", 1)[1]


class ListingSitemap(BoardSitemap):
    """The board index, the category list and the archive index, in each language, each with
    its alternates and the ``x-default`` address that answers in the reader's language."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return ["briefs:index", "briefs:categories", "briefs:archive"]

    def location(self, item):
        return reverse(item)


class EntitySitemap(BoardSitemap):
    """The entity index and every live entity some published brief names (its board count,
    kept), in each language with its alternates, as the listings."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"
    limit = SECTION_IDS

    def items(self):
        named = EntityCount.objects.filter(board=Board.current(), scope="", count__gt=0)
        entities = Entity.objects.live().filter(pk__in=named.values("entity_id"))
        return ["entities:index", *entities.order_by("pk").only("pk", "slug")]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()


def _published(board=None):
    return Brief.objects.published().filter(board=board or Board.current())


def brief_sections() -> list[int]:
    """The numbers of the sections that hold a published brief.

    Both bounds and each block's look walk the board's id index (well under a millisecond
    each at a million briefs on SQLite). Ordered by id, or SQLite walks the publication
    index instead: the whole archive for a block without a published brief (``exists()``
    drops the ordering, hence the slice)."""
    board = Board.current()
    ids = Brief.objects.filter(board=board).order_by("pk").values_list("pk", flat=True)
    first, last = ids.first(), ids.last()
    if first is None:
        return []
    return [
        number
        for number in range(first // SECTION_IDS, last // SECTION_IDS + 1)
        if _published(board).filter(**BriefSitemap.ids(number)).order_by("pk").values("pk")[:1]
    ]


class BriefSitemap(BoardSitemap):
    """One section: each brief at its own language's address, with its other language
    versions as alternates (and ``x-default``, as the brief's page declares them)."""

    limit = SECTION_IDS

    def __init__(self, number: int):
        self.number = number

    @staticmethod
    def ids(number: int) -> dict:
        return {"pk__gte": number * SECTION_IDS, "pk__lt": (number + 1) * SECTION_IDS}

    @cached_property
    def _briefs(self) -> list:
        return list(
            _published()
            .filter(**self.ids(self.number))
            .order_by("pk")
            .only("pk", "language", "translation_key", "updated_at")
        )

    def items(self):
        return self._briefs

    def location(self, brief):
        return brief_path(brief)

    def lastmod(self, brief):
        return brief.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        versions = self._versions([url["item"] for url in urls])
        for url in urls:
            brief = url["item"]
            shared = versions.get(brief.translation_key, [])
            url["alternates"] = [
                {"lang_code": code, "location": location} for code, location in shared
            ]
        return urls

    @staticmethod
    def _versions(briefs) -> dict:
        """Each translation key with more than one published version: the versions, as
        ``(hreflang, address)`` with ``x-default`` last (the board's default language, as on
        the brief's page)."""
        keys = list({brief.translation_key for brief in briefs})
        found: dict = {}
        for start in range(0, len(keys), KEY_CHUNK):
            rows = _published().filter(translation_key__in=keys[start : start + KEY_CHUNK])
            for version in rows.only("pk", "language", "translation_key"):
                found.setdefault(version.translation_key, []).append(version)
        shared = {}
        for key, versions in found.items():
            if len(versions) < 2:
                continue
            versions.sort(key=lambda v: (v.language != settings.LANGUAGE_CODE, v.language))
            pairs = [(v.language, absolute(brief_path(v))) for v in versions]
            shared[key] = [*pairs, ("x-default", pairs[0][1])]
        return shared
