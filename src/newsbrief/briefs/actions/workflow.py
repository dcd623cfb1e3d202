"""The workflow: draft -> in review -> published (now or at a time) -> draft again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from .. import roles
from ..errors import InvalidContent, WrongState
from ..limits import YEARS
from ..models import AuditEntry, Brief
from ..publishing import set_status
from .base import record, require


def submit_for_review(actor, brief: Brief) -> Brief:
    """Put a draft in the chief editors' review queue."""
    require(roles.can_edit(actor, brief), _("You may not edit this brief."))
    draft = (Brief.Status.DRAFT, _("Only a draft can be submitted for review."))
    return _move(actor, brief, Brief.Status.REVIEW, AuditEntry.Action.SUBMIT, only_from=draft)


def publish(actor, brief: Brief, at: dt.datetime | None = None) -> Brief:
    """Publish now, or at ``at``: a later time schedules it, an earlier one dates it in the
    past (old news: it takes its place in the archive by that date, not atop the board);
    publishing a published brief again moves its time. Chief editors."""
    require(roles.can_publish(actor), _("Publishing and unpublishing take the chief editor role."))
    if at is not None and (at.tzinfo is None or at.year not in YEARS):
        message = _("Give a publication time between 1900 and 9000, with its time zone.")
        raise InvalidContent(message, {"published_at": [message]})
    return _move(actor, brief, Brief.Status.PUBLISHED, AuditEntry.Action.PUBLISH, at)


def unpublish(actor, brief: Brief) -> Brief:
    """Make a published (or scheduled) brief a draft again. Chief editors."""
    require(roles.can_publish(actor), _("Publishing and unpublishing take the chief editor role."))
    published = (Brief.Status.PUBLISHED, _("This brief is not published."))
    return _move(actor, brief, Brief.Status.DRAFT, AuditEntry.Action.UNPUBLISH, only_from=published)


def _move(actor, brief: Brief, status: str, action: str, at=None, *, only_from=None) -> Brief:
    """The one way a transition happens: the status (and time) set, and the audit entry, in
    one transaction; followers hear of it after commit. ``only_from`` is ``(status, why)``:
    the move applies only to a brief in that status, checked on its locked row (another move
    may have come since ``brief`` was read), else ``WrongState(why)``."""

    def check(row: Brief) -> None:
        if only_from is not None and row.status != only_from[0]:
            raise WrongState(only_from[1])

    with transaction.atomic():
        brief = set_status(brief, status, at, check=check)
        detail = brief.published_at.isoformat() if brief.published_at else ""
        record(action, actor, brief, detail)
    return brief
