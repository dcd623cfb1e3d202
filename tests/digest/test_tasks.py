"""The digests on the worker's schedule (``digest.tasks``): the same run as ``digest send``."""

import logging
import threading

import pytest
from django.db import connection

from newsbrief.digest import sending
from newsbrief.digest.tasks import send_digests
from newsbrief.digest.transport import ServerError

from .conftest import local_midnight, publish, subscriber

pytestmark = pytest.mark.django_db


def test_the_periodic_task_sends_each_due_digest_once(smtp):
    publish("Offshore wind farm opens", at=local_midnight(days_ago=1))
    subscriber("reader@example.org")
    send_digests()
    send_digests()
    assert len(smtp.to("reader@example.org")) == 1


def test_the_periodic_task_leaves_a_running_send_alone(smtp):
    publish("Offshore wind farm opens", at=local_midnight(days_ago=1))
    subscriber("reader@example.org")
    held, done = threading.Event(), threading.Event()

    def other_run():  # another process's, on a connection of its own (the lock is per session)
        try:
            with sending.exclusive_run():
                held.set()
                done.wait(30)
        finally:
            connection.close()

    other = threading.Thread(target=other_run)
    other.start()
    try:
        assert held.wait(30)
        send_digests()
    finally:
        done.set()
        other.join(30)
    assert smtp.to("reader@example.org") == []
    send_digests()
    assert len(smtp.to("reader@example.org")) == 1


def test_a_failing_mail_server_is_logged_with_its_traceback(smtp, settings, caplog):
    publish("Offshore wind farm opens", at=local_midnight(days_ago=1))
    subscriber("reader@example.org")
    settings.EMAIL_PORT = 1  # nothing listens there
    with caplog.at_level(logging.ERROR, logger="newsbrief.digest"):
        send_digests()
    [record] = [r for r in caplog.records if r.name == "newsbrief.digest.sending"]
    assert isinstance(record.exc_info[1], ServerError)
