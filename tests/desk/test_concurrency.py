"""Two saves of the same revision at the same moment, in two threads with their own database
connections: the brief's row lock lets one through and refuses the other."""

import dataclasses
import threading

import pytest
from django.db import close_old_connections, connection

from newsbrief.briefs.publishing import RevisionConflict, content_of, save_brief

from .conftest import make_user, write_brief


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_from_one_revision_let_exactly_one_through():
    ed = make_user("ed")
    brief = write_brief(ed, body="Original.")
    barrier = threading.Barrier(2)
    outcomes = []

    def save(body: str) -> None:
        try:
            barrier.wait()
            content = dataclasses.replace(content_of(brief), body=body)
            save_brief(content, editor="ed", status=brief.status, based_on=0)
            outcomes.append("saved")
        except RevisionConflict:
            outcomes.append("conflict")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("One.", "Two.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert brief.revisions.count() == 2
