"""Every account page under both language prefixes, in that language, with a language switch
that leads to the same page; the old addresses without a prefix redirect."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from newsbrief.briefs.models import Board

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    Board.objects.create(name="Sci Board", name_zh_hant="科技看板")
    return get_user_model().objects.create_user("techman", "techman@example.org", PASSWORD)


PUBLIC = ["login", "password_reset", "password_reset/done", "reset/done", "reset/MQ/bad-token"]
SIGNED_IN = ["password_change", "password_change/done", "tokens"]


@pytest.mark.parametrize("language, other", [("en", "zh-hant"), ("zh-hant", "en")])
@pytest.mark.parametrize("page", PUBLIC + SIGNED_IN)
def test_every_account_page_in_both_languages(client, editor, language, other, page):
    if page in SIGNED_IN:
        client.force_login(editor)
    path = f"/{language}/accounts/{page}/"
    response = client.get(path, follow=page.startswith("reset/MQ"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    # The switch leads to this page in the other language.
    assert f'href="/{other}/accounts/{page.split("/")[0]}' in html
    assert ("科技看板" in html) == (language == "zh-hant")


@pytest.mark.parametrize(
    "accept, language", [("en", "en"), ("zh-Hant", "zh-hant"), ("zh-TW,zh;q=0.9", "zh-hant")]
)
def test_an_address_without_prefix_redirects_to_the_readers_language(client, db, accept, language):
    response = client.get("/accounts/login/?next=/zh-hant/desk/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/accounts/login/?next=/zh-hant/desk/"


def test_signing_in_from_a_chinese_page_goes_back_to_it(client, editor):
    login = client.get("/zh-hant/desk/")
    assert login["Location"] == "/zh-hant/accounts/login/?next=/zh-hant/desk/"
    page = client.get(login["Location"]).content.decode()
    assert 'name="next" value="/zh-hant/desk/"' in page and "忘記密碼" in page
    response = client.post(
        "/zh-hant/accounts/login/",
        {"username": "techman", "password": PASSWORD, "next": "/zh-hant/desk/"},
    )
    assert response["Location"] == "/zh-hant/desk/"
    assert client.post("/zh-hant/accounts/logout/")["Location"] == "/zh-hant/"


def test_a_wrong_password_is_told_in_chinese(client, editor):
    response = client.post("/zh-hant/accounts/login/", {"username": "techman", "password": "x"})
    assert "帳號" in response.content.decode()


def test_the_reset_mail_speaks_the_pages_language(client, editor):
    client.post("/zh-hant/accounts/password_reset/", {"email": "techman@example.org"})
    (message,) = mail.outbox
    assert "科技看板" in message.subject
    assert "密碼" in message.body
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    assert link.startswith("/zh-hant/accounts/reset/")
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "設定新密碼" in form.content.decode()

    mail.outbox.clear()
    client.post("/en/accounts/password_reset/", {"email": "techman@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Choose a new password for Sci Board"
    assert "/en/accounts/reset/" in message.body
