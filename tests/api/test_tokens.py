"""Making and revoking API tokens: the accounts page, the admin and the command."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from newsbrief.accounts.models import ApiToken

from .conftest import Api, make_user

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_a_new_token_once_and_keeps_only_its_digest(people):
    client = signed_in(people["editor"])
    response = client.post("/en/accounts/tokens/", {"name": "import script"})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    token = re.search(r'<code class="new-token">([^<]+)</code>', response.content.decode())[1]
    row = ApiToken.objects.get(user=people["editor"])
    assert row.digest == ApiToken.hash(token) and token not in row.digest
    assert token.startswith(row.prefix) and len(token) > 40
    assert Api(token).get("/briefs").status_code == 200
    page = client.get("/en/accounts/tokens/").content.decode()
    assert "import script" in page and token not in page


def test_a_user_revokes_only_their_own_tokens(people):
    mine, token = ApiToken.issue(people["editor"], "mine")
    theirs, _ = ApiToken.issue(people["chief"], "theirs")
    client = signed_in(people["editor"])
    assert client.post(f"/en/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.get(f"/en/accounts/tokens/{mine.pk}/revoke/").status_code == 405
    assert client.post(f"/en/accounts/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked and not theirs.revoked
    assert Api(token).get("/briefs").status_code == 401


def test_the_page_is_for_signed_in_users_and_checks_csrf(people):
    response = Client().get("/en/accounts/tokens/")
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["editor"])
    assert strict.post("/en/accounts/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_page_speaks_chinese(people):
    client = signed_in(people["editor"])
    page = client.get("/zh-hant/accounts/tokens/").content.decode()
    assert '<html lang="zh-hant"' in page and "API 權杖" in page


def test_an_admin_makes_a_token_for_someone_and_revokes_it(people):
    admin = make_user("root", is_staff=True, is_superuser=True)
    client = signed_in(admin)
    response = client.post(
        "/admin/accounts/apitoken/add/", {"user": people["editor"].pk, "name": "for ed"}
    )
    assert response.status_code == 200
    token = re.search(r'<code class="new-token">([^<]+)</code>', response.content.decode())[1]
    row = ApiToken.objects.get(name="for ed")
    assert row.user == people["editor"] and row.digest == ApiToken.hash(token)
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert row.revoked is not None


def test_the_token_command(people):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "ed", "--name", "cron", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert Api(token).get("/briefs").status_code == 200
    listing = io.StringIO()
    call_command("token", "list", "ed", stdout=listing)
    assert "cron" in listing.getvalue() and "live" in listing.getvalue()
    row = ApiToken.objects.get(name="cron")
    call_command("token", "revoke", str(row.pk), stdout=io.StringIO())
    assert Api(token).get("/briefs").status_code == 401
    with pytest.raises(CommandError, match="no user"):
        call_command("token", "create", "nobody", stdout=io.StringIO(), stderr=io.StringIO())
