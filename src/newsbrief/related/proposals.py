"""What the desk, the command line and the API ask of this app: related earlier briefs,
other-language counterparts and category tags for a brief, each with its reasons.

Everything reads the live index (``live``: the newest snapshot plus the changes since) and
the stored entries; the only brief a call analyses or embeds is the one it is about, and only
while that brief's own entry is out of date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
from django.conf import settings
from django.utils import timezone

from newsbrief.briefs.models import Brief, Category, RelatedLink

from . import embedding, live
from .entries import entry_of, load_profile
from .features import Profile
from .models import IndexEntry, Verdict
from .ranking import RELATED_FLOOR, Archive, counterparts, rank
from .reasons import categories_of, reasons
from .tags import TagSuggester

#: Counterparts are looked for among briefs at most this many days apart (by source date, or
#: publication, or creation for drafts), the nearest this many of them; and a candidate is
#: left to the nearest this many other unlinked briefs of the brief's language if it is theirs.
COUNTERPART_DAYS = 30
MAX_COUNTERPART_CANDIDATES = 150
MAX_RIVALS = 30


@dataclasses.dataclass(frozen=True)
class Proposal:
    brief: Brief
    score: float
    reasons: tuple[str, ...]


def reset() -> None:
    """Forget the index state held in this process (tests; a restored backup)."""
    live.reset()


def propose_related(brief: Brief, limit: int = 10, fresh: bool = False) -> list[Proposal]:
    """The best ``limit`` earlier published briefs for ``brief``, in either language, best
    first; one per news item (its version in ``brief``'s language when there is one). Never
    the brief's own versions, nor what an editor rejected for it. ``fresh``: read the index's
    newest changes first (a worker that has just written some)."""
    versions = set(
        Brief.objects.filter(translation_key=brief.translation_key).values_list("pk", flat=True)
    )
    rejected = set(
        Verdict.objects.filter(brief=brief, kind=Verdict.Kind.REJECTED).values_list(
            "target_id", flat=True
        )
    )
    query, vector = entry_of(brief)
    before = brief.local_published_date or _tomorrow()
    return _propose(query, vector, before, versions | rejected, limit, fresh)


def propose_for_text(title: str, body: str, language: str, limit: int = 10) -> list[Proposal]:
    """Proposals for a brief not saved yet (a new brief's preview)."""
    query = Profile.of(None, title=title, body=body, language=language, date=timezone.localdate())
    vectors = embedding.encode([f"{title}\n{body}"])
    return _propose(query, None if vectors is None else vectors[0], _tomorrow(), set(), limit)


def _tomorrow() -> dt.date:
    """For a brief not yet published, everything published so far is earlier."""
    return timezone.localdate() + dt.timedelta(days=1)


def _propose(
    query: Profile, vector, before: dt.date, exclude: set, limit: int, fresh: bool = False
) -> list[Proposal]:
    view = live.current(fresh)
    hits = rank(
        query,
        view.archive,
        vector=vector,
        limit=limit * 3,
        before=before,
        exclude=exclude,
        floor=RELATED_FLOOR,
    )
    keys = [view.key(h.index) for h in hits]
    found = Brief.objects.published().select_related("author").in_bulk(keys)
    shown_in = {
        b.translation_key: b
        for b in Brief.objects.published()
        .select_related("author")
        .filter(
            translation_key__in={b.translation_key for b in found.values()},
            language=query.language,
        )
    }
    profiles = _profiles(keys)
    categories = categories_of(query)
    proposals, seen = [], set()
    for hit, key in zip(hits, keys, strict=True):
        brief = found.get(key)
        if brief is None or key not in profiles or brief.translation_key in seen:
            continue  # withdrawn since the index last heard
        seen.add(brief.translation_key)
        shown = shown_in.get(brief.translation_key, brief)
        if shown.pk in exclude:
            continue
        why = reasons(query, profiles[key], hit, categories)
        proposals.append(Proposal(shown, hit.score, why))
        if len(proposals) == limit:
            break
    return proposals


def _profiles(keys) -> dict[int, Profile]:
    """The stored profiles of ``keys`` (what reasons compare), without analysing anything."""
    rows = IndexEntry.objects.filter(brief_id__in=keys).values_list("brief_id", "profile")
    return {pk: load_profile(data) for pk, data in rows if data}


def propose_counterparts(brief: Brief, limit: int = 5) -> list[Proposal]:
    """Briefs in the other language, not yet linked to a version in ``brief``'s language, that
    likely report the same news item, best first: for an editor to confirm, and only above
    the pairing floor (``pairing``), so often none. None once the brief has an other-language
    version. A candidate that another unlinked brief of the window matches better is left to
    it (one-to-one)."""
    if Brief.objects.filter(translation_key=brief.translation_key).exclude(pk=brief.pk).exists():
        return []
    candidates = _in_window(brief, other=True, most=MAX_COUNTERPART_CANDIDATES)
    if not candidates:
        return []
    found = _stored(candidates)
    if not found:
        return []
    profiles = [p for p, _v in found]
    vectors = [v for _p, v in found]
    matrix = np.vstack(vectors) if all(v is not None for v in vectors) else None
    archive = Archive(profiles, matrix)
    query, vector = entry_of(brief)
    rivals = _stored(_in_window(brief, other=False, most=MAX_RIVALS))
    hits = counterparts(query, archive, vector, limit, rivals=rivals)
    by_pk = Brief.objects.select_related("author").in_bulk([archive.keys[h.index] for h in hits])
    categories = categories_of(query)
    return [
        Proposal(
            by_pk[archive.keys[h.index]],
            h.score,
            reasons(query, archive.profiles[h.index], h, categories),
        )
        for h in hits
    ]


def _in_window(brief: Brief, other: bool, most: int) -> list[int]:
    """The ``most`` briefs nearest in date to ``brief`` within ``COUNTERPART_DAYS`` (by
    publication, creation for drafts, or source date: two versions of one news item cite the
    same source, and appear about the same time), of the other language (``other``) or of
    its own, with no version on the other side yet. Each window is its own indexed range
    query; linkage is checked for what they found only."""
    language = (
        Brief.objects.exclude(language=brief.language)
        if other
        else (Brief.objects.filter(language=brief.language).exclude(pk=brief.pk))
    )
    day = brief.published_at or brief.created_at
    span = dt.timedelta(days=COUNTERPART_DAYS)
    windows = [
        language.filter(published_at__range=_around(day, span)),
        language.filter(published_at=None, created_at__range=_around(day, span)),
    ]
    if brief.source_date:
        windows.append(language.filter(source_date__range=_around(brief.source_date, span)))
    found: dict[int, tuple] = {}
    for window in windows:
        rows = window.values_list("pk", "translation_key", "published_at", "created_at")
        for pk, key, published_at, created_at in rows[: most * 4]:
            found[pk] = (key, abs(((published_at or created_at) - day).total_seconds()))
    keys = {key for key, _apart in found.values()}
    sides = Brief.objects.filter(translation_key__in=keys)
    sides = (
        sides.filter(language=brief.language) if other else sides.exclude(language=brief.language)
    )
    linked = set(sides.values_list("translation_key", flat=True))
    free = [(apart, pk) for pk, (key, apart) in found.items() if key not in linked]
    return [pk for _apart, pk in sorted(free)[:most]]


def _around(day, span: dt.timedelta) -> tuple:
    """``day`` - ``span`` to ``day`` + ``span``, cut at the ends of the calendar, near which
    a date stored before dates were checked can lie."""
    low, high = type(day).min, type(day).max
    if isinstance(day, dt.datetime):
        low, high = low.replace(tzinfo=dt.UTC), high.replace(tzinfo=dt.UTC)
    return max(day, low + span) - span, min(day, high - span) + span


def _stored(briefs) -> list[tuple[Profile, np.ndarray | None]]:
    """The stored profiles and vectors of ``briefs`` (nothing analysed), at most
    ``MAX_COUNTERPART_CANDIDATES``."""
    entries = IndexEntry.objects.filter(brief__in=briefs).exclude(profile={})
    return [(load_profile(e.profile), e.as_array()) for e in entries[:MAX_COUNTERPART_CANDIDATES]]


def suggest_tags(
    title: str, body: str, language: str, limit: int = 5
) -> list[tuple[Category, float]]:
    """Likely category tags for a text not saved yet, with a confidence (0..1), best first."""
    vectors = embedding.encode([f"{title}\n{body}"])
    query = Profile.of(None, title=title, body=body, language=language)
    return _suggest(query, None if vectors is None else vectors[0], limit)


def suggest_tags_for(brief: Brief, limit: int = 5) -> list[tuple[Category, float]]:
    """Likely category tags for a saved brief (its kept embedding, not a new one)."""
    return _suggest(*entry_of(brief), limit)


def _suggest(query: Profile, vector, limit: int) -> list[tuple[Category, float]]:
    """From the tag model trained with the index's snapshot (none before the first one)."""
    view = live.current()
    if view.tags is None or not view.tags.tags:
        return []
    suggested = TagSuggester(view.tags, view.archive).suggest(query, vector, limit)
    categories = Category.objects.in_bulk([slug for slug, _c in suggested], field_name="slug")
    return [(categories[slug], c) for slug, c in suggested if slug in categories]


def store_on_publish(brief: Brief) -> int:
    """Store the top proposals as ``brief``'s related messages (``RelatedLink``, origin
    system) after what editors chose and what an imported page cited, up to
    ``NEWSBRIEF_RELATED_ON_PUBLISH`` in all, so the brief page never ranks on a request.
    Returns how many links the brief has."""
    from .curation import rewrite

    wanted = settings.NEWSBRIEF_RELATED_ON_PUBLISH
    kept = brief.related_links.exclude(origin=RelatedLink.Origin.SYSTEM)
    room = wanted - kept.count()
    have = set(kept.values_list("target_id", flat=True))
    proposed = (
        [p.brief for p in propose_related(brief, limit=wanted, fresh=True)] if room > 0 else []
    )
    return rewrite(brief, [b for b in proposed if b.pk not in have][: max(room, 0)])
