"""Who may do what on the desk.

Roles are Django groups with model permissions, created by a data migration, so an admin
grants a role by adding a user to a group in the admin:

- readers: anyone, signed in or not; no permissions.
- Editors (``briefs.add_brief``, ``briefs.change_brief``): write briefs and revise their own.
- Chief editors (also ``briefs.publish_brief``): review, publish, unpublish, restore and
  revise any brief.
- site admins: superusers (every permission), or staff in the "Site admins" group, who manage
  the board, its categories and the users in Django's admin.
"""

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


def can_submit(user, brief) -> bool:
    return brief.status == brief.Status.DRAFT and can_edit(user, brief)
