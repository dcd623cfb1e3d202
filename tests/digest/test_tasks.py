"""The digests on the worker's schedule (``digest.tasks``): the same run as ``digest send``."""

import pytest

from newsbrief.digest import sending
from newsbrief.digest.tasks import send_digests

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
    with sending.exclusive_run():
        send_digests()  # a `digest send` (or another worker) holds the run
    assert smtp.to("reader@example.org") == []
    send_digests()
    assert len(smtp.to("reader@example.org")) == 1
