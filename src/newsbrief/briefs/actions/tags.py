"""Category tags, one at a time (the desk's suggestions); a whole edit sets them all."""

from __future__ import annotations

import dataclasses

from ..models import AuditEntry, Brief, Category
from ..publishing import SaveResult
from .editing import content_now, revise


def add_tag(actor, brief: Brief, category: Category) -> SaveResult:
    """Tag the brief with ``category`` (after its other tags); nothing if it has it."""
    content, at = content_now(brief)
    name = category.name_for(brief.language)
    tags = content.tags if name in content.tags else (*content.tags, name)
    return revise(
        actor,
        brief,
        dataclasses.replace(content, tags=tags),
        based_on=at,
        action=AuditEntry.Action.TAG_ADDED,
        detail=name,
    )


def remove_tag(actor, brief: Brief, category: Category) -> SaveResult:
    content, at = content_now(brief)
    names = {category.name_en, category.name_zh_hant}
    return revise(
        actor,
        brief,
        dataclasses.replace(content, tags=tuple(t for t in content.tags if t not in names)),
        based_on=at,
        action=AuditEntry.Action.TAG_REMOVED,
        detail=category.name_for(brief.language),
    )
