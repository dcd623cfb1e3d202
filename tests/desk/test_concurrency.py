"""Two writers of one brief at the same moment, each with a database connection of its own
(``tests.races``): two saves of the same revision, one let through and the other refused; the
edit form posted while a button moves the brief, to a live server, neither undoing the other."""

import dataclasses
import secrets
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import KEEP, RevisionConflict, content_of, save_brief
from tests.races import StatusRounds, followers_muted, race, send

from .conftest import client_for, form_data, make_user, write_brief

ROUNDS = 20


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_from_one_revision_let_exactly_one_through():
    ed = make_user("ed")
    brief = write_brief(ed, body="Original.")
    outcomes = []

    def save(body: str):
        def act():
            content = dataclasses.replace(content_of(brief), body=body)
            try:
                save_brief(content, editor="ed", status=KEEP, based_on=0)
                outcomes.append("saved")
            except RevisionConflict:
                outcomes.append("conflict")

        return lambda n: act

    race(1, [save("One."), save("Two.")])
    assert sorted(outcomes) == ["conflict", "saved"]
    assert brief.revisions.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_edit_form_never_undoes_a_button(live_server):
    chief = make_user("chief", roles.CHIEF_EDITORS)
    rounds = StatusRounds(write_brief(chief, status=Brief.Status.PUBLISHED))
    client = client_for(chief)
    token = secrets.token_hex(16)  # the CSRF secret, as cookie and as the form's token
    cookies = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = {
        "Cookie": f"{cookies}; {settings.CSRF_COOKIE_NAME}={token}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    edit_url = reverse("desk:edit", args=[rounds.pk])
    answers = []

    def post(path, data):
        data = {**data, "csrfmiddlewaretoken": token}
        answers.append(send(live_server.url + path, urlencode(data).encode(), headers)[0])

    def edit(n):
        data = {**form_data(client, edit_url), "body": rounds.text(n)}
        return lambda: post(edit_url, data)

    def button(n):
        return lambda: post(reverse(f"desk:{rounds.move(n)}", args=[rounds.pk]), {})

    with followers_muted():
        race(ROUNDS, [edit, button], prepare=rounds.prepare, check=rounds.check)
    assert rounds.undone == []
    assert set(answers) == {302}
