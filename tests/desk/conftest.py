"""Users in each role, briefs to work on, and clients signed in as them."""

import datetime as dt

import pytest
from django.test import Client

from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief
from tests.factories import ensure_groups, make_brief, make_user  # noqa: F401 (used here too)

ROLES = ["anonymous", "reader", "editor", "other_editor", "chief", "admin"]


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


# The desk's example brief: what ``write_brief`` writes unless told otherwise.
DESK_BRIEF = {
    "title": "Satellites over Taiwan",
    "body": "FORMOSAT-7 is launched.\n\nA second paragraph.",
    "tags": ("Space",),
    "source_name": "CNA",
    "source_date": dt.date(2012, 5, 20),
}


def write_brief(author, status=Brief.Status.DRAFT, **changes) -> Brief:
    """``make_brief`` with the desk's example brief, by ``author`` (a user, also the
    editor), a draft unless ``status`` says otherwise."""
    if status == Brief.Status.PUBLISHED and changes.get("published_at") is None:
        changes["published_at"] = dt.datetime(2012, 5, 22, 1, 0, tzinfo=dt.UTC)
    return make_brief(author=author, status=status, **{**DESK_BRIEF, **changes})


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
