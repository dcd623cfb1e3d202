"""The desk's sources page and the admin: who may register sources, and what they see."""

import pytest
from django.urls import reverse

from newsbrief.ingest.models import Source
from tests.desk.conftest import ROLES, client_for

pytestmark = pytest.mark.django_db

DESK = {"editor", "other_editor", "chief", "admin"}


def add(client, **changes):
    data = {"name": "CNA Tech", "kind": "feed", "url": "https://example.org/rss", "language": "en"}
    return client.post(reverse("ingest:sources"), data | changes)


@pytest.mark.parametrize("role", ROLES)
def test_only_desk_roles_see_and_add_sources(users, role):
    client = client_for(users[role])
    page = client.get(reverse("ingest:sources"))
    response = add(client)
    if role in DESK:
        assert page.status_code == 200
        assert response.status_code == 302
        source = Source.objects.get()
        assert source.created_by == users[role] and source.active
    elif role == "anonymous":
        assert page.status_code == response.status_code == 302
        assert page["Location"].startswith("/en/accounts/login/")
        assert not Source.objects.exists()
    else:
        assert page.status_code == response.status_code == 403
        assert not Source.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_desk_roles_pause_sources(users, role):
    source = Source.objects.create(name="S", url="http://example.org/f", language="en")
    response = client_for(users[role]).post(
        reverse("ingest:set_active", args=[source.pk]), {"active": "0"}
    )
    source.refresh_from_db()
    assert source.active is (role not in DESK)
    assert response.status_code == (302 if role in DESK or role == "anonymous" else 403)


def test_a_paused_source_can_be_resumed(users):
    source = Source.objects.create(
        name="S", url="http://example.org/f", language="en", active=False
    )
    client_for(users["editor"]).post(
        reverse("ingest:set_active", args=[source.pk]), {"active": "1"}
    )
    source.refresh_from_db()
    assert source.active


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://example.org/feed", "Refused: only http and https addresses are fetched."),
        ("javascript:alert(1)", "Enter a valid URL"),
        ("https://example.org/rss", "already exists"),
    ],
)
def test_bad_sources_are_refused_with_a_reason(users, url, error):
    client = client_for(users["editor"])
    add(client)
    response = add(client, url=url)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Source.objects.count() == 1


def test_the_page_lists_sources_with_their_last_error(users):
    Source.objects.create(
        name="Broken <b>feed</b>",
        url="http://example.org/f",
        language="zh-hant",
        last_error="no complete answer within 10 seconds\n<script>alert(1)</script>",
    )
    page = client_for(users["editor"]).get(reverse("ingest:sources")).content.decode()
    assert "Broken &lt;b&gt;feed&lt;/b&gt;" in page
    assert "no complete answer within 10 seconds<br>&lt;script&gt;" in page
    assert "<script>alert" not in page
    assert (
        reverse("ingest:sources")
        in client_for(users["editor"]).get(reverse("desk:dashboard")).content.decode()
    )


def test_the_chinese_page(users):
    page = client_for(users["editor"]).get("/zh-hant/desk/sources/")
    assert page.status_code == 200


def test_site_admins_manage_sources_in_the_admin(users):
    client = client_for(users["admin"])
    response = client.post(
        reverse("admin:ingest_source_add"),
        {"name": "Admin feed", "kind": "feed", "url": "http://example.org/a", "language": "en",
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Source.objects.get().created_by == users["admin"]
    response = client.post(
        reverse("admin:ingest_source_add"),
        {"name": "FTP", "kind": "feed", "url": "ftp://example.org/a", "language": "en"},
    )
    assert "Refused: only http and https addresses" in response.content.decode()
    assert client.get(reverse("admin:ingest_item_changelist")).status_code == 200
