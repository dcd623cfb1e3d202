"""Index entries: what ranking knows of each brief, computed once per change by a worker.

A change to a brief leaves a ``PendingEntry`` in its own transaction (``receivers``); the
worker's ``drain`` claims pending briefs, analyses and embeds each of them (that brief only),
writes its ``IndexEntry`` and an ``IndexChange`` that every server applies as a delta
(``live``). A claim lapses after ``CLAIM``: a worker killed mid-drain loses nothing, the next
sweep redoes its briefs, and an entry written twice is the same entry.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
import json
import typing

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsbrief.briefs.models import Brief
from newsbrief.briefs.signals import batching
from newsbrief.search.indexing import plain_body

from . import embedding
from .features import Profile
from .models import IndexChange, IndexEntry, PendingEntry

#: Part of every entry's ``source_key``: raise it when profiles are computed differently, and
#: ``newsbrief related rebuild`` recomputes every entry.
PROFILE_VERSION = 2  # 2: the analyzer folds regional vocabulary (issue 15)
#: How long a worker owns the briefs it claimed; one brief takes well under a second.
CLAIM = dt.timedelta(seconds=60)
BATCH = 32


def brief_date(brief: Brief) -> dt.date:
    """The day a brief stands for: its publication, else its source's date, else the day it
    was written, so "N days earlier" counts between two briefs, never from today."""
    return brief.local_published_date or brief.source_date or timezone.localdate(brief.created_at)


def profile_of(brief: Brief) -> Profile:
    """Tags are category slugs, the same in both languages, so tag overlap crosses them."""
    return Profile.of(
        brief.pk,
        title=brief.title,
        body=plain_body(brief),
        language=brief.language,
        date=brief_date(brief),
        tags=[c.slug for c in brief.tags],
        group=str(brief.translation_key),
    )


def profile_text(brief: Brief) -> str:
    return f"{brief.title}\n{plain_body(brief)}"


def source_key(brief: Brief) -> str:
    """Everything an entry is computed from: equal keys, equal entries."""
    parts = [
        PROFILE_VERSION,
        brief.title,
        plain_body(brief),
        brief.language,
        brief_date(brief).isoformat(),
        sorted(c.slug for c in brief.tags),
        str(brief.translation_key),
        brief.status == Brief.Status.PUBLISHED,
    ]
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


# Profiles as JSON, field by field, so a field added to ``Profile`` is stored without a change
# here: counters as objects, sets as sorted lists, dates as ISO text. The whole text is not kept.
_HINTS = typing.get_type_hints(Profile, globalns={**vars(dt), "dt": dt, **vars(collections)})
_STORED = [f.name for f in dataclasses.fields(Profile) if f.name != "text"]


def dump_profile(profile: Profile) -> dict:
    def plain(value):
        if isinstance(value, collections.Counter):
            return dict(value)
        if isinstance(value, frozenset | set):
            return sorted(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return {name: plain(getattr(profile, name)) for name in _STORED}


def load_profile(data: dict) -> Profile:
    def typed(name, value):
        hint = _HINTS[name]
        origin = typing.get_origin(hint) or hint
        if origin is collections.Counter:
            return collections.Counter(value)
        if origin is frozenset:
            return frozenset(value)
        if origin is dt.date:
            return dt.date.fromisoformat(value)
        return value

    return Profile(**{name: typed(name, value) for name, value in data.items() if name in _HINTS})


def request(*brief_ids: int) -> None:
    """Mark briefs as needing their entry recomputed (in the caller's transaction), and have
    a worker drain them once it commits."""
    from . import tasks

    now = timezone.now()
    PendingEntry.objects.bulk_create(
        [PendingEntry(brief_id=pk, requested_at=now, claimed_until=None) for pk in brief_ids],
        update_conflicts=True,
        unique_fields=["brief_id"],
        update_fields=["requested_at", "claimed_until"],
    )
    if not batching.get():  # a batch's briefs are drained once (``receivers``)
        transaction.on_commit(tasks.index_pending, robust=True)


def queue_all() -> int:
    """Mark every brief pending (a full rebuild: entries still current are skipped when
    drained, so a rebuild that was interrupted resumes where it stopped)."""
    ids = Brief.objects.values_list("pk", flat=True).order_by("pk")
    queued = 0
    for start in range(0, ids.count(), 5000):
        chunk = list(ids[start : start + 5000])
        PendingEntry.objects.bulk_create(
            (PendingEntry(brief_id=pk) for pk in chunk), ignore_conflicts=True
        )
        queued += len(chunk)
    return queued


def drain(limit: int | None = None, progress=None) -> int:
    """Compute the entries of pending briefs until none is left unclaimed (or ``limit``
    briefs); returns how many were done. Any number of workers may drain at once.
    ``progress(n)`` hears of each batch."""
    done = 0
    while limit is None or done < limit:
        claimed = _claim(BATCH if limit is None else min(BATCH, limit - done))
        if not claimed:
            break
        briefs = {
            b.pk: b
            for b in Brief.objects.filter(pk__in=claimed).prefetch_related("brief_tags__category")
        }
        stale = [b for b in briefs.values() if _stale(b)]
        fresh = _entries(stale)
        for pk, requested_at in claimed.items():
            _write(pk, briefs.get(pk), fresh.get(pk), requested_at)
        done += len(claimed)
        if progress:
            progress(len(claimed))
    return done


def _claim(n: int) -> dict[int, dt.datetime]:
    """Up to ``n`` pending briefs nobody holds, held now for ``CLAIM``: {id: requested_at}."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            PendingEntry.objects.select_for_update(skip_locked=True)
            .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
            .order_by("requested_at")
            .values_list("brief_id", "requested_at")[:n]
        )
        PendingEntry.objects.filter(brief_id__in=[pk for pk, _at in rows]).update(
            claimed_until=now + CLAIM
        )
    return dict(rows)


def _stale(brief: Brief) -> bool:
    entry = IndexEntry.objects.filter(brief=brief).only("source_key").first()
    return entry is None or entry.source_key != source_key(brief)


@dataclasses.dataclass
class _Fresh:
    profile: Profile
    text_key: str
    vector: np.ndarray | None


def _entries(briefs: list[Brief]) -> dict[int, _Fresh]:
    """Profiles and vectors of ``briefs``: a vector is kept while its text is unchanged."""
    keys = {b.pk: embedding.text_key(profile_text(b)) for b in briefs}
    kept = {
        e.brief_id: e.as_array()
        for e in IndexEntry.objects.filter(brief_id__in=keys).only("text_key", "vector")
        if e.text_key == keys[e.brief_id] and e.vector is not None
    }
    missing = [b for b in briefs if b.pk not in kept]
    vectors = embedding.encode([profile_text(b) for b in missing]) if missing else None
    if vectors is not None:
        kept.update(zip((b.pk for b in missing), vectors, strict=True))
    return {b.pk: _Fresh(profile_of(b), keys[b.pk], kept.get(b.pk)) for b in briefs}


def _write(pk: int, brief: Brief | None, fresh: _Fresh | None, requested_at) -> None:
    """Store one brief's entry (or its removal) with a change row, and release its claim:
    the pending row goes unless the brief changed again meanwhile."""
    with transaction.atomic():
        if brief is None:
            IndexEntry.objects.filter(brief_id=pk).delete()
            IndexChange.objects.create(brief_id=pk)
        elif fresh is not None:
            vector = fresh.vector
            IndexEntry.objects.update_or_create(
                brief=brief,
                defaults={
                    "listed": brief.status == Brief.Status.PUBLISHED,
                    "profile": dump_profile(fresh.profile),
                    "source_key": source_key(brief),
                    "text_key": fresh.text_key,
                    "vector": None if vector is None else vector.astype(np.float16).tobytes(),
                    "updated_at": timezone.now(),
                },
            )
            IndexChange.objects.create(brief_id=pk)
        pending = PendingEntry.objects.filter(brief_id=pk)
        pending.filter(requested_at=requested_at).delete()
        pending.update(claimed_until=None)


#: ``entry_of``'s last answers, by (brief, last change): one desk page asks three times.
_recent: collections.OrderedDict = collections.OrderedDict()
RECENT = 64


def entry_of(brief: Brief) -> tuple[Profile, np.ndarray | None]:
    """A brief's own profile and vector: from its entry while that is current, else computed
    now (for this brief only: what a request about it may do)."""
    key = (brief.pk, brief.updated_at)
    if brief.pk and key in _recent:
        return _recent[key]
    found = _entry_of(brief)
    if brief.pk:
        _recent[key] = found
        while len(_recent) > RECENT:
            _recent.popitem(last=False)
    return found


def forget() -> None:
    """Drop ``entry_of``'s recent answers (``live.reset``)."""
    _recent.clear()


def _entry_of(brief: Brief) -> tuple[Profile, np.ndarray | None]:
    entry = IndexEntry.objects.filter(brief=brief).first() if brief.pk else None
    if entry is not None and entry.source_key == source_key(brief) and entry.profile:
        return load_profile(entry.profile), entry.as_array()
    profile = profile_of(brief)
    key = embedding.text_key(profile_text(brief))
    if entry is not None and entry.text_key == key and entry.vector is not None:
        return profile, entry.as_array()
    vectors = embedding.encode([profile_text(brief)])
    return profile, None if vectors is None else vectors[0]
