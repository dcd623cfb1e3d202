"""``GET /api/briefs/{id}/proposals``: the desk's proposals, for those who may edit the brief."""

import datetime as dt

import pytest

from newsbrief.briefs.models import Brief
from tests.factories import index_briefs

from .conftest import error_of, write_brief

pytestmark = pytest.mark.django_db


def test_proposals_for_an_editor(people, api):
    earlier = write_brief(
        people["chief"],
        Brief.Status.PUBLISHED,
        title="Taiwan and Denmark on offshore wind",
        body="Offshore wind memorandum with DONG Energy.",
        tags=("Energy",),
        published_at=dt.datetime(2012, 3, 1, tzinfo=dt.UTC),
    )
    draft = write_brief(
        people["editor"], title="Offshore wind demonstration", body="DONG Energy, offshore wind."
    )
    index_briefs()
    response = api["editor"].get(f"/briefs/{draft.pk}/proposals", limit=5)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["related"][0]["brief"]["id"] == earlier.pk
    assert body["related"][0]["reasons"]
    assert body["tags"][0]["slug"] and 0 <= body["tags"][0]["confidence"] <= 1
    assert body["counterparts"] == []  # nothing in the other language


def test_proposals_need_the_right_to_edit(people, api):
    draft = write_brief(people["editor"])
    assert error_of(api[None].get(f"/briefs/{draft.pk}/proposals"))["code"] == "unauthorized"
    # Another editor cannot see the draft at all; a reader neither.
    assert api["other_editor"].get(f"/briefs/{draft.pk}/proposals").status_code == 404
    assert api["reader"].get(f"/briefs/{draft.pk}/proposals").status_code in (403, 404)
    assert api["chief"].get(f"/briefs/{draft.pk}/proposals").status_code == 200
    assert api["editor"].get(f"/briefs/{draft.pk}/proposals", limit=0).status_code == 422
