"""Who may do what: the roles the actions layer checks, and every interface with it.

Roles are Django groups with model permissions, created by a data migration, so an admin
grants a role by adding a user to a group in the admin:

- readers: anyone, signed in or not; no permissions.
- Editors (``briefs.add_brief``, ``briefs.change_brief``): write briefs and revise their own.
- Chief editors (also ``briefs.publish_brief``): review, publish, unpublish, restore and
  revise any brief.
- site admins: superusers (every permission), or staff in the "Site admins" group, who manage
  the board, its categories and the users in Django's admin.

``SYSTEM`` acts for operator commands, imports and ingestion: every role, no account.
"""

from django.db.models import Q

EDITORS = "Editors"
CHIEF_EDITORS = "Chief editors"
SITE_ADMINS = "Site admins"


def can_use_desk(user) -> bool:
    """Editors, chief editors and superusers: the desk's pages and compose."""
    return user.has_perm("briefs.add_brief")


def can_publish(user) -> bool:
    """Review, publish, unpublish and restore: chief editors."""
    return user.has_perm("briefs.publish_brief")


def can_edit(user, brief) -> bool:
    """Editors revise their own briefs; chief editors any."""
    if can_publish(user):
        return True
    return user.has_perm("briefs.change_brief") and brief.author_id == user.pk


def can_manage_entities(user) -> bool:
    """Create, rename and merge the registry's entities: chief editors, or anyone granted
    ``entities.change_entity`` in the admin. Deciding on one brief's entities is editing it."""
    return can_publish(user) or user.has_perm("entities.change_entity")


def can_submit(user, brief) -> bool:
    return brief.status == brief.Status.DRAFT and can_edit(user, brief)


def can_delete(user, brief) -> bool:
    """Chief editors delete any brief; editors only their own drafts, never what readers saw."""
    if can_publish(user):
        return True
    return brief.status == brief.Status.DRAFT and can_edit(user, brief)


def visible_briefs(user, at):
    """The briefs ``user`` may read at ``at``: the public's (published, their time come),
    plus what the desk shows them: chief editors everything, editors all but others' drafts."""
    from .models import Board, Brief

    board = Board.current()
    if board is None:
        return Brief.objects.none()
    briefs = Brief.objects.filter(board=board)
    if can_publish(user):
        return briefs
    public = Q(status=Brief.Status.PUBLISHED, published_at__lte=at)
    if can_use_desk(user):
        return briefs.filter(public | ~Q(status=Brief.Status.DRAFT) | Q(author=user))
    return briefs.filter(public)


class _System:
    """The actor of operator commands, imports and ingestion."""

    is_authenticated = True
    is_active = True
    pk = None

    def has_perm(self, perm, obj=None) -> bool:
        return True

    def get_username(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


#: What each role may do. Migration ``desk.0002_roles`` created the groups with what was
#: true then; ``create_groups`` puts today's back (a test database's flush removes them).
GROUP_PERMISSIONS = {
    EDITORS: ["briefs.add_brief", "briefs.change_brief", "briefs.view_brief"],
    CHIEF_EDITORS: [
        "briefs.add_brief",
        "briefs.change_brief",
        "briefs.view_brief",
        "briefs.publish_brief",
    ],
    SITE_ADMINS: [
        f"{app}.{action}_{model}"
        for app, model in [
            ("briefs", "board"),
            ("briefs", "category"),
            ("auth", "user"),
            ("auth", "group"),
        ]
        for action in ("add", "change", "delete", "view")
    ]
    + ["briefs.view_auditentry"],
}


def create_groups() -> None:
    from django.contrib.auth.models import Group, Permission

    for name, codes in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
