"""Server errors and failed mails leave a traceback in the log (stderr in production)."""

import logging

from django.test import Client

from newsbrief import settings as product_settings
from tests.factories import make_user


def test_production_logging_sends_request_errors_and_tasks_to_stderr():
    loggers = product_settings.LOGGING["loggers"]
    for name in ("django.request", "django.security", "django.contrib.auth", "huey", "newsbrief"):
        assert "console" in loggers[name]["handlers"]
        assert "mail_admins" in loggers[name]["handlers"]


def test_a_view_that_raises_leaves_a_traceback(db, caplog, monkeypatch):
    from newsbrief.briefs import views

    def broken(request):
        raise RuntimeError("the view broke")

    monkeypatch.setattr(views, "_published", lambda request: broken(request))
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/en/")
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info and "the view broke" in str(record.exc_info[1])


def test_a_failed_reset_mail_is_logged_and_the_page_still_answers(db, caplog, settings):
    settings.EMAIL_BACKEND = "tests.test_logging.BrokenMail"
    make_user("forgetful", email="forgetful@example.org")
    with caplog.at_level(logging.ERROR, logger="django.contrib.auth"):
        response = Client(raise_request_exception=False).post(
            "/en/accounts/password_reset/", {"email": "forgetful@example.org"}
        )
    assert response.status_code == 302
    record = next(r for r in caplog.records if r.name == "django.contrib.auth")
    assert isinstance(record.exc_info[1], ConnectionRefusedError)


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no SMTP server")


def test_a_task_that_raises_leaves_its_traceback_on_the_huey_logger(db, caplog, monkeypatch):
    from newsbrief.digest import sending
    from newsbrief.digest.tasks import send_digests

    def broken():
        raise RuntimeError("the task broke")

    monkeypatch.setattr(sending, "send_due", broken)
    with caplog.at_level(logging.ERROR, logger="huey"):
        send_digests()
    record = next(r for r in caplog.records if r.name.startswith("huey"))
    assert "the task broke" in str(record.exc_info[1])
