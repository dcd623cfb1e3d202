"""RSS 2.0 and Atom feeds of the published briefs: the whole board, one language, one category.

Entries carry what a brief page shows a feed reader: title, body, author, publication and
update times, category tags in the brief's language, and links to the brief's other-language
versions. An entry's id is the brief's ``uid`` (``urn:uuid:...``), so a reader never sees an
edited or retitled brief as a new one. Feeds answer conditional GETs: see ``Scope.validators``.
"""

import dataclasses
import datetime as dt
import hashlib

from django.contrib.syndication.views import Feed
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from newsbrief.briefs.models import Brief, Category
from newsbrief.pictures.feeds import enclosures

from .generators import AtomFeed, RssFeed

#: Entries per feed: the newest briefs; a reader polls often enough to see every one.
FEED_SIZE = 50


@dataclasses.dataclass(frozen=True)
class Scope:
    """Which briefs a feed follows: the board's, narrowed to a language or a category."""

    board: object
    language: str | None = None
    category: Category | None = None
    #: The moment the feed is made at: its entries and validators agree on what has come.
    now: dt.datetime = dataclasses.field(default_factory=timezone.now)

    def briefs(self):
        """Every brief in scope, whatever its status."""
        if not self.board:
            return Brief.objects.none()
        briefs = Brief.objects.filter(board=self.board)
        if self.language:
            briefs = briefs.filter(language=self.language)
        if self.category:
            briefs = briefs.filter(brief_tags__category=self.category)
        return briefs

    def title(self) -> str:
        """The feed's name in the interface language."""
        name = str(self.board or "") or _("Sci-Tech Newsbrief")
        if self.category:
            part = _("Category: %(name)s") % {"name": self.category.name_for(get_language())}
        elif self.language:
            part = _("Chinese briefs") if self.language == "zh-hant" else _("English briefs")
        else:
            return name
        return f"{name} · {part}"

    def url(self, fmt: str) -> str:
        if self.category:
            return reverse("feeds:category", args=[self.category.slug, fmt])
        if self.language:
            return reverse("feeds:language", args=[self.language, fmt])
        return reverse("feeds:board", args=[fmt])

    def entries(self) -> list[Brief]:
        return list(self.briefs().published(at=self.now).for_listing()[:FEED_SIZE])

    def validators(self) -> tuple[str, int | None]:
        """The ETag and Last-Modified time of the feed as it would be now.

        Last-Modified is the latest of the briefs' ``updated_at`` (every status: unpublishing
        a brief stamps it, so a feed that loses an entry is newer, not older) and of the
        publication times that have come (a scheduled brief appears without being saved).
        The ETag also covers what that time cannot see: a deleted brief, the interface
        language, the board's and the category's names."""
        times = self.briefs().aggregate(
            updated=Max("updated_at"),
            published=Max(
                "published_at",
                filter=Q(status=Brief.Status.PUBLISHED, published_at__lte=self.now),
            ),
        )
        latest = max((t for t in times.values() if t), default=None)
        shown = self.briefs().published(at=self.now).values_list("pk", "updated_at")[:FEED_SIZE]
        key = [get_language(), str(self.board or ""), str(self.category or ""), latest]
        key += [f"{pk}@{updated.isoformat()}" for pk, updated in shown]
        etag = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        return etag, int(latest.timestamp()) if latest else None


class BriefFeed(Feed):
    """One feed of one scope; made per request, in the format asked for."""

    item_guid_is_permalink = False

    def __init__(self, feed_type, request):
        self.feed_type, self.request = feed_type, request

    def get_object(self, request, scope: Scope) -> Scope:
        return scope

    def get_feed(self, scope: Scope, request):
        feed = super().get_feed(scope, request)
        # A one-language feed is in that language; a mixed one in the interface's (its
        # entries say their own language).
        feed.feed["language"] = scope.language or get_language()
        return feed

    def title(self, scope: Scope) -> str:
        return scope.title()

    def description(self, scope: Scope) -> str:
        return _("The newest briefs of %(feed)s") % {"feed": self.title(scope)}

    def link(self, scope: Scope) -> str:
        page = scope.category.get_absolute_url() if scope.category else reverse("briefs:index")
        return f"{page}?lang={scope.language or 'all'}"

    def items(self, scope: Scope) -> list[Brief]:
        briefs = scope.entries()
        # Each brief's other versions (``Brief.other_versions``), for all entries in one query.
        versions = Brief.objects.published(at=scope.now).filter(
            translation_key__in={b.translation_key for b in briefs}
        )
        for brief in briefs:
            brief.feed_versions = [
                v for v in versions if v.translation_key == brief.translation_key and v != brief
            ]
        return briefs

    def item_title(self, brief: Brief) -> str:
        return brief.title

    def item_description(self, brief: Brief) -> str:
        return brief.body_html

    def item_guid(self, brief: Brief) -> str:
        return brief.uid.urn

    def item_author_name(self, brief: Brief) -> str:
        return brief.author.get_username()

    def item_pubdate(self, brief: Brief):
        return brief.published_at

    def item_updateddate(self, brief: Brief):
        return max(brief.updated_at, brief.published_at)

    def item_enclosures(self, brief: Brief):
        return enclosures(brief, self.request.build_absolute_uri)

    def item_categories(self, brief: Brief) -> list[str]:
        return brief.tag_names()

    def item_extra_kwargs(self, brief: Brief) -> dict:
        alternates = []
        for version in brief.feed_versions:
            # The other version on the pages of its own language.
            with translation.override(version.language):
                path = version.get_absolute_url()
            alternates.append(
                (version.language, self.request.build_absolute_uri(path), version.title)
            )
        return {"language": brief.language, "alternates": alternates}


FORMATS = {"rss": RssFeed, "atom": AtomFeed}


@require_safe
def feed(request, fmt: str, language: str | None = None, slug: str | None = None):
    """A feed (``fmt``: rss or atom) of the board, one brief language or one category,
    answering 304 when the reader's copy is current."""
    category = get_object_or_404(Category, slug=slug) if slug else None
    scope = Scope(request.board, language, category)
    etag, modified = scope.validators()
    response = get_conditional_response(request, etag=quote_etag(etag), last_modified=modified)
    if response is None:
        response = BriefFeed(FORMATS[fmt], request)(request, scope)
    response.headers["ETag"] = quote_etag(etag)
    if modified is None:
        response.headers.pop("Last-Modified", None)
    else:
        response.headers["Last-Modified"] = http_date(modified)
    return response
