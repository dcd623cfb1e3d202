"""Editors' choices among proposals, as actions (see ``briefs.actions``): accept, reject,
pin, unpin, move, remove. Each checks that the actor may edit the brief, rewrites the brief's
``RelatedLink`` rows in one transaction under a lock on the brief (so two editors curating at
once cannot interleave), records a revision (the related messages are part of what the page
shows) and an audit entry, and announces the change after commit. The rows are written here,
not through ``save_brief``, because each link keeps who chose it (editor or system).

Order: pinned links first, then the others in the editors' order; links the system stored at
publication come after what editors chose.
"""

from __future__ import annotations

import functools

from django.db import transaction
from django.utils.translation import gettext as _

from newsbrief.briefs import roles
from newsbrief.briefs.actions.base import editor_name, record, require, user_of
from newsbrief.briefs.errors import InvalidContent
from newsbrief.briefs.models import AuditEntry, Brief, RelatedLink
from newsbrief.briefs.publishing import record_revision

from .models import Verdict


def _pinned(brief: Brief) -> set[int]:
    return set(
        Verdict.objects.filter(brief=brief, kind=Verdict.Kind.PINNED).values_list(
            "target_id", flat=True
        )
    )


def _link(brief: Brief, target: Brief, origin: str) -> RelatedLink:
    return RelatedLink(
        brief=brief,
        target=target,
        target_uid=target.uid,
        cited_title=target.title,
        cited_tags=target.tag_names(),
        cited_date=target.local_published_date,
        origin=origin,
    )


def _save(brief: Brief, links: list[RelatedLink]) -> int:
    pinned = _pinned(brief)
    links.sort(key=lambda link: link.target_id not in pinned)  # stable: keeps the rest's order
    brief.related_links.all().delete()
    for rank, link in enumerate(links):
        link.pk, link.rank = None, rank
        link.save()
    return len(links)


def _locked(brief: Brief) -> list[RelatedLink]:
    Brief.objects.select_for_update().filter(pk=brief.pk).first()
    return list(brief.related_links.select_related("target").order_by("rank"))


def _action(change):
    """An editor's curation: role check, one transaction, revision, audit entry."""

    @functools.wraps(change)
    def act(actor, brief: Brief, target: Brief, *args, **kwargs) -> None:
        require(roles.can_edit(actor, brief), _("You may not edit this brief."))
        if target.pk == brief.pk:
            message = _("A brief cannot be its own related message.")
            raise InvalidContent(message, {"target": [message]})
        with transaction.atomic():
            before = [x.target_id for x in _locked(brief)]
            change(brief, target, *args, editor=user_of(actor), **kwargs)
            if [x.target_id for x in brief.related_links.order_by("rank")] != before:
                record_revision(brief, editor_name(actor))
            record(AuditEntry.Action.CURATE, actor, brief, f"{change.__name__} {target.pk}")

    return act


@_action
def accept(brief: Brief, target: Brief, editor=None) -> None:
    """Make ``target`` one of the brief's chosen related messages (after the others chosen)."""
    links = _locked(brief)
    Verdict.objects.filter(brief=brief, target=target, kind=Verdict.Kind.REJECTED).delete()
    links = [x for x in links if x.target_id != target.pk]
    chosen = [x for x in links if x.origin == RelatedLink.Origin.EDITOR]
    rest = [x for x in links if x.origin != RelatedLink.Origin.EDITOR]
    _save(brief, [*chosen, _link(brief, target, RelatedLink.Origin.EDITOR), *rest])


@_action
def reject(brief: Brief, target: Brief, editor=None) -> None:
    """Remove ``target`` and never propose it for this brief again."""
    links = _locked(brief)
    Verdict.objects.update_or_create(
        brief=brief, target=target, defaults={"kind": Verdict.Kind.REJECTED, "editor": editor}
    )
    _save(brief, [x for x in links if x.target_id != target.pk])


@_action
def pin(brief: Brief, target: Brief, pinned: bool = True, editor=None) -> None:
    """Keep ``target`` among the first links (accepting it if it was only proposed)."""
    links = _locked(brief)
    if pinned:
        Verdict.objects.update_or_create(
            brief=brief, target=target, defaults={"kind": Verdict.Kind.PINNED, "editor": editor}
        )
        if not any(x.target_id == target.pk for x in links):
            links.insert(0, _link(brief, target, RelatedLink.Origin.EDITOR))
        for x in links:
            if x.target_id == target.pk:
                x.origin = RelatedLink.Origin.EDITOR
    else:
        Verdict.objects.filter(brief=brief, target=target, kind=Verdict.Kind.PINNED).delete()
    _save(brief, links)


@_action
def remove(brief: Brief, target: Brief, editor=None) -> None:
    """Take ``target`` off the brief's related messages; it may be proposed again."""
    links = _locked(brief)
    Verdict.objects.filter(brief=brief, target=target, kind=Verdict.Kind.PINNED).delete()
    _save(brief, [x for x in links if x.target_id != target.pk])


@_action
def move(brief: Brief, target: Brief, offset: int, editor=None) -> None:
    """Move ``target`` ``offset`` places (-1: up, 1: down); moving makes it an editor's
    choice, so republishing keeps it."""
    links = _locked(brief)
    at = next((i for i, x in enumerate(links) if x.target_id == target.pk), None)
    if at is None:
        return
    to = max(0, min(len(links) - 1, at + offset))
    link = links.pop(at)
    link.origin = RelatedLink.Origin.EDITOR
    links.insert(to, link)
    for x in links[: to + 1]:
        x.origin = RelatedLink.Origin.EDITOR
    _save(brief, links)


@transaction.atomic
def rewrite(brief: Brief, system: list[Brief]) -> int:
    """Replace the links the system stored with ``system``, after every editor's choice and
    every reference an imported page made (resolved or not)."""
    links = _locked(brief)
    kept = [x for x in links if x.origin != RelatedLink.Origin.SYSTEM]
    have = {x.target_id for x in kept}
    fresh = [_link(brief, b, RelatedLink.Origin.SYSTEM) for b in system if b.pk not in have]
    return _save(brief, [*kept, *fresh])
