"""The extractor's side of a brief's entities, as small as the decisions need: proposals
replace proposals, never an editor's decision (the extraction itself is the registry's)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from newsbrief.briefs.models import Brief

from . import counting
from .models import BriefEntity, Entity

PROPOSED = BriefEntity.Decision.PROPOSED


def propose(brief: Brief, found: Iterable[tuple[Entity, float, str]]) -> int:
    """The brief's proposals are ``found`` ((entity, confidence, evidence)) from now on:
    proposals no longer found go, an entity an editor confirmed, added or removed keeps its
    row as the editor left it. Returns the number of proposals written."""
    with transaction.atomic():
        decided = set(
            BriefEntity.objects.filter(brief=brief).exclude(decision=PROPOSED)
            .values_list("entity_id", flat=True)
        )  # fmt: skip
        wanted = {e.pk: (c, ev) for e, c, ev in found if e.pk not in decided}
        BriefEntity.objects.filter(brief=brief, decision=PROPOSED).exclude(
            entity_id__in=wanted
        ).delete()
        for entity_id, (confidence, evidence) in wanted.items():
            BriefEntity.objects.update_or_create(
                brief=brief, entity_id=entity_id,
                defaults={"confidence": confidence, "evidence": evidence[:300],
                          "decision": PROPOSED},
            )  # fmt: skip
        counting.follow(brief)
    return len(wanted)
