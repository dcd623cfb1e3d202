"""The extractor's proposals, written as ``BriefEntity`` rows for the editor to decide.

A news item's language versions (one ``translation_key``) name the same entities: each
version's text is read, and every version gets the union, as sure as its surest version
makes it (an organization the English text names by its acronym, the Chinese one by a name
the registry lacks, is on both). What an editor decided (confirmed, added, removed) is never
touched, and an entity an editor removed from one version is not proposed for the others;
proposals the text no longer supports are dropped. An acronym learned from ``Name (ACR)``
becomes the organization's ``Alias(kind=learned)``, so the next brief knows it. Then the
counts follow every version touched (``counting.follow_many``).
"""

from __future__ import annotations

import collections
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from newsbrief.briefs.models import Brief

from . import counting, registry
from .extraction import EVIDENCE_CHARS, Automaton, Found
from .models import Alias, BriefEntity, Entity, Extracted

D = BriefEntity.Decision
DECIDED = {D.CONFIRMED, D.ADDED, D.REMOVED}


def propose(brief: Brief) -> list[int]:
    """Propose for ``brief`` and its other versions; the ids of the versions written."""
    return propose_many([brief.pk])


def propose_many(brief_ids: Iterable[int], automaton: Automaton | None = None) -> list[int]:
    """Propose for these briefs and every version of theirs, in one transaction per call;
    returns the ids written (counts followed)."""
    ids = set(brief_ids)
    if not ids:
        return []
    keys = Brief.objects.filter(pk__in=ids).values_list("translation_key", flat=True)
    versions = list(
        Brief.objects.filter(translation_key__in=set(keys)).only(
            "pk", "translation_key", "language", "title", "body"
        )
    )
    if not versions:
        return []
    automaton = automaton or registry.automaton()
    results = {v.pk: automaton.extract(v.title, v.body) for v in versions}
    _learn(r for result in results.values() for r in result.learned)
    items = collections.defaultdict(list)
    for v in versions:
        items[v.translation_key].append(v)
    written = [v.pk for v in versions]
    with transaction.atomic():
        existing = collections.defaultdict(dict)
        for row in BriefEntity.objects.filter(brief_id__in=written):
            existing[row.brief_id][row.entity_id] = row
        fresh, changed, stale = [], [], []
        for group in items.values():
            union = _union(group, results)
            removed = {
                e for v in group for e, r in existing[v.pk].items() if r.decision == D.REMOVED
            }
            for v in group:
                rows = existing[v.pk]
                for entity_id, (found, evidence) in union.items():
                    row = rows.get(entity_id)
                    if row is not None and row.decision in DECIDED:
                        continue
                    if entity_id in removed:  # by an editor, from another version
                        if row is not None:
                            stale.append(row.pk)
                        continue
                    own = results[v.pk].found.get(entity_id)
                    text = own.evidence if own else evidence
                    if row is None:
                        fresh.append(
                            BriefEntity(brief_id=v.pk, entity_id=entity_id,
                                        confidence=found.confidence, evidence=text)
                        )  # fmt: skip
                    elif (row.confidence, row.evidence) != (found.confidence, text):
                        row.confidence, row.evidence = found.confidence, text
                        changed.append(row)
                stale += [
                    r.pk for e, r in rows.items() if r.decision == D.PROPOSED and e not in union
                ]
        BriefEntity.objects.filter(pk__in=stale).delete()
        BriefEntity.objects.bulk_update(changed, ["confidence", "evidence"])
        BriefEntity.objects.bulk_create(fresh, ignore_conflicts=True)
        _mark(written)
    counting.follow_many(written)
    return written


def _union(group: list[Brief], results) -> dict[int, tuple[Found, str]]:
    """{entity id: (the surest version's finding, its evidence marked with its language)}."""
    union: dict[int, tuple[Found, str]] = {}
    for v in group:
        for entity_id, found in results[v.pk].found.items():
            held = union.get(entity_id)
            if held is None or found.confidence > held[0].confidence:
                evidence = f"[{v.language}] {found.evidence}"[:EVIDENCE_CHARS]
                union[entity_id] = (found, evidence)
    return union


def _learn(learned) -> int:
    """Learned acronyms as aliases, unless the text already names an entity."""
    wanted = {(item.key, item.text) for item in learned}
    if not wanted:
        return 0
    known = set(
        Alias.objects.filter(text__in={t for _k, t in wanted}).values_list("text", flat=True)
    )
    known |= set(
        Entity.objects.filter(acronym__in={t for _k, t in wanted}).values_list("acronym", flat=True)
    )
    fresh = [
        Alias(entity_id=key, text=text, language="", kind=Alias.Kind.LEARNED)
        for key, text in sorted(wanted)
        if text not in known
    ]
    Alias.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def _mark(brief_ids: list[int]) -> None:
    now = timezone.now()
    Extracted.objects.bulk_create(
        [Extracted(brief_id=pk, at=now) for pk in brief_ids],
        update_conflicts=True,
        unique_fields=["brief"],
        update_fields=["at"],
    )


# -- the archive ------------------------------------------------------------------------------


def pending(limit: int, after: int = 0) -> list[int]:
    """Briefs never proposed for, after the brief ``after``, oldest first (the backfill's and
    the sweep's work)."""
    unread = ~Exists(Extracted.objects.filter(brief_id=OuterRef("pk")))
    return list(
        Brief.objects.filter(unread, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def backlog() -> int:
    """Briefs never proposed for (a mark goes with its brief, so two counts say it)."""
    return Brief.objects.count() - Extracted.objects.count()


def drain(batch: int = 500, progress=None, lease=None) -> int:
    """Propose for every brief not yet proposed for, ``batch`` at a time in brief order, so
    that the archive is walked once (resumable: what is done is marked in the same
    transaction). ``progress`` is called with the briefs done per batch, ``lease`` renewed
    between batches."""
    done, after = 0, 0
    while ids := pending(batch, after):
        after = ids[-1]
        written = propose_many(ids, registry.automaton())
        done += len(written)
        if progress:
            progress(len(written))
        if lease is not None:
            lease.renew()
    return done


def restart() -> int:
    """Forget which briefs were proposed for, so that ``drain`` reads them all again (after
    the registry grew). Editors' decisions stay; proposals are rewritten."""
    return Extracted.objects.all().delete()[0]
