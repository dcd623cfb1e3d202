"""Signing in and out, the sign-in throttle, password resets and the security headers."""

import datetime as dt
import re
import threading
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connections
from django.test import Client
from django.utils import timezone

from newsbrief.accounts import throttle
from newsbrief.accounts.models import SignInThrottle

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("techman", "techman@example.org", PASSWORD)


def sign_in(client, username="techman", password=PASSWORD, address="192.0.2.1"):
    return client.post(
        "/en/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_sign_in_and_out(client, editor):
    page = client.get("/en/accounts/login/")
    assert page.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in page.content
    response = sign_in(client)
    assert response.status_code == 302
    assert client.get("/en/").context["user"] == editor
    assert b"Sign out" in client.get("/en/").content
    # Signing out is a POST (a link could be followed by a prefetcher or a hostile page).
    assert client.get("/en/accounts/logout/").status_code == 405
    assert client.post("/en/accounts/logout/").status_code == 302
    assert not client.get("/en/").context["user"].is_authenticated


def test_sign_in_page_checks_csrf(editor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert sign_in(strict).status_code == 403


def test_wrong_password_says_so_without_naming_which_part(client, editor):
    response = sign_in(client, password="wrong")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_failures_slow_down_then_lock_the_account(client, editor):
    for _ in range(throttle.ACCOUNT.free):
        assert sign_in(client, password="wrong").status_code == 200
    # Free failures spent: the next attempt must wait, even with the right password.
    sign_in(client, password="wrong")
    refused = sign_in(client)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many failed sign-ins" in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated

    row = SignInThrottle.objects.get(key="account:techman")
    row.failures = throttle.ACCOUNT.lock_after - 1
    row.last_failure = timezone.now() - dt.timedelta(minutes=2)
    row.save()
    assert sign_in(client, password="wrong").status_code == 200  # the failure that locks
    row.refresh_from_db()
    assert row.locked_until > timezone.now() + dt.timedelta(minutes=14)
    locked = sign_in(client)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 14 * 60


def test_the_account_lock_holds_from_every_address_and_for_any_spelling(client, editor):
    for n in range(throttle.ACCOUNT.free + 1):
        sign_in(client, password="wrong", address=f"198.51.100.{n}")
    assert sign_in(client, username="TechMan", address="203.0.113.9").status_code == 429


def test_failures_from_one_address_throttle_it_for_every_account(client, editor):
    for n in range(throttle.ADDRESS.free + 1):
        sign_in(client, username=f"guess{n}", password="wrong")
    assert sign_in(client).status_code == 429
    # Another address is not affected.
    assert sign_in(client, address="192.0.2.200").status_code == 302


def test_a_wait_ends_and_success_clears_the_count(client, editor):
    for _ in range(throttle.ACCOUNT.free + 1):
        sign_in(client, password="wrong")
    SignInThrottle.objects.update(last_failure=timezone.now() - dt.timedelta(minutes=5))
    assert sign_in(client).status_code == 302
    assert not SignInThrottle.objects.filter(key="account:techman").exists()


def lock(client, username="techman"):
    """Lock the account through /accounts/login/: its failures up to the last one, then that."""
    sign_in(client, username=username, password="wrong")
    SignInThrottle.objects.filter(key=f"account:{username}").update(
        failures=throttle.ACCOUNT.lock_after - 1,
        last_failure=timezone.now() - dt.timedelta(minutes=2),
    )
    sign_in(client, username=username, password="wrong")
    assert SignInThrottle.objects.get(key=f"account:{username}").locked_until > timezone.now()


def admin_sign_in(client, password=PASSWORD, address="192.0.2.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "techman", "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_the_admin_sign_in_is_throttled_by_the_same_counts(client, editor):
    editor.is_staff = True
    editor.save()
    for n in range(throttle.ACCOUNT.free):
        assert admin_sign_in(client, password="wrong", address=f"198.51.100.{n}").status_code == 200
    # The failures at the admin count on /accounts/login/ too, and the other way round.
    assert sign_in(client, address="203.0.113.9").status_code == 429
    refused = admin_sign_in(client, address="203.0.113.10")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many failed sign-ins" in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated


def test_an_account_locked_at_the_board_cannot_sign_in_at_the_admin(client, editor):
    editor.is_staff = editor.is_superuser = True
    editor.save()
    lock(client)
    refused = admin_sign_in(client, address="203.0.113.9")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 14 * 60
    assert client.get("/admin/").status_code == 302  # still signed out
    # Nor by any other caller of authenticate(), with or without a request.
    assert authenticate(None, username="techman", password=PASSWORD) is None
    assert not client.login(username="techman", password=PASSWORD)


def test_the_admin_signs_in_once_the_wait_is_over(client, editor):
    editor.is_staff = True
    editor.save()
    assert admin_sign_in(client, password="wrong").status_code == 200
    response = admin_sign_in(client)
    assert response.status_code == 302
    assert not SignInThrottle.objects.filter(key="account:techman").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ins_check_no_more_passwords_than_the_throttle_allows(editor):
    """40 wrong guesses at once, from 40 addresses, on a frozen clock (so no wait ends while
    they run): exactly the free attempts reach the password hasher, the rest answer 429."""
    attempts = 40
    checked = []
    verify = MD5PasswordHasher.verify

    def counted(hasher, password, encoded):
        checked.append(password)
        return verify(hasher, password, encoded)

    start = threading.Barrier(attempts)
    statuses = []

    def attempt(n):
        client = Client()
        start.wait()
        try:
            statuses.append(
                sign_in(client, password="wrong", address=f"198.51.100.{n}").status_code
            )
        finally:
            connections.close_all()

    with (
        time_machine.travel(timezone.now(), tick=False),
        mock.patch.object(MD5PasswordHasher, "verify", counted),
    ):
        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(checked) == throttle.ACCOUNT.free
    assert sorted(statuses) == [200] * throttle.ACCOUNT.free + [429] * (attempts - len(checked))
    assert SignInThrottle.objects.get(key="account:techman").failures == throttle.ACCOUNT.free


def test_old_failures_are_forgotten():
    now = timezone.now()
    row = SignInThrottle(key="k", failures=50, last_failure=now - dt.timedelta(hours=2))
    assert throttle.ACCOUNT.wait(row, now) == dt.timedelta(0)


def test_password_reset_by_email(client, editor):
    response = client.post("/en/accounts/password_reset/", {"email": "techman@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["techman@example.org"]
    link = re.search(r"https?://[^/\s]+(/en/accounts/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "a brand new passphrase 2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new)
    # The link works once.
    assert b"has been used or has expired" in client.get(link, follow=True).content


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post("/en/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_validators_refuse_weak_passwords(client, editor):
    client.force_login(editor)
    response = client.post(
        "/en/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()


@pytest.mark.parametrize("path", ["/en/", "/zh-hant/", "/en/accounts/login/", "/admin/login/"])
def test_every_page_carries_the_security_headers(client, db, path):
    response = client.get(path, follow=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
