"""A PATCH of a brief racing its submit, publish or unpublish, each a request of its own to a
live server: both answer 200 and neither undoes the other (issue 16)."""

import json

import pytest

from newsbrief.accounts.models import ApiToken
from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief
from tests.races import StatusRounds, followers_muted, race, send

from .conftest import make_user, write_brief

ROUNDS = 20


@pytest.mark.django_db(transaction=True)
def test_an_edit_never_undoes_a_status_change(live_server):
    chief = make_user("chief", roles.CHIEF_EDITORS)
    rounds = StatusRounds(write_brief(chief, status=Brief.Status.PUBLISHED))
    brief_url = f"{live_server.url}/api/briefs/{rounds.pk}"
    headers = {
        "Authorization": f"Bearer {ApiToken.issue(chief, 'tests')[1]}",
        "Content-Type": "application/json",
    }
    answers = []

    def call(url, data=None, method=None):
        status, body = send(url, data and json.dumps(data).encode(), headers, method)
        answers.append(status)
        return json.loads(body)

    def patch(n):
        edit = {"body": rounds.text(n), "based_on": call(brief_url)["revision"]}
        return lambda: call(brief_url, edit, "PATCH")

    def move(n):
        return lambda: call(f"{brief_url}/{rounds.move(n)}", method="POST")

    with followers_muted():
        race(ROUNDS, [patch, move], prepare=rounds.prepare, check=rounds.check)
    assert rounds.undone == []
    assert set(answers) == {200}
