"""RSS 2.0 and Atom feeds of the published briefs: the whole board in both languages, one
language, one category or one entity (a country, an organization, a field) in one language.

A one-language feed is written wholly in its language (title, ``<language>``, links) and has
one address, under its language's prefix; the bilingual feed is titled in the interface
language and labels each entry with its own. A browser that asks for HTML first (as every
browser navigating does; feed readers ask for XML) gets a page that shows the feed and
says what it is for: ``preview.html``. The XML itself names ``feed.xsl``, the same page for
the browsers that still apply XSLT to an opened file (Chromium 156 does so only for
``application/xml`` or ``text/xml``, with a deprecation banner).

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
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers, quote_etag
from django.utils.feedgenerator import Stylesheet
from django.utils.http import http_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from newsbrief.briefs.models import Brief, Category, reader_language
from newsbrief.entities.addresses import live_entity
from newsbrief.entities.counting import shown_filter
from newsbrief.entities.models import BriefEntity, Entity
from newsbrief.pictures.feeds import enclosures

from .generators import AtomFeed, RssFeed

#: Entries per feed: the newest briefs; a reader polls often enough to see every one.
FEED_SIZE = 50
#: What a feed holds, in the words of its title.
HOLDS = {"en": gettext_lazy("English briefs"), "zh-hant": gettext_lazy("Chinese briefs")}


def board_name(board) -> str:
    """The board's name in the interface language."""
    return board.name_for(get_language()) if board else _("Sci-Tech Newsbrief")


def page_of(brief: Brief) -> str:
    """The brief's page in the interface of its own language."""
    with translation.override(brief.language):
        return brief.get_absolute_url()


@dataclasses.dataclass(frozen=True)
class Scope:
    """Which briefs a feed follows: the board's, narrowed to a language, or to a category
    or an entity in a language."""

    board: object
    language: str | None = None
    category: Category | None = None
    entity: Entity | None = None
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
        if self.entity:
            named = BriefEntity.objects.filter(shown_filter(), entity=self.entity)
            briefs = briefs.filter(pk__in=named.values("brief_id"))
        return briefs

    def title(self) -> str:
        """The feed's name in the interface language: the feed's own, for a one-language
        feed (``url`` puts it under that language's prefix)."""
        parts = [board_name(self.board)]
        if self.category:
            name = self.category.name_for(get_language())
            parts.append(_("Category: %(name)s") % {"name": name})
        if self.entity:
            parts.append(self.entity.name_for(get_language()))
        parts.append(HOLDS[self.language] if self.language else _("Briefs in both languages"))
        return " · ".join(str(part) for part in parts)

    def url(self, fmt: str) -> str:
        """The feed's one address: a one-language feed's is under its language's prefix."""
        if self.category:
            name, args = "feeds:category", [self.category.slug, self.language, fmt]
        elif self.entity:
            name, args = "feeds:entity", [self.entity.slug, self.language, fmt]
        elif self.language:
            name, args = "feeds:language", [self.language, fmt]
        else:
            name, args = "feeds:board", [fmt]
        with translation.override(self.language or get_language()):
            return reverse(name, args=args)

    def entries(self) -> list[Brief]:
        briefs = self.briefs().published(at=self.now).for_listing().prefetch_related("pictures")
        return list(briefs[:FEED_SIZE])

    def validators(self, representation: str) -> tuple[str, int | None]:
        """The ETag and Last-Modified time of the feed as it would be now.

        Last-Modified is the latest of the briefs' ``updated_at`` (every status: unpublishing
        a brief stamps it, so a feed that loses an entry is newer, not older) and of the
        publication times that have come (a scheduled brief appears without being saved).
        The ETag also covers what that time cannot see: a deleted brief, the interface
        language, the board's and the category's names, and the ``representation`` (the
        feed's XML or its HTML page)."""
        times = self.briefs().aggregate(
            updated=Max("updated_at"),
            published=Max(
                "published_at",
                filter=Q(status=Brief.Status.PUBLISHED, published_at__lte=self.now),
            ),
        )
        latest = max((t for t in times.values() if t), default=None)
        shown = self.briefs().published(at=self.now).values_list("pk", "updated_at")[:FEED_SIZE]
        key = [representation, get_language(), self.title(), latest]
        key += [f"{pk}@{updated.isoformat()}" for pk, updated in shown]
        etag = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        return etag, int(latest.timestamp()) if latest else None


class BriefFeed(Feed):
    """One feed of one scope; made per request, in the format asked for."""

    item_guid_is_permalink = False
    #: ``feed.xsl`` under the interface language's prefix, where the feed is.
    stylesheets = [Stylesheet(reverse_lazy("feeds:stylesheet"), mimetype="text/xsl")]

    def __init__(self, feed_type, request):
        self.feed_type, self.request = feed_type, request

    def get_object(self, request, scope: Scope) -> Scope:
        return scope

    def get_feed(self, scope: Scope, request):
        feed = super().get_feed(scope, request)
        # A one-language feed is in that language (and so is its interface: see ``url``);
        # the bilingual one's title is in the interface's, and its entries say their own.
        feed.feed["language"] = get_language()
        return feed

    def title(self, scope: Scope) -> str:
        return scope.title()

    def description(self, scope: Scope) -> str:
        return _("The newest briefs of %(feed)s") % {"feed": self.title(scope)}

    def link(self, scope: Scope) -> str:
        about = scope.category or scope.entity
        page = about.get_absolute_url() if about else reverse("briefs:index")
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

    def item_link(self, brief: Brief) -> str:
        return page_of(brief)

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
        """The brief's first picture (``feedgenerator.Enclosure``)."""
        return enclosures(brief, self.request.build_absolute_uri)

    def item_categories(self, brief: Brief) -> list[str]:
        return brief.tag_names()

    def item_extra_kwargs(self, brief: Brief) -> dict:
        alternates = [
            (v.language, self.request.build_absolute_uri(page_of(v)), v.title)
            for v in brief.feed_versions
        ]
        return {"language": brief.language, "alternates": alternates}


FORMATS = {"rss": RssFeed, "atom": AtomFeed}


@require_safe
def feed(request, fmt: str, language: str | None = None, slug: str | None = None):
    """A feed (``fmt``: rss or atom) of the board, one brief language or one category in one
    language, answering 304 when the reader's copy is current; or its page, to a browser."""
    category = get_object_or_404(Category, slug=slug) if slug else None
    scope = Scope(request.board, language, category)
    return _answer(request, scope, fmt)


@require_safe
def entity(request, slug: str, language: str, fmt: str):
    """An entity's feed in one language; a merged entity's address leads to the feed of the
    entity it was merged into."""
    live = live_entity(slug)
    scope = Scope(request.board, language, entity=live)
    if live.slug != slug:
        return HttpResponsePermanentRedirect(scope.url(fmt))
    return _answer(request, scope, fmt)


def _answer(request, scope: Scope, fmt: str):
    """The feed of ``scope`` under its language's prefix: XML, its page, or a 304."""
    language = scope.language
    if language and language != get_language():
        return HttpResponsePermanentRedirect(scope.url(fmt))
    writer = FORMATS[fmt]
    media_type = writer.content_type.split(";")[0]
    representation = request.get_preferred_type([media_type, "text/html"]) or media_type
    etag, modified = scope.validators(representation)
    response = get_conditional_response(request, etag=quote_etag(etag), last_modified=modified)
    if response is None and representation == "text/html":
        response = preview(request, scope, fmt)
    elif response is None:
        response = BriefFeed(writer, request)(request, scope)
    response.headers["ETag"] = quote_etag(etag)
    if modified is None:
        response.headers.pop("Last-Modified", None)
    else:
        response.headers["Last-Modified"] = http_date(modified)
    patch_vary_headers(response, ["Accept"])
    return response


def preview(request, scope: Scope, fmt: str):
    """The feed as a board page: what it is, its address to copy, and its entries."""
    context = {
        "title": scope.title(),
        "address": request.build_absolute_uri(scope.url(fmt)),
        "formats": [(w.name, scope.url(name)) for name, w in FORMATS.items() if name != fmt],
        "briefs": scope.entries(),
        "category": scope.category,
        "entity": scope.entity,
    }
    return render(request, "feeds/preview.html", context)


@require_safe
def category(request, slug: str, fmt: str):
    """A category's feed before it had one per language: the interface language's."""
    category = get_object_or_404(Category, slug=slug)
    return HttpResponsePermanentRedirect(Scope(request.board, reader_language(), category).url(fmt))


@require_safe
@cache_control(max_age=86400, public=True)
def stylesheet(request):
    """``feed.xsl``: the feed's page for browsers that apply XSLT, labelled by gettext in the
    interface language, which is the feed's."""
    context = {"name": board_name(request.board)}
    return render(request, "feeds/feed.xsl", context, content_type="text/xsl; charset=utf-8")
