"""The one way tests make briefs and users: ``make_brief`` goes through ``save_brief``, as
every way into the archive does, with defaults a test overrides by keyword."""

import datetime as dt

from newsbrief.briefs.content import BriefContent
from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import save_brief

WHEN = dt.datetime(2012, 3, 1, 2, 0, tzinfo=dt.UTC)
_DEFAULT = object()


def brief_content(
    title: str = "A brief",
    *,
    language: str = "en",
    body: str = "Text.",
    author: str = "ann",
    published_at=WHEN,
    **fields,
) -> BriefContent:
    """A brief as plain data: ``BriefContent`` with defaults; ``fields`` are its other
    fields (``tags``, ``source_name``, ``uid``...)."""
    return BriefContent(
        language=language,
        title=title,
        body=body,
        author=author,
        published_at=published_at,
        **fields,
    )


def make_brief(
    title: str = "A brief",
    *,
    author="ann",
    status: str = Brief.Status.PUBLISHED,
    published_at=_DEFAULT,
    editor: str | None = None,
    based_on: int | None = None,
    **fields,
) -> Brief:
    """A brief saved by ``save_brief``, in ``status`` (published by default, at ``WHEN``; a
    brief in any other status has no publication time unless given one). ``author`` is a
    name or a user; a user is also the editor unless ``editor`` says otherwise. Other
    keywords are ``BriefContent`` fields (``language``, ``body``, ``tags``, ``uid``...)."""
    if not isinstance(author, str):
        author = author.get_username()
        editor = editor or author
    if published_at is _DEFAULT:
        published_at = WHEN if status == Brief.Status.PUBLISHED else None
    content = brief_content(title, author=author, published_at=published_at, **fields)
    return save_brief(content, editor=editor, status=status, based_on=based_on).brief


def ensure_groups() -> None:
    """The role groups come from a data migration; a transactional test's flush removes
    them, so tests that need them put them back."""
    from django.contrib.auth.models import Group

    from newsbrief.briefs import roles

    if not Group.objects.filter(name=roles.CHIEF_EDITORS).exists():
        roles.create_groups()


def make_user(name: str, group: str | None = None, **extra):
    """A user who signs in with a password nobody uses (tests force the login), in the role
    ``group`` (``roles.EDITORS``...) when given; ``extra`` goes to ``create_user``."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    ensure_groups()
    user = get_user_model().objects.create_user(name, password="not-used", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def index_briefs() -> int:
    """Do what the worker does after briefs change (a test's transaction never commits, so
    the task that each change queues never runs): compute the pending index entries, and
    compact them when due. Returns how many briefs were indexed."""
    from newsbrief.related import tasks

    return tasks.index_pending.call_local()


def empty_registry() -> None:
    """No entities (the shipped registry comes from a data migration), for a test that makes
    the ones it counts on: nothing proposed on save then but what it makes."""
    from newsbrief.entities import registry
    from newsbrief.entities.models import Alias, BriefEntity, Entity

    BriefEntity.objects.all().delete()
    Alias.objects.all().delete()
    Entity.objects.update(parent=None, merged_into=None)
    Entity.objects.all().delete()
    registry.forget()
