"""Editors' decisions on a brief's entities and the registry's changes, as actions (see
``briefs.actions``): shared by the desk, the API and the admin, each checking the actor's
role (``roles``), refusing with the briefs' typed errors, writing its audit entry in its
transaction and bringing the kept counts in step (``counting.follow_many``) before it commits.

A decision is about the news item, not one language's text: it is written on every version
(briefs sharing the ``translation_key``), so the English and the Chinese brief name the same
entities. Whoever may edit the brief may decide; the registry (create, rename, merge) is for
``roles.can_manage_entities``.
"""

from __future__ import annotations

import dataclasses
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from newsbrief.briefs import roles
from newsbrief.briefs.actions.base import record, require, user_of
from newsbrief.briefs.errors import InvalidContent, WrongState
from newsbrief.briefs.models import AuditEntry, Brief

from . import counting
from .models import Alias, BriefEntity, Entity

D = BriefEntity.Decision
#: Briefs whose counts one ``follow_many`` brings in step, rows one statement deletes (a
#: merge touches many).
FOLLOW_BATCH = 2000
#: Slugs the desk's registry addresses use for themselves (``/desk/entities/new/``).
RESERVED_SLUGS = {"new"}
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


# -- decisions on a brief ------------------------------------------------------------------


def confirm_entity(actor, brief: Brief, entity: Entity) -> Entity:
    """The brief (and its other versions) names ``entity``, as proposed."""
    return _decide(actor, brief, entity, "confirmed", lambda row: D.CONFIRMED)


def remove_entity(actor, brief: Brief, entity: Entity) -> Entity:
    """The brief does not name ``entity``: no proposal shows it again."""
    return _decide(actor, brief, entity, "removed", lambda row: D.REMOVED)


def add_entity(actor, brief: Brief, entity: Entity | EntityFields) -> Entity:
    """The brief names ``entity``, which the extractor missed; ``EntityFields`` create it in
    the registry first (which takes the registry's role)."""
    if isinstance(entity, EntityFields):
        require(roles.can_edit(actor, brief), _("You may not edit this brief."))
        entity = create_entity(actor, entity)

    def added(row):
        if row is not None and row.decision in (D.PROPOSED, D.CONFIRMED):
            return D.CONFIRMED
        return D.ADDED

    return _decide(actor, brief, entity, "added", added)


def _decide(actor, brief: Brief, entity: Entity, verb: str, decision) -> Entity:
    require(roles.can_edit(actor, brief), _("You may not edit this brief."))
    entity = live(entity)
    now = timezone.now()
    with transaction.atomic():
        versions = list(
            Brief.objects.select_for_update()
            .filter(translation_key=brief.translation_key)
            .order_by("pk")
        )
        if not versions:
            raise WrongState(_("The brief was deleted meanwhile."))
        found = BriefEntity.objects.filter(brief__in=versions, entity=entity)
        rows = {r.brief_id: r for r in found}
        sure = max((r.confidence for r in rows.values()), default=1.0)
        for version in versions:
            row = rows.get(version.pk)
            new = decision(row)
            if row is None:
                row = BriefEntity(brief=version, entity=entity, confidence=sure)
            row.decision, row.decided_by, row.decided_at = new, user_of(actor), now
            row.save()
        record(AuditEntry.Action.ENTITIES, actor, brief, f"{verb} {entity.slug}")
        counting.follow_many(v.pk for v in versions)
    return entity


def live(entity: Entity) -> Entity:
    """The entity a merged one ended in (itself when not merged)."""
    seen = {entity.pk}
    while entity.merged_into_id is not None:
        entity = Entity.objects.get(pk=entity.merged_into_id)
        if entity.pk in seen:  # a cycle the admin made: stop where it closes
            break
        seen.add(entity.pk)
    return entity


# -- the registry ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EntityFields:
    """An entity as an editor gives it. ``aliases``: (text, language) pairs, the whole list
    of the entity's other names after the change; ``slug`` blank: made from the name."""

    kind: str
    name_en: str
    name_zh_hant: str = ""
    acronym: str = ""
    code: str = ""
    aliases: tuple[tuple[str, str], ...] = ()
    parent: Entity | None = None
    slug: str = ""

    @classmethod
    def of(cls, entity: Entity) -> EntityFields:
        return cls(
            entity.kind, entity.name_en, entity.name_zh_hant, entity.acronym, entity.code,
            tuple(entity.aliases.values_list("text", "language")), entity.parent, entity.slug,
        )  # fmt: skip


def alias_language(text: str) -> str:
    """The language an alias typed without one is in: Chinese if it has Han characters,
    else blank (Latin letters read the same in both languages' briefs)."""
    return "zh-hant" if _HAN.search(text) else ""


def checked(fields: EntityFields, entity: Entity | None) -> EntityFields:
    """The fields on one line each, within the model's limits; else ``InvalidContent``."""
    one_line = {
        f.name: " ".join(getattr(fields, f.name).split())
        for f in dataclasses.fields(fields)
        if isinstance(getattr(fields, f.name), str)
    }
    fields = dataclasses.replace(fields, **one_line)
    errors: dict[str, list[str]] = {}
    if fields.kind not in Entity.Kind.values:
        errors["kind"] = [_("Choose a country, an organization or a field.")]
    if not fields.name_en:
        errors["name_en"] = [_("Give the English name.")]
    for name in ("name_en", "name_zh_hant", "acronym", "code", "slug"):
        limit = Entity._meta.get_field(name).max_length
        if len(getattr(fields, name)) > limit:
            errors[name] = [_("At most %(limit)s characters.") % {"limit": limit}]
    if fields.slug and slugify(fields.slug) != fields.slug:
        errors["slug"] = [_("Use lowercase letters, digits and hyphens.")]
    elif fields.slug and _taken(fields.slug, entity):
        errors["slug"] = [_("Another entity has this slug.")]
    aliases = {}
    for text, language in fields.aliases:
        text = " ".join(text.split())
        if len(text) > Alias._meta.get_field("text").max_length:
            errors["aliases"] = [_("An alias is at most 200 characters.")]
        elif text:
            aliases.setdefault(text, language or "")
    parent = fields.parent
    if parent is not None:
        if parent.merged_into_id is not None:
            errors["parent"] = [_("That entity was merged into another.")]
        elif entity is not None and _above(entity, parent):
            errors["parent"] = [_("An entity cannot sit under itself.")]
    if errors:
        raise InvalidContent(" ".join(m for ms in errors.values() for m in ms), errors)
    return dataclasses.replace(fields, aliases=tuple(aliases.items()))


def _taken(slug: str, entity: Entity | None) -> bool:
    others = Entity.objects.filter(slug=slug)
    if entity is not None:
        others = others.exclude(pk=entity.pk)
    return slug in RESERVED_SLUGS or others.exists()


def _above(entity: Entity, parent: Entity) -> bool:
    """Whether ``entity`` is ``parent`` or one of its broader entities (a cycle), as stored."""
    seen, at = set(), parent.pk
    while at is not None and at not in seen:
        if at == entity.pk:
            return True
        seen.add(at)
        at = Entity.objects.filter(pk=at).values_list("parent_id", flat=True).first()
    return False


def _free_slug(name: str) -> str:
    base = (slugify(name) or "entity")[:110].strip("-")
    slug, n = base, 1
    while _taken(slug, None):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_entity(actor, fields: EntityFields) -> Entity:
    """A new entity in the registry."""
    require(roles.can_manage_entities(actor), _("The entity registry is for chief editors."))
    fields = checked(fields, None)
    with transaction.atomic():
        entity = Entity.objects.create(
            kind=fields.kind, slug=fields.slug or _free_slug(fields.name_en), code=fields.code,
            name_en=fields.name_en, name_zh_hant=fields.name_zh_hant, acronym=fields.acronym,
            parent=fields.parent,
        )  # fmt: skip
        _set_aliases(entity, fields.aliases)
        record(AuditEntry.Action.REGISTRY, actor, None, "created", subject=entity.name_en)
    return entity


def update_entity(actor, entity: Entity, fields: EntityFields) -> Entity:
    """The entity's names in both languages, acronym, code, aliases and broader entity as
    ``fields`` give them (its slug too, when given). A change of kind is counted anew."""
    require(roles.can_manage_entities(actor), _("The entity registry is for chief editors."))
    fields = checked(fields, entity)
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        kind_changed = entity.kind != fields.kind
        for name in ("kind", "name_en", "name_zh_hant", "acronym", "code", "parent"):
            setattr(entity, name, getattr(fields, name))
        entity.slug = fields.slug or entity.slug
        entity.save()
        _set_aliases(entity, fields.aliases)
        record(AuditEntry.Action.REGISTRY, actor, None, "changed", subject=entity.name_en)
        if kind_changed:
            _follow(BriefEntity.objects.filter(entity=entity).values_list("brief_id", flat=True))
    return entity


def delete_entity(actor, entity: Entity) -> None:
    """Take a mistaken entity out of the registry (a synonym is merged instead): its rows
    go and the counts follow while it still exists to subtract from."""
    require(roles.can_manage_entities(actor), _("The entity registry is for chief editors."))
    with transaction.atomic():
        rows = BriefEntity.objects.filter(entity=entity)
        touched = list(rows.values_list("brief_id", flat=True))
        rows.delete()
        _follow(touched)
        record(AuditEntry.Action.REGISTRY, actor, None, "deleted", subject=entity.name_en)
        entity.delete()


def _set_aliases(entity: Entity, aliases) -> None:
    """The entity's aliases are ``aliases`` ((text, language) pairs): the others go, an
    alias kept keeps its kind."""
    wanted = dict(aliases)
    entity.aliases.exclude(text__in=wanted).delete()
    held = {a.text: a for a in entity.aliases.all()}
    for text, language in wanted.items():
        alias = held.get(text)
        if alias is None:
            Alias.objects.create(entity=entity, text=text, language=language)
        elif alias.language != language:
            alias.language = language
            alias.save(update_fields=["language"])


def merge_entities(actor, source: Entity, target: Entity) -> Entity:
    """``source`` is a synonym of ``target``: its briefs, aliases, narrower entities and the
    entities merged into it move to ``target``, its names become aliases of ``target``, and
    it is marked ``merged_into`` (its address leads there). Where a brief names both, the
    row kept is an editor's decision over a proposal, else the more confident (else the
    later decision); the counts of every brief touched follow."""
    require(roles.can_manage_entities(actor), _("The entity registry is for chief editors."))
    if source.pk == target.pk:
        raise InvalidContent(_("An entity cannot be merged into itself."))
    with transaction.atomic():
        locked = Entity.objects.select_for_update().in_bulk([source.pk, target.pk])
        source, target = locked[source.pk], locked[target.pk]
        if source.merged_into_id is not None or target.merged_into_id is not None:
            raise WrongState(_("That entity was merged into another."))
        if source.kind != target.kind:
            message = _("Only entities of one kind can be merged.")
            raise InvalidContent(message, {"target": [message]})
        touched = _move_rows(source, target)
        _move_aliases(source, target)
        Entity.objects.filter(parent=source).exclude(pk=target.pk).update(parent=target)
        Entity.objects.filter(merged_into=source).update(merged_into=target)
        if target.parent_id == source.pk:
            target.parent_id = source.parent_id if source.parent_id != target.pk else None
            target.save(update_fields=["parent"])
        source.merged_into, source.parent = target, None
        source.save(update_fields=["merged_into", "parent"])
        detail = _("merged into %(slug)s") % {"slug": target.slug}
        record(AuditEntry.Action.REGISTRY, actor, None, detail, subject=source.name_en)
        _follow(touched)
    return target


def _rank(row: BriefEntity) -> tuple:
    """Which of two rows of one brief a merge keeps: the greater (an editor's decision, the
    later of two; else the more confident proposal)."""
    if row.decision == D.PROPOSED:
        return (0, row.confidence)
    return (1, row.decided_at.timestamp() if row.decided_at else 0.0)


def _move_rows(source: Entity, target: Entity) -> list[int]:
    """Each brief's row of ``source`` becomes its row of ``target``; where the brief has
    both, the losing row goes (``_rank``)."""
    rows = BriefEntity.objects.filter(entity=source)
    touched = list(rows.values_list("brief_id", flat=True))
    both = BriefEntity.objects.filter(entity=target, brief_id__in=rows.values("brief_id"))
    theirs = {r.brief_id: r for r in both}
    losers = []
    for row in rows.filter(brief_id__in=both.values("brief_id")):
        kept = theirs[row.brief_id]
        losers.append(kept.pk if _rank(row) > _rank(kept) else row.pk)
    for start in range(0, len(losers), FOLLOW_BATCH):
        BriefEntity.objects.filter(pk__in=losers[start : start + FOLLOW_BATCH]).delete()
    rows.update(entity=target)
    return touched


def _move_aliases(source: Entity, target: Entity) -> None:
    held = set(target.aliases.values_list("text", flat=True))
    held |= {target.name_en, target.name_zh_hant, target.acronym}
    source.aliases.filter(text__in=held).delete()
    held |= set(source.aliases.values_list("text", flat=True))
    source.aliases.update(entity=target)
    names = [
        (source.name_en, "en", Alias.Kind.NAME),
        (source.name_zh_hant, "zh-hant", Alias.Kind.NAME),
        (source.acronym, "", Alias.Kind.ACRONYM),
    ]
    for text, language, kind in names:
        if text and text not in held:
            Alias.objects.create(entity=target, text=text, language=language, kind=kind)
            held.add(text)


def _follow(brief_ids) -> None:
    ids = sorted(set(brief_ids))
    for start in range(0, len(ids), FOLLOW_BATCH):
        counting.follow_many(ids[start : start + FOLLOW_BATCH])


# -- finding entities ------------------------------------------------------------------------


def search(q: str = "", kind: str = ""):
    """Live entities whose names, acronym, slug or aliases contain ``q`` (of ``kind``)."""
    entities = Entity.objects.live()
    if kind:
        entities = entities.filter(kind=kind)
    q = " ".join(q.split())
    if q:
        named = (
            Q(name_en__icontains=q) | Q(name_zh_hant__icontains=q) | Q(acronym__icontains=q)
            | Q(slug__icontains=q) | Q(aliases__text__icontains=q)
        )  # fmt: skip
        entities = entities.filter(pk__in=Entity.objects.filter(named).values("pk"))
    return entities


def named(text: str) -> Entity | None:
    """The live entity ``text`` names exactly (slug, a name, the acronym or an alias; case
    aside), for an editor's "add" field; None when none or several do."""
    text = " ".join(text.split())
    if not text:
        return None
    exact = (
        Q(slug=text) | Q(name_en__iexact=text) | Q(name_zh_hant=text) | Q(acronym__iexact=text)
        | Q(aliases__text__iexact=text)
    )  # fmt: skip
    found = list(Entity.objects.live().filter(exact).distinct()[:2])
    return found[0] if len(found) == 1 else None
