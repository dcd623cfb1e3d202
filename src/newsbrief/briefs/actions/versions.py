"""Language versions: link, unlink, confirm that one is still up to date."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import drift, roles
from ..errors import InvalidContent
from ..models import AuditEntry, Brief
from ..publishing import SaveResult
from .base import record, require, user_of
from .editing import KEEP, content_now, revise


def _refuse(field: str, message: str):
    raise InvalidContent(message, {field: [message]})


def translation_key(actor, brief: Brief | None, language: str, version) -> uuid.UUID | None:
    """The translation key a brief in ``language`` gets: ``version``'s when it names the
    brief this one translates (one the actor may see, in another language, with no version
    in this language yet), a fresh one when ``version`` is None and the brief was linked
    (unlinking), and None, the brief's own, for ``KEEP``."""
    if version is KEEP:
        key = brief.translation_key if brief is not None else None
    elif version is None:
        if brief is None:
            return None
        others = Brief.objects.filter(translation_key=brief.translation_key).exclude(pk=brief.pk)
        return uuid.uuid4() if others.exists() else None
    else:
        seen = roles.visible_briefs(actor, timezone.now()).filter(pk=version.pk).exists()
        if not seen or (brief is not None and version.pk == brief.pk):
            _refuse("version", _("There is no other brief with that number."))
        if version.language == language:
            _refuse("version", _("The other version must be in another language."))
        key = version.translation_key
    if key is None:
        return None
    taken = Brief.objects.filter(translation_key=key, language=language)
    if brief is not None:
        taken = taken.exclude(pk=brief.pk)
    if taken.exists():
        field = "language" if version is KEEP else "version"
        _refuse(field, _("That brief already has a version in this language."))
    return key if brief is None or key != brief.translation_key else None


def link_version(actor, brief: Brief, other: Brief) -> SaveResult:
    """``other`` is the brief's other-language version from now on (a new revision)."""
    content, at = content_now(brief)
    return revise(
        actor,
        brief,
        content,
        based_on=at,
        version=other,
        action=AuditEntry.Action.LINK_VERSION,
        detail=str(other.pk),
    )


def unlink_version(actor, brief: Brief) -> SaveResult:
    """The brief stands alone again (a new revision); its former versions keep their key."""
    content, at = content_now(brief)
    return revise(
        actor, brief, content, based_on=at, version=None, action=AuditEntry.Action.UNLINK_VERSION
    )


def confirm_drift(actor, brief: Brief, source: Brief) -> None:
    """``brief`` has been checked against ``source`` as it stands now: no longer out of date."""
    require(roles.can_edit(actor, brief), _("You may not edit this brief."))
    if source.pk == brief.pk or source.translation_key != brief.translation_key:
        _refuse("source", _("That brief is not a version of this one."))
    with transaction.atomic():
        drift.confirm(brief, source, user_of(actor))
        record(AuditEntry.Action.CONFIRM_DRIFT, actor, brief, str(source.pk))
