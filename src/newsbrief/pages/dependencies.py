"""Which stored pages show a brief: its own page in every interface language, the pages of
its other-language versions, of the briefs that cite it and of those it cites (their "Later
messages"), of the briefs either side of it (their previous / next links), and the listings
of its language that can hold it (the board index, the category list and its categories'
pages, the archive index, its month and the months either side, which link to it, the entity
index and the pages of the entities it names, whose counts and timelines it is in).

Computed from the database as it is when asked: the receivers ask before a change (what showed
the brief) and after it commits (what shows it now), and drop both.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from newsbrief.briefs import neighbours as adjacent
from newsbrief.briefs.limits import YEARS
from newsbrief.briefs.models import Brief, BriefTag, RelatedLink
from newsbrief.entities.models import BriefEntity


def _reverse(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def brief_pages(*brief_ids: int | None) -> set[str]:
    """A brief's page in each interface language."""
    return {
        _reverse(code, "briefs:detail", pk)
        for pk in brief_ids
        if pk is not None
        for code, _name in settings.LANGUAGES
    }


def category_pages(slug: str) -> set[str]:
    return {_reverse(code, "briefs:category", slug) for code, _name in settings.LANGUAGES}


def entity_pages(slugs: Iterable[str], languages: Iterable[str] | None = None) -> set[str]:
    """The entity index and the pages of the entities at ``slugs``, in ``languages`` (every
    interface language by default)."""
    languages = list(languages or (code for code, _name in settings.LANGUAGES))
    paths = {_reverse(code, "entities:index") for code in languages}
    return paths | {_reverse(code, "entities:detail", slug) for slug in slugs for code in languages}


def listing_pages(
    language: str, published_at=None, slugs: Iterable[str] = (), entities: Iterable[str] = ()
) -> set[str]:
    """The listings that show briefs in ``language``: those of the interface in the same
    language (``/en/`` lists English briefs, ``/zh-hant/`` Chinese ones)."""
    paths = {
        _reverse(language, name) for name in ("briefs:index", "briefs:categories", "briefs:archive")
    }
    paths |= {_reverse(language, "briefs:category", slug) for slug in slugs}
    paths |= entity_pages(entities, [language])
    if published_at is not None:
        local = timezone.localtime(published_at)
        paths.add(_reverse(language, "briefs:archive_month", local.year, local.month))
    return paths


def listings_of(brief_ids: Iterable[int]) -> set[str]:
    """The pages of ``brief_ids`` and the listings that hold them as they are now, not their
    neighbours' (two queries): what a change to what they name, not to the briefs, alters
    (the listings' facets)."""
    ids = set(brief_ids)
    slugs: dict[int, list[str]] = {}
    for brief_id, slug in BriefTag.objects.filter(brief_id__in=ids).values_list(
        "brief_id", "category__slug"
    ):
        slugs.setdefault(brief_id, []).append(slug)
    # Reversed once per language, month and category, not per brief: a backfill sends
    # thousands at a time.
    listings: dict[tuple, set[str]] = {}
    for pk, language, published_at in Brief.objects.filter(pk__in=ids).values_list(
        "pk", "language", "published_at"
    ):
        month = timezone.localtime(published_at).replace(day=1, hour=0) if published_at else None
        listings.setdefault((language, month), set()).update(slugs.get(pk, ()))
    paths = brief_pages(*ids)
    for (language, month), categories in listings.items():
        paths |= listing_pages(language, month, categories)
    return paths


def showing(brief_ids: Iterable[int]) -> set[str]:
    """Every page that shows one of ``brief_ids`` as they are now (six queries, and four
    per published brief for its neighbours)."""
    ids = set(brief_ids)
    if not ids:
        return set()
    rows = list(
        Brief.objects.filter(pk__in=ids).values_list(
            "pk", "language", "published_at", "translation_key"
        )
    )
    slugs: dict[int, list[str]] = {}
    for brief_id, slug in BriefTag.objects.filter(brief_id__in=ids).values_list(
        "brief_id", "category__slug"
    ):
        slugs.setdefault(brief_id, []).append(slug)
    # Every entity row, whatever its decision: one just removed was shown until now.
    named: dict[int, list[str]] = {}
    for brief_id, slug in BriefEntity.objects.filter(brief_id__in=ids).values_list(
        "brief_id", "entity__slug"
    ):
        named.setdefault(brief_id, []).append(slug)
    paths = brief_pages(*ids)
    for pk, language, published_at, _key in rows:
        paths |= listing_pages(language, published_at, slugs.get(pk, ()), named.get(pk, ()))
    paths |= _beside(ids)
    neighbours = set(
        Brief.objects.filter(translation_key__in={row[3] for row in rows}).values_list(
            "pk", flat=True
        )
    )
    neighbours |= set(
        RelatedLink.objects.filter(target_id__in=ids).values_list("brief_id", flat=True)
    )
    neighbours |= set(
        RelatedLink.objects.filter(brief_id__in=ids, target__isnull=False).values_list(
            "target_id", flat=True
        )
    )
    return paths | brief_pages(*(neighbours - ids))


def _beside(ids: set[int]) -> set[str]:
    """The pages of the briefs and months either side of the published ones of ``ids``."""
    paths: set[str] = set()
    for brief in Brief.objects.published().filter(pk__in=ids):
        same = Brief.objects.published().filter(board=brief.board_id, language=brief.language)
        paths |= brief_pages(*(b.pk for b in adjacent.newer_and_older(same, brief) if b))
        if brief.published_at.year not in YEARS:
            continue  # a date stored before the limits: no month page shows it
        start = adjacent.month_start(brief.published_at)
        for month in adjacent.earlier_and_later_months(
            same, start, adjacent.next_month_start(start)
        ):
            if month is not None:
                paths.add(_reverse(brief.language, "briefs:archive_month", month.year, month.month))
    return paths
