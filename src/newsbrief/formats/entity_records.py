"""The entity registry and each brief's entities in JSON Lines archives: written by
``export_jsonl``, read back by the importer (``_save`` dispatches here). Importing is
idempotent: an entity is found by its slug, a brief's entities by the brief's uid, and
nothing is written when the archive says what the database holds. An entity a record names
as parent or ``merged_into`` before its own record comes is made as a stand-in that its
record fills in."""

from __future__ import annotations

from django.db import transaction

from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import account
from newsbrief.entities import counting
from newsbrief.entities.models import Alias, BriefEntity, Entity

from . import jsonl

#: The fields an entity record sets, as the model names them.
FIELDS = ("kind", "code", "name_en", "name_zh_hant", "acronym")


class InvalidEntities(ValueError):
    """Entity records that read well but do not fit (an unknown kind or decision)."""


def entity_record(entity: Entity) -> jsonl.EntityRecord:
    aliases = sorted(entity.aliases.all(), key=lambda a: a.text)
    return jsonl.EntityRecord(
        entity.slug,
        entity.kind,
        entity.name_en,
        entity.name_zh_hant,
        entity.code,
        entity.acronym,
        tuple((a.text, a.language, a.kind) for a in aliases),
        entity.parent.slug if entity.parent else None,
        entity.merged_into.slug if entity.merged_into else None,
    )


def entity_records() -> list[jsonl.EntityRecord]:
    """The whole registry, merged entities too (their slugs still lead somewhere)."""
    entities = Entity.objects.select_related("parent", "merged_into").prefetch_related("aliases")
    return [entity_record(e) for e in entities.order_by("slug")]


def brief_entities(brief: Brief) -> tuple[jsonl.BriefEntityRecord, ...]:
    """The brief's entities (from ``brief_entities`` prefetched with entity and decided_by)."""
    rows = sorted(brief.brief_entities.all(), key=lambda r: r.entity.slug)
    return tuple(
        jsonl.BriefEntityRecord(
            r.entity.slug,
            r.decision,
            r.confidence,
            r.evidence,
            r.decided_by.get_username() if r.decided_by else None,
            r.decided_at,
        )
        for r in rows
    )


def _stand_in(slug: str, kind: str) -> Entity:
    return Entity.objects.get_or_create(slug=slug, defaults={"kind": kind, "name_en": slug})[0]


@transaction.atomic
def save_entity(record: jsonl.EntityRecord) -> bool:
    """The registry's entity as the record has it; whether anything changed."""
    if record.type not in Entity.Kind.values:
        raise InvalidEntities(f"unknown entity type {record.type!r}")
    entity, created = Entity.objects.get_or_create(
        slug=record.slug, defaults={"kind": record.type, "name_en": record.name_en}
    )
    wanted = dict(zip(FIELDS, (record.type, record.code, record.name_en, record.name_zh_hant,
                               record.acronym), strict=True))  # fmt: skip
    wanted["parent_id"] = _stand_in(record.parent, record.type).pk if record.parent else None
    wanted["merged_into_id"] = (
        _stand_in(record.merged_into, record.type).pk if record.merged_into else None
    )
    kind_changed = entity.kind != record.type
    changed = {f: v for f, v in wanted.items() if getattr(entity, f) != v}
    if changed:
        for field, value in changed.items():
            setattr(entity, field, value)
        entity.save(update_fields=[f.removesuffix("_id") for f in changed])
    changed = bool(changed) | _save_aliases(entity, record.aliases)
    if kind_changed and not created:
        counting.follow_many(entity.brief_entities.values_list("brief_id", flat=True))
    return changed or created


def _save_aliases(entity: Entity, aliases) -> bool:
    for _t, _l, kind in aliases:
        if kind not in Alias.Kind.values:
            raise InvalidEntities(f"unknown alias kind {kind!r}")
    wanted = {text: (language, kind) for text, language, kind in aliases}
    held = {a.text: (a.language, a.kind) for a in entity.aliases.all()}
    if held == wanted:
        return False
    entity.aliases.exclude(text__in=wanted).delete()
    for text, (language, kind) in wanted.items():
        if held.get(text) != (language, kind):
            Alias.objects.update_or_create(
                entity=entity, text=text, defaults={"language": language, "kind": kind}
            )
    return True


def save_brief_entities(record: jsonl.BriefRecord) -> bool:
    """The brief's entities as the record has them (a record that does not say leaves
    them alone); whether anything changed. Run in the brief's import transaction."""
    if record.entities is None:
        return False
    if record.content.uid is None:
        raise InvalidEntities("a brief with entities needs its uid")
    brief = Brief.objects.get(uid=record.content.uid)
    decisions = BriefEntity.Decision.values
    for e in record.entities:
        if e.decision not in decisions:
            raise InvalidEntities(f"unknown entity decision {e.decision!r}")
    slugs = {e.entity for e in record.entities}
    entities = {e.slug: e for e in Entity.objects.filter(slug__in=slugs)}
    if missing := slugs - set(entities):
        raise InvalidEntities(f"unknown entities {', '.join(sorted(missing))}")
    held = {
        r.entity.slug: r
        for r in BriefEntity.objects.filter(brief=brief).select_related("entity", "decided_by")
    }
    if set(held) == slugs and all(_same(held[e.entity], e) for e in record.entities):
        return False
    BriefEntity.objects.filter(brief=brief).exclude(entity__slug__in=slugs).delete()
    for e in record.entities:
        if e.entity in held and _same(held[e.entity], e):
            continue
        BriefEntity.objects.update_or_create(
            brief=brief, entity=entities[e.entity],
            defaults={
                "decision": e.decision, "confidence": e.confidence, "evidence": e.evidence[:300],
                "decided_by": account(e.decided_by) if e.decided_by else None,
                "decided_at": e.decided_at,
            },
        )  # fmt: skip
    counting.follow(brief)
    return True


def _same(row: BriefEntity, e: jsonl.BriefEntityRecord) -> bool:
    by = row.decided_by.get_username() if row.decided_by else None
    return (row.decision, row.confidence, row.evidence, by, row.decided_at) == (
        e.decision, e.confidence, e.evidence[:300], e.decided_by, e.decided_at,
    )  # fmt: skip
