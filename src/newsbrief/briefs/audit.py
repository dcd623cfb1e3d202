"""The audit log: every action's change of a brief, and role changes.

Actions (``briefs.actions``) call ``record`` inside their own transaction. Role changes can
happen anywhere (the admin, a shell), so they are caught from the models' signals:
``m2m_changed`` on ``User.groups`` and, for the site-admin flags, ``pre_save`` on users. The
user who made them is whoever the current request belongs to (``ActorMiddleware``), or nobody
outside a request.
"""

import contextvars

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver

from .models import AuditEntry

_actor = contextvars.ContextVar("newsbrief_audit_actor", default=None)


class ActorMiddleware:
    """Remembers the signed-in user for the length of a request, for the role-change log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(request)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def current_actor():
    request = _actor.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record(action: str, actor, *, brief=None, subject: str = "", detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        brief=brief,
        subject=(subject or (brief.title if brief else ""))[:500],
        detail=detail,
    )


@receiver(m2m_changed, sender=get_user_model().groups.through)
def log_role_change(sender, instance, action, reverse, pk_set, **kwargs):
    """``user.groups.add(g)`` and ``group.user_set.add(u)`` both land here; ``clear`` is
    logged from its ``pre_clear``, while the members are still known."""
    User = get_user_model()
    if action == "pre_clear":
        if reverse:
            pairs = [(user, instance) for user in instance.user_set.all()]
        else:
            pairs = [(instance, group) for group in instance.groups.all()]
        kind = AuditEntry.Action.ROLE_REMOVED
    elif action in ("post_add", "post_remove"):
        if reverse:
            pairs = [(user, instance) for user in User.objects.filter(pk__in=pk_set)]
        else:
            pairs = [(instance, group) for group in Group.objects.filter(pk__in=pk_set)]
        kind = (
            AuditEntry.Action.ROLE_ADDED if action == "post_add" else AuditEntry.Action.ROLE_REMOVED
        )
    else:
        return
    actor = current_actor()
    for user, group in pairs:
        record(kind, actor, subject=user.get_username(), detail=group.name)


#: The flags that make a user a site admin, as the log names them.
ADMIN_FLAGS = {"is_staff": "staff", "is_superuser": "superuser"}


@receiver(pre_save, sender=get_user_model())
def log_admin_flags(sender, instance, raw=False, update_fields=None, **kwargs):
    """Granting or taking away staff or superuser status is a role change too."""
    if raw or instance.pk is None or (update_fields and not set(ADMIN_FLAGS) & update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values(*ADMIN_FLAGS).first()
    if before is None:
        return
    for flag, name in ADMIN_FLAGS.items():
        if before[flag] != getattr(instance, flag):
            kind = (
                AuditEntry.Action.ROLE_ADDED
                if getattr(instance, flag)
                else AuditEntry.Action.ROLE_REMOVED
            )
            record(kind, current_actor(), subject=instance.get_username(), detail=name)
