"""What the desk, the command line and the API ask of this app: related earlier briefs,
other-language counterparts and category tags for a brief, each with its reasons.

Ranking reads an ``Archive`` of the published briefs, built once per process and rebuilt when
the archive changes (its fingerprint: how many published briefs, the latest change, how many
vectors). Embeddings are kept in ``BriefVector`` and computed for briefs that lack one the first
time they are needed (``newsbrief train`` computes them all ahead of time).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from newsbrief.briefs.models import Brief, Category, RelatedLink
from newsbrief.search.indexing import plain_body

from . import embedding
from .features import Profile
from .models import BriefVector, Verdict
from .ranking import RELATED_FLOOR, Archive, counterparts, rank
from .reasons import categories_of, reasons
from .tags import TagModel, TagSuggester

#: Counterparts are looked for among briefs at most this many days apart (by source date, or
#: publication, or creation for drafts), at most this many of them.
COUNTERPART_DAYS = 30
MAX_COUNTERPART_CANDIDATES = 5000


@dataclasses.dataclass(frozen=True)
class Proposal:
    brief: Brief
    score: float
    reasons: tuple[str, ...]


def profile_of(brief: Brief) -> Profile:
    """Tags are category slugs, the same in both languages, so tag overlap crosses them."""
    return Profile.of(
        brief.pk,
        title=brief.title,
        body=plain_body(brief),
        language=brief.language,
        date=brief.local_published_date or timezone.localdate(),
        tags=[c.slug for c in brief.tags],
        group=brief.translation_key,
    )


def vectors_for(briefs: list[Brief]) -> np.ndarray | None:
    """One embedding per brief, from ``BriefVector`` or computed (and kept) now; None when no
    model can be loaded."""
    if not briefs:
        return None
    keys = {b.pk: embedding.text_key(profile_text(b)) for b in briefs}
    stored = {
        v.brief_id: v
        for v in BriefVector.objects.filter(brief_id__in=keys)
        if v.text_key == keys[v.brief_id]
    }
    missing = [b for b in briefs if b.pk not in stored]
    if missing:
        fresh = embedding.encode([profile_text(b) for b in missing])
        if fresh is None:
            return None
        for brief, vector in zip(missing, fresh, strict=True):
            stored[brief.pk], _created = BriefVector.objects.update_or_create(
                brief=brief,
                defaults={
                    "text_key": keys[brief.pk],
                    "vector": vector.astype(np.float16).tobytes(),
                    "updated_at": timezone.now(),
                },
            )
    return np.vstack([stored[b.pk].as_array() for b in briefs])


def profile_text(brief: Brief) -> str:
    return f"{brief.title}\n{plain_body(brief)}"


def published_briefs():
    return (
        Brief.objects.published()
        .select_related("author")
        .prefetch_related("brief_tags__category")
        .order_by("pk")
    )


class _ArchiveCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.fingerprint = None
        self.archive: Archive | None = None
        self.briefs: dict[int, Brief] = {}
        self.versions: dict[tuple, Brief] = {}

    def get(self) -> tuple[Archive, dict[int, Brief], dict[tuple, Brief]]:
        published = Brief.objects.published()
        fingerprint = (
            published.aggregate(n=Count("pk"), at=Max("updated_at")),
            BriefVector.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
            settings.NEWSBRIEF_RELATED_EMBEDDINGS,
        )
        with self.lock:
            if fingerprint != self.fingerprint:
                briefs = list(published_briefs())
                self.archive = Archive([profile_of(b) for b in briefs], vectors_for(briefs))
                self.briefs = {b.pk: b for b in briefs}
                self.versions = {(b.translation_key, b.language): b for b in briefs}
                self.fingerprint = fingerprint
            return self.archive, self.briefs, self.versions


_cache = _ArchiveCache()


def reset() -> None:
    """Forget the archive and tag models held in this process (tests; a restored backup)."""
    global _cache
    _cache = _ArchiveCache()
    _suggesters.clear()


def _vector(brief: Brief) -> np.ndarray | None:
    vectors = vectors_for([brief]) if brief.pk else None
    return None if vectors is None else vectors[0]


def propose_related(brief: Brief, limit: int = 10) -> list[Proposal]:
    """The best ``limit`` earlier published briefs for ``brief``, in either language, best
    first; one per news item (its version in ``brief``'s language when there is one). Never
    the brief's own versions, nor what an editor rejected for it."""
    versions = set(
        Brief.objects.filter(translation_key=brief.translation_key).values_list("pk", flat=True)
    )
    rejected = set(
        Verdict.objects.filter(brief=brief, kind=Verdict.Kind.REJECTED).values_list(
            "target_id", flat=True
        )
    )
    before = brief.local_published_date or _tomorrow()
    return _propose(profile_of(brief), _vector(brief), before, versions | rejected, limit)


def propose_for_text(title: str, body: str, language: str, limit: int = 10) -> list[Proposal]:
    """Proposals for a brief not saved yet (a new brief's preview)."""
    query = Profile.of(None, title=title, body=body, language=language, date=timezone.localdate())
    vectors = embedding.encode([f"{title}\n{body}"])
    return _propose(query, None if vectors is None else vectors[0], _tomorrow(), set(), limit)


def _tomorrow() -> dt.date:
    """For a brief not yet published, everything published so far is earlier."""
    return timezone.localdate() + dt.timedelta(days=1)


def _propose(query: Profile, vector, before: dt.date, exclude: set, limit: int) -> list[Proposal]:
    archive, briefs, versions = _cache.get()
    categories = categories_of(query)
    hits = rank(
        query,
        archive,
        vector=vector,
        limit=limit * 3,
        before=before,
        exclude=exclude,
        floor=RELATED_FLOOR,
    )
    proposals, seen = [], set()
    for hit in hits:
        found = briefs[archive.keys[hit.index]]
        if found.translation_key in seen:
            continue
        seen.add(found.translation_key)
        shown = versions.get((found.translation_key, query.language), found)
        if shown.pk in exclude:
            continue
        proposals.append(Proposal(shown, hit.score, reasons(query, archive, hit, categories)))
        if len(proposals) == limit:
            break
    return proposals


def propose_counterparts(brief: Brief, limit: int = 5) -> list[Proposal]:
    """Briefs in the other language, not yet linked to a version in ``brief``'s language, that
    likely report the same news item, best first: for an editor to confirm. None once the
    brief has an other-language version."""
    if Brief.objects.filter(translation_key=brief.translation_key).exclude(pk=brief.pk).exists():
        return []
    linked = Brief.objects.filter(language=brief.language).values("translation_key")
    candidates = (
        Brief.objects.exclude(language=brief.language)
        .exclude(translation_key__in=linked)
        .select_related("author")
        .prefetch_related("brief_tags__category")
    )
    # Two versions of one news item cite the same source, and appear about the same time.
    day = brief.published_at or brief.created_at
    window = (day - dt.timedelta(days=COUNTERPART_DAYS), day + dt.timedelta(days=COUNTERPART_DAYS))
    near = Q(published_at__range=window) | Q(published_at=None, created_at__range=window)
    if brief.source_date:
        days = dt.timedelta(days=COUNTERPART_DAYS)
        near |= Q(source_date__range=(brief.source_date - days, brief.source_date + days))
    candidates = list(candidates.filter(near)[:MAX_COUNTERPART_CANDIDATES])
    if not candidates:
        return []
    query = profile_of(brief)
    archive = Archive([profile_of(b) for b in candidates], vectors_for(candidates))
    by_pk = {b.pk: b for b in candidates}
    hits = counterparts(query, archive, _vector(brief), limit)
    categories = categories_of(query)
    return [
        Proposal(by_pk[archive.keys[h.index]], h.score, reasons(query, archive, h, categories))
        for h in hits
    ]


def suggest_tags(
    title: str, body: str, language: str, limit: int = 5
) -> list[tuple[Category, float]]:
    """Likely category tags for a text not saved yet, with a confidence (0..1), best first."""
    vectors = embedding.encode([f"{title}\n{body}"])
    query = Profile.of(None, title=title, body=body, language=language)
    return _suggest(query, None if vectors is None else vectors[0], limit)


def suggest_tags_for(brief: Brief, limit: int = 5) -> list[tuple[Category, float]]:
    """Likely category tags for a saved brief (its kept embedding, not a new one)."""
    return _suggest(profile_of(brief), _vector(brief), limit)


def _suggest(query: Profile, vector, limit: int) -> list[tuple[Category, float]]:
    archive, _briefs, _versions = _cache.get()
    suggester = _suggester(archive)
    if suggester is None:
        return []
    suggested = suggester.suggest(query, vector, limit)
    categories = Category.objects.in_bulk([slug for slug, _c in suggested], field_name="slug")
    return [(categories[slug], c) for slug, c in suggested if slug in categories]


_suggesters: dict[int, TagSuggester] = {}


def _suggester(archive: Archive) -> TagSuggester | None:
    """The saved model (``newsbrief train``) if there is one, else one trained now on the
    archive (kept while the archive is)."""
    key = id(archive)
    if key not in _suggesters:
        path = settings.NEWSBRIEF_RELATED_PATH / "tags.npz"
        model = (
            TagModel.load(path)
            if path.exists()
            else TagModel.train(((p.terms, p.tags) for p in archive.profiles), archive.vectors)
        )
        if not model.tags:
            return None
        _suggesters.clear()
        _suggesters[key] = TagSuggester(model, archive)
    return _suggesters[key]


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
    proposed = [p.brief for p in propose_related(brief, limit=wanted)] if room > 0 else []
    return rewrite(brief, [b for b in proposed if b.pk not in have][: max(room, 0)])
