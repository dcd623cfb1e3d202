"""Every mutating desk URL, tried by every role: allowed, refused (403), or sent to sign in.

Each case starts from the same state: a draft by the editor ``ed`` (revised once), a
published brief by ``ed``, and its Chinese version that has drifted behind it."""

import dataclasses
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from newsbrief.briefs import roles
from newsbrief.briefs.models import AuditEntry, Brief, DriftCheck, Revision

from .conftest import ROLES, client_for, form_data, write_brief

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users) -> dict:
    ed = users["editor"]
    draft = write_brief(ed, title="A draft")
    write_brief(ed, uid=draft.uid, title="A draft, revised")
    published = write_brief(ed, Brief.Status.PUBLISHED, title="Published")
    chinese = write_brief(
        ed,
        Brief.Status.PUBLISHED,
        language="zh-hant",
        title="中文版",
        translation_key=published.translation_key,
    )
    write_brief(
        ed,
        Brief.Status.PUBLISHED,
        uid=published.uid,
        title="Published, revised",
        published_at=published.published_at,
    )
    return {"users": users, "draft": draft, "published": published, "chinese": chinese}


@dataclasses.dataclass
class Case:
    name: str
    allowed: set[str]
    request: Callable  # (client, world) -> response
    happened: Callable  # (world) -> bool: the change was made


EDITORS = {"editor", "other_editor", "chief", "admin"}
OWN = {"editor", "chief", "admin"}
CHIEFS = {"chief", "admin"}


def _edit(client, w):
    url = reverse("desk:edit", args=[w["draft"].pk])
    admin = w["users"]["admin"]
    data = form_data(client_for(admin), url)
    return client.post(url, {**data, "title": "Edited title"})


CASES = [
    Case(
        "new",
        EDITORS,
        lambda c, w: c.post(
            reverse("desk:new"), {"title": "New", "body": "Text.", "language": "en", "save": "1"}
        ),
        lambda w: Brief.objects.filter(title="New").exists(),
    ),
    Case(
        "edit",
        OWN,
        _edit,
        lambda w: Brief.objects.get(pk=w["draft"].pk).title == "Edited title",
    ),
    Case(
        "preview",
        EDITORS,
        lambda c, w: c.post(reverse("desk:preview"), {"title": "T", "body": "*hi*"}),
        None,
    ),
    Case(
        "submit",
        OWN,
        lambda c, w: c.post(reverse("desk:submit", args=[w["draft"].pk])),
        lambda w: Brief.objects.get(pk=w["draft"].pk).status == Brief.Status.REVIEW,
    ),
    Case(
        "publish",
        CHIEFS,
        lambda c, w: c.post(reverse("desk:publish", args=[w["draft"].pk]), {"when": ""}),
        lambda w: Brief.objects.published().filter(pk=w["draft"].pk).exists(),
    ),
    Case(
        "unpublish",
        CHIEFS,
        lambda c, w: c.post(reverse("desk:unpublish", args=[w["published"].pk])),
        lambda w: Brief.objects.get(pk=w["published"].pk).status == Brief.Status.DRAFT,
    ),
    Case(
        "restore",
        CHIEFS,
        lambda c, w: c.post(reverse("desk:restore", args=[w["draft"].pk, 0])),
        lambda w: Revision.objects.filter(brief=w["draft"], number=2).exists(),
    ),
    Case(
        "confirm drift",
        OWN,
        lambda c, w: c.post(
            reverse("desk:confirm_drift", args=[w["chinese"].pk, w["published"].pk])
        ),
        lambda w: DriftCheck.objects.exists(),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_role_matrix(case, role, world):
    user = world["users"][role]
    response = case.request(client_for(user), world)
    if role in case.allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if response.status_code == 302:
            assert not response["Location"].startswith("/en/accounts/login/")
        assert case.happened is None or case.happened(world)
        return
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=/en/desk/")
    else:
        assert response.status_code == 403
        assert b"Not allowed" in response.content
    assert case.happened is None or not case.happened(world)
    assert not AuditEntry.objects.exclude(action__startswith="role").exists()


@pytest.mark.parametrize("role", ROLES)
def test_desk_pages_are_for_editors(role, world):
    client = client_for(world["users"][role])
    brief = world["draft"]
    pages = [
        reverse("desk:dashboard"),
        reverse("desk:new"),
        reverse("desk:drift"),
        reverse("desk:history", args=[brief.pk]),
        reverse("desk:diff", args=[brief.pk, 0, 1]),
    ]
    for url in pages:
        response = client.get(url)
        expected = 200 if role in EDITORS else 403 if role != "anonymous" else 302
        assert response.status_code == expected, url


def test_actions_refuse_get(world):
    client = client_for(world["users"]["chief"])
    response = client.get(reverse("desk:publish", args=[world["draft"].pk]))
    assert response.status_code == 405


def test_roles_are_groups_with_permissions(users):
    chief, editor = users["chief"], users["editor"]
    assert roles.can_publish(chief) and not roles.can_publish(editor)
    assert roles.can_use_desk(editor) and not roles.can_use_desk(users["reader"])
    admins = Group.objects.get(name=roles.SITE_ADMINS)
    assert admins.permissions.filter(codename="change_board").exists()
    assert admins.permissions.filter(codename="view_auditentry").exists()
