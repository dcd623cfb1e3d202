"""What every action shares: the role check, the audit entry, the editor's name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import audit
from ..errors import NotAllowed
from ..models import Brief
from ..roles import SYSTEM


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("Your role does not allow this."))


def user_of(actor):
    """The account to store as who did it: the actor's, none for the system."""
    return None if actor is SYSTEM else actor


def record(action: str, actor, brief: Brief | None, detail: str = "", subject: str = "") -> None:
    audit.record(action, user_of(actor), brief=brief, subject=subject, detail=detail)


def editor_name(actor) -> str | None:
    """The account a revision names: the actor's (None for the system: the author's)."""
    user = user_of(actor)
    return user.get_username() if user else None
