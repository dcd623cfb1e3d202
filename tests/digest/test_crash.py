"""``newsbrief digest send`` killed mid-run (SIGKILL), then run again: every subscriber gets
their digest exactly once. The SMTP server in ``conftest`` holds the third conversation at a
chosen step, the test kills the process there, and the next run finishes the job."""

import datetime as dt
import os
import signal
import subprocess
from urllib.parse import quote

import pytest
from django.db import connection

from newsbrief.digest.models import Delivery

from ..clock import python_module
from .conftest import BASE_URL, local_midnight, publish, subscriber

pytestmark = pytest.mark.django_db(transaction=True)
READERS = [f"reader{n}@example.org" for n in range(1, 6)]


def database_url() -> str:
    """The test database, for the command run as another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def command(smtp, *args: str) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "NEWSBRIEF_SECRET_KEY": "insecure-key-for-tests-only",
        "NEWSBRIEF_TIME_ZONE": settings.TIME_ZONE,
        "NEWSBRIEF_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "NEWSBRIEF_EMAIL_HOST": "127.0.0.1",
        "NEWSBRIEF_EMAIL_PORT": str(smtp.port),
        "NEWSBRIEF_FROM_EMAIL": "digest@news.example.org",
        "NEWSBRIEF_BASE_URL": BASE_URL,
        "NEWSBRIEF_DEBUG": "",
    }
    return subprocess.Popen(
        python_module("newsbrief.cli", "digest", "send", *args),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


@pytest.fixture
def readers(smtp):
    publish("Offshore wind farm opens", at=local_midnight(days_ago=1) + dt.timedelta(hours=12))
    return [subscriber(address) for address in READERS]


def kill_when_held(smtp, process: subprocess.Popen) -> None:
    if not smtp.held.wait(timeout=120):
        process.kill()
        pytest.fail(f"the run never reached the held step: {finish(process)}")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def assert_each_got_one(smtp) -> None:
    for address in READERS:
        assert len(smtp.to(address)) == 1, address
    ledger = dict(Delivery.objects.values_list("subscription__email", "message_id"))
    for address in READERS:
        assert smtp.to(address)[0]["Message-ID"] == ledger[address]


def test_killed_before_the_hand_over_the_next_run_sends_what_is_missing(smtp, readers):
    smtp.hold("RCPT", 3)
    first = command(smtp)
    kill_when_held(smtp, first)
    states = sorted(Delivery.objects.values_list("state", flat=True))
    assert states == ["sending", "sent", "sent"]
    smtp.release()

    code, out, err = finish(command(smtp))
    assert code == 0, err
    assert "sent 3," in out
    assert_each_got_one(smtp)
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_killed_during_the_hand_over_the_digest_is_not_sent_twice(smtp, readers):
    smtp.hold("DATA", 3)  # the server has the whole message; the client waits for its answer
    first = command(smtp)
    kill_when_held(smtp, first)
    held = Delivery.objects.get(state="committing")
    smtp.release()

    code, out, err = finish(command(smtp))
    assert code == 0, err
    assert "sent 2," in out and "uncertain 1" in out
    assert f"{held.subscription.email} Message-ID {held.message_id}" in err
    assert_each_got_one(smtp)
    held.refresh_from_db()
    assert held.state == "uncertain"


def test_one_run_at_a_time(smtp, readers):
    smtp.hold("RCPT", 1)
    first = command(smtp)
    if not smtp.held.wait(timeout=120):
        first.kill()
        pytest.fail(f"the run never reached the held step: {finish(first)}")
    code, _out, err = finish(command(smtp))
    assert code == 1 and "another `digest send` is running" in err
    smtp.release()
    code, out, err = finish(first)
    assert code == 0, err
    assert "sent 5," in out
    assert_each_got_one(smtp)
