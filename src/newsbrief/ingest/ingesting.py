"""``newsbrief ingest``: fetch the active sources and turn new articles into draft briefs.

For each source: fetch it (conditionally), read its entries (a feed) or itself (a page),
fetch each entry's article and extract its text, skip what was seen before, and save a draft
through ``briefs.publishing.save_brief``, authored by the ingest account, with the source's
name and date and a *Further Information* link to the article. Every failure (fetch, parse,
extraction, storage) is logged, recorded on the source (``last_error``) and counted; the run
goes on with the next entry or source.

Each draft is saved with its ``Item`` rows in one transaction, so an interrupted run is
resumed by running it again. A source's validators (ETag, Last-Modified) are stored only after
every entry of the fetch was handled, so a ``304`` never hides an entry that was not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from tqdm import tqdm

from newsbrief.briefs import limits
from newsbrief.briefs.content import BriefContent, InvalidContent, Link
from newsbrief.briefs.models import Brief, Revision
from newsbrief.briefs.publishing import prepare, save_brief

from . import extract
from .extract import Article, Entry, ExtractError
from .fetch import FetchError, NotModified, Refused, Response, fetch
from .models import Item, Source
from .signals import draft_ingested

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Report:
    fetched: int = 0
    created: int = 0
    duplicates: int = 0
    not_modified: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)
    sources_failed: int = 0
    sources: int = 0

    def summary(self) -> str:
        return (
            f"fetched {self.fetched}, new drafts {self.created}, duplicates {self.duplicates}, "
            f"not modified {self.not_modified}, failed {len(self.failures)}"
        )

    @property
    def all_failed(self) -> bool:
        return self.sources > 0 and self.sources_failed == self.sources


class _Failed(Exception):
    """An entry that cannot become a draft; the message says why."""


def ingest(sources: Iterable[Source], *, dry_run: bool = False, progress: bool = False) -> Report:
    """Ingest ``sources``; with ``dry_run`` fetch and read everything but write nothing."""
    sources = list(sources)
    report = Report(sources=len(sources))
    for source in tqdm(sources, desc="ingest", unit="source", disable=not progress):
        try:
            _ingest_source(source, report, dry_run)
        except Exception as exc:  # a bug or a storage failure must not stop the other sources
            log.exception("ingest: %s failed", source.name)
            _fail_source(source, report, dry_run, f"unexpected error: {exc!r}"[:500])
    return report


def due_sources() -> QuerySet[Source]:
    """The active sources not fetched for ``NEWSBRIEF_INGEST_INTERVAL`` minutes (or ever)."""
    since = timezone.now() - dt.timedelta(minutes=settings.NEWSBRIEF_INGEST_INTERVAL)
    fetched_long_ago = Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lte=since)
    return Source.objects.filter(fetched_long_ago, active=True).order_by("pk")


def longest_run() -> float:
    """Seconds one source's run may take at most: its fetch and each entry's article."""
    return settings.NEWSBRIEF_INGEST_TIMEOUT * (settings.NEWSBRIEF_INGEST_MAX_ENTRIES + 1) + 60


def _ingest_source(source: Source, report: Report, dry_run: bool) -> None:
    errors: list[str] = []
    try:
        response = fetch(source.url, etag=source.etag, last_modified=source.last_modified)
    except NotModified:
        report.not_modified += 1
        _record(source, dry_run, errors)
        return
    except FetchError as exc:
        _fail_source(source, report, dry_run, str(exc))
        return
    report.fetched += 1
    if source.kind == Source.Kind.PAGE:
        entries, feed_title = [Entry(id=source.url, link=response.url)], ""
    else:
        try:
            feed = extract.parse_feed(response.body, response.url, response.content_type)
        except ExtractError as exc:
            _fail_source(source, report, dry_run, str(exc))
            return
        entries = feed.entries[: settings.NEWSBRIEF_INGEST_MAX_ENTRIES]
        feed_title = feed.title
    page = response if source.kind == Source.Kind.PAGE else None
    for entry in entries:
        try:
            created = _ingest_entry(source, entry, feed_title, page, dry_run)
        except Exception as exc:
            if not isinstance(exc, _Failed):
                log.exception("ingest: %s: entry %s", source.name, entry.id)
            message = f"{entry.title or entry.link or entry.id}: {exc}"[:1000]
            log.warning("ingest: %s: %s", source.name, message)
            report.failures.append(f"{source.name}: {message}")
            errors.append(message)
            continue
        if created:
            report.created += 1
        else:
            report.duplicates += 1
    if len(errors) == len(entries) and entries:
        report.sources_failed += 1
    _record(source, dry_run, errors, response=None if errors else response)


def _fail_source(source: Source, report: Report, dry_run: bool, message: str) -> None:
    log.warning("ingest: %s: %s", source.name, message)
    report.failures.append(f"{source.name}: {message}")
    report.sources_failed += 1
    _record(source, dry_run, [message])


def _record(source: Source, dry_run: bool, errors: list[str], response: Response | None = None):
    """Note the fetch on the source; the validators only when every entry was handled."""
    if dry_run:
        return
    now = timezone.now()
    source.last_fetched_at = now
    source.last_error = "\n".join(errors)[:5000]
    if errors:
        source.last_error_at = now
    if response is not None:
        source.etag, source.last_modified = response.etag[:500], response.last_modified[:100]
    source.save(
        update_fields=["last_fetched_at", "last_error", "last_error_at", "etag", "last_modified"]
    )


def _ingest_entry(
    source: Source, entry: Entry, feed_title: str, page: Response | None, dry_run: bool
) -> bool:
    """Make ``entry`` a draft: ``True`` if it did, ``False`` for an article seen before."""
    guid_key = extract.digest(entry.id)
    url_key = extract.digest(extract.normalize_url(entry.link)) if entry.link else guid_key
    seen = Item.objects.filter(source=source, guid_key=guid_key).first() or (
        Item.objects.filter(url_key=url_key).first()
    )
    if seen is not None:
        _remember(source, entry, guid_key, url_key, seen.content_hash, seen.brief, dry_run)
        return False

    article, why = _article(entry, page)
    title = entry.title or article.title
    text = article.text or entry.summary
    if not text:
        raise _Failed(why or "the page has no article text and the feed no summary")
    if not title:
        raise _Failed("neither the feed nor the page gives a title")
    text_hash = extract.content_hash(text)
    seen = Item.objects.filter(content_hash=text_hash).select_related("brief").first()
    if seen is not None:
        _remember(source, entry, guid_key, url_key, text_hash, seen.brief, dry_run)
        return False

    link = page.url if page else entry.link
    links = (
        (Link(label=title[: limits.LINK_LABEL], url=link),)
        if link and len(link) <= limits.LINK_URL
        else ()
    )
    content = BriefContent(
        language=source.language,
        title=title[: limits.TITLE],
        body=extract.to_markdown(text),
        author=settings.NEWSBRIEF_INGEST_USER,
        published_at=None,
        source_name=(article.site_name or feed_title or source.name)[: limits.SOURCE_NAME],
        source_date=entry.date or article.date,
        links=links,
    ).without_controls()
    try:
        prepared = prepare(content)
    except InvalidContent as exc:
        raise _Failed(str(exc)) from None
    if dry_run:
        return True
    try:
        with transaction.atomic():
            brief = save_brief(
                prepared, status=Brief.Status.DRAFT, origin=Revision.Origin.IMPORT
            ).brief
            _remember(source, entry, guid_key, url_key, text_hash, brief, dry_run)
    except InvalidContent as exc:
        raise _Failed(str(exc)) from None
    except IntegrityError:
        # Another run took this entry between our look and our write.
        return False
    transaction.on_commit(lambda: _announce(brief, source, link))
    return True


def _announce(brief: Brief, source: Source, url: str) -> None:
    """The hook for proposals (see ``signals``): a failing receiver is logged, nothing more."""
    for receiver, result in draft_ingested.send_robust(
        sender=Source, brief=brief, source=source, url=url
    ):
        if isinstance(result, Exception):
            log.error("ingest: %r failed on brief %s: %r", receiver, brief.pk, result)


def _article(entry: Entry, page: Response | None) -> tuple[Article, str]:
    """The entry's article (fetched unless it is the page already in hand), and why not
    when there is none; the caller falls back to the feed's summary. An entry whose link is
    refused is refused as a whole: a feed must not make a draft pointing inside either."""
    if page is None and not entry.link:
        return Article(), "the entry has no link and no summary"
    try:
        response = page or fetch(entry.link)
        text = extract.decode_page(response.body, response.charset)
        return extract.extract_article(text, response.url), ""
    except Refused as exc:
        raise _Failed(str(exc)) from None
    except (FetchError, ExtractError) as exc:
        log.info("ingest: no article, using the summary if any: %s", exc)
        return Article(), str(exc)


def _remember(source, entry, guid_key, url_key, text_hash, brief, dry_run) -> None:
    """Record that ``source`` carried ``entry`` (linked to the draft it became, or the one it
    duplicates), so that the next run skips it without fetching its article."""
    if dry_run:
        return
    Item.objects.get_or_create(
        source=source,
        guid_key=guid_key,
        defaults={
            "guid": entry.id,
            "url": entry.link[:2000],
            "url_key": url_key,
            "content_hash": text_hash,
            "brief": brief,
        },
    )
