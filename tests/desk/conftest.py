"""Users in each role, briefs to work on, and clients signed in as them."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from newsbrief.briefs import roles
from newsbrief.briefs.content import BriefContent
from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import save_brief

ROLES = ["anonymous", "reader", "editor", "other_editor", "chief", "admin"]


def ensure_groups() -> None:
    """The role groups come from a data migration; a transactional test's flush removes
    them, so tests that need them put them back."""
    if not Group.objects.filter(name=roles.CHIEF_EDITORS).exists():
        roles.create_groups()


def make_user(name: str, group: str | None = None, **extra):
    ensure_groups()
    user = get_user_model().objects.create_user(name, password="not-used", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def users(db) -> dict:
    """One user per role (``anonymous`` is ``None``)."""
    return {
        "anonymous": None,
        "reader": make_user("rita"),
        "editor": make_user("ed", roles.EDITORS),
        "other_editor": make_user("olga", roles.EDITORS),
        "chief": make_user("chief", roles.CHIEF_EDITORS),
        "admin": make_user("root", is_staff=True, is_superuser=True),
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def write_brief(author, status=Brief.Status.DRAFT, **changes) -> Brief:
    fields = {
        "language": "en",
        "title": "Satellites over Taiwan",
        "body": "FORMOSAT-7 is launched.\n\nA second paragraph.",
        "author": author.get_username(),
        "published_at": None,
        "tags": ("Space",),
        "source_name": "CNA",
        "source_date": dt.date(2012, 5, 20),
    }
    fields.update(changes)
    if status == Brief.Status.PUBLISHED and fields["published_at"] is None:
        fields["published_at"] = dt.datetime(2012, 5, 22, 1, 0, tzinfo=dt.UTC)
    return save_brief(BriefContent(**fields), editor=author.get_username(), status=status).brief


def form_data(client, url: str) -> dict:
    """The compose form as the page at ``url`` fills it in, ready to post back."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else str(value)
    return data


# The browser tests' fixtures (headless Chromium, the live server with the demo board).
from tests.browser.conftest import browser, new_context, screenshot, site  # noqa: E402, F401
