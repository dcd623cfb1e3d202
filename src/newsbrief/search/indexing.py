"""What the index holds for a brief, and how changes reach it.

The database is the source of truth. ``drain`` applies the outbox (``PendingChange``) to the
configured backend: it runs after each saving transaction commits and before every query, so
search never shows an index older than the last commit, even after a crash in between.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

from django.utils import timezone
from django.utils.html import strip_tags

from newsbrief.briefs.models import Brief


@dataclasses.dataclass(frozen=True)
class Document:
    """A brief as the index sees it. Backends build their entries from this only, so a
    benchmark can index documents that never touched the database (``search_ids`` finds them
    without hydrating)."""

    id: int
    language: str
    title: str
    body: str
    published_at: dt.datetime
    author: str = ""
    categories: tuple[str, ...] = ()  # slugs, for filtering
    extra: str = ""  # tags, source and author as words: searchable, weighed like the body

    @property
    def year(self) -> int:
        """The year of publication on the board's calendar (a facet)."""
        return timezone.localtime(self.published_at).year


def document_for(brief: Brief) -> Document:
    """The document for a saved brief (use ``searchable`` for the related rows prefetched)."""
    tags = brief.tags
    author = brief.author.get_username()
    return Document(
        id=brief.pk,
        language=brief.language,
        title=brief.title,
        body=plain_body(brief),
        published_at=brief.published_at,
        author=author,
        categories=tuple(c.slug for c in tags),
        extra=" ".join([*(c.name_for(brief.language) for c in tags), brief.source_name, author]),
    )


def plain_body(brief: Brief) -> str:
    """The body as a reader sees it, without markup."""
    return html.unescape(strip_tags(brief.body_html or brief.body))


def searchable():
    """Briefs that belong in the index: published, including those scheduled for later (the
    backends leave out, at query time, those whose time has not come)."""
    return (
        Brief.objects.filter(status=Brief.Status.PUBLISHED, published_at__isnull=False)
        .select_related("author")
        .prefetch_related("brief_tags__category")
        .order_by("pk")
    )


def as_document(item) -> Document:
    return item if isinstance(item, Document) else document_for(item)


def drain(backend=None) -> int:
    """Apply pending changes to the index; returns how many briefs were updated."""
    from .backends import get_backend

    return (backend or get_backend()).drain()
