"""Writing a brief: create, edit, restore a revision, delete."""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.utils.translation import gettext as _

from .. import drift, roles
from ..content import BriefContent
from ..errors import InvalidContent, WrongState
from ..models import AuditEntry, Brief, Revision
from ..publishing import KEEP, Outcome, SaveResult, content_of, prepare, save_brief
from .base import editor_name, record, require, user_of


def create_brief(
    actor, content: BriefContent, *, version: Brief | None = None, status=Brief.Status.DRAFT
) -> SaveResult:
    """A new brief by ``actor``, a draft unless a chief editor (or the system) says otherwise;
    ``version`` is the brief it translates, if any."""
    from .versions import translation_key

    require(roles.can_use_desk(actor), _("Writing briefs takes the editor role."))
    if status != Brief.Status.DRAFT:
        require(roles.can_publish(actor), _("Only chief editors publish."))
    if actor is not roles.SYSTEM:
        content = dataclasses.replace(content, author=actor.get_username(), uid=None)
    key = translation_key(actor, None, content.language, version)
    content = dataclasses.replace(content, translation_key=key)
    prepared = prepare(content, typed=actor is not roles.SYSTEM)
    with transaction.atomic():
        result = save_brief(prepared, editor=editor_name(actor), status=status)
        record(AuditEntry.Action.CREATE, actor, result.brief)
    return result


def edit_brief(
    actor, brief: Brief, content: BriefContent, *, based_on: int | None, version=KEEP
) -> SaveResult:
    """Replace the brief's content with ``content`` (its identity, author, board and
    publication stay the brief's), as revision ``based_on`` + 1: ``RevisionConflict`` if
    someone saved since. The status and publication time are those of the brief's row when
    the edit locks it, not of ``brief``: a move made since it was read stays made. Revising a
    version that lagged behind its other-language version (``version=KEEP``: the link stays
    as it is) catches it up, without making that one look out of date in turn."""
    return revise(actor, brief, content, based_on=based_on, version=version)


def revise(
    actor,
    brief: Brief,
    content: BriefContent,
    *,
    based_on: int | None,
    version=KEEP,
    action: str = AuditEntry.Action.EDIT,
    detail: str = "",
) -> SaveResult:
    """``edit_brief`` under another name in the audit log (restore, link a version, tag)."""
    from .versions import translation_key

    require(roles.can_edit(actor, brief), _("You may not edit this brief."))
    if based_on is None and actor is not roles.SYSTEM:
        raise InvalidContent(
            _("Say which revision the edit started from."),
            {"based_on": [_("Say which revision the edit started from.")]},
        )
    key = translation_key(actor, brief, content.language, version)
    content = dataclasses.replace(
        content,
        uid=brief.uid,
        translation_key=key,
        board=brief.board.name,
        author=brief.author.get_username(),
    )
    lagging = drift.drift_of(brief)
    prepared = prepare(content, typed=actor is not roles.SYSTEM)
    with transaction.atomic():
        result = save_brief(prepared, editor=editor_name(actor), status=KEEP, based_on=based_on)
        if result.outcome is not Outcome.UNCHANGED:
            for d in lagging:
                drift.confirm(d.source, result.brief, user_of(actor))
            record(action, actor, result.brief, detail)
    return result


def restore_revision(actor, brief: Brief, revision: Revision) -> SaveResult:
    """Bring back ``revision``'s text as a new revision; identity, language, author and
    publication stay as the brief has them now. Chief editors."""
    require(roles.can_publish(actor), _("Restoring a revision takes the chief editor role."))
    if revision.brief_id != brief.pk:
        raise WrongState(_("That revision is not this brief's."))
    try:
        old = BriefContent.from_json(revision.content)
    except (KeyError, ValueError) as error:
        raise InvalidContent(_("That revision cannot be read: %(why)s") % {"why": error}) from None
    content = dataclasses.replace(old, language=brief.language)
    latest = brief.latest_revision()
    return revise(
        actor,
        brief,
        content,
        based_on=latest.number if latest else None,
        action=AuditEntry.Action.RESTORE,
        detail=_("revision %(number)s") % {"number": revision.number},
    )


def delete_brief(actor, brief: Brief) -> None:
    """Remove the brief and its revisions; the audit log keeps its title."""
    require(roles.can_delete(actor, brief), _("You may not delete this brief."))
    with transaction.atomic():
        record(AuditEntry.Action.DELETE, actor, None, subject=brief.title, detail=str(brief.uid))
        brief.delete()


def content_now(brief: Brief) -> tuple[BriefContent, int | None]:
    """The brief's content and the revision it is at: what an action that changes one part
    of a brief starts from."""
    latest = brief.latest_revision()
    return content_of(brief), latest.number if latest else None
