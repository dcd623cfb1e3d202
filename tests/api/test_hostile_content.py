"""Hostile content through the API: refused with 422 on its field (or saved quickly), never a
500; a brief holding dates stored before they were checked can still be proposed for."""

import datetime as dt

import pytest

from newsbrief.briefs.models import Brief

from .conftest import error_of, write_brief
from .test_writing import NEW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change, field",
    [
        ({"body": "* " * 500 + "x"}, "body"),
        ({"source": {"name": "CNA", "date": "0001-01-05"}}, "source.date"),
        ({"source": {"name": "CNA", "date": "9999-12-31"}}, "source.date"),
        ({"title": "Escape \u001b[31m"}, "title"),
        ({"title": "Vertical \u000b tab"}, "title"),
    ],
    ids=["nested-lists", "year-1", "year-9999", "escape", "vertical-tab"],
)
def test_hostile_content_is_refused_on_its_field(api, change, field):
    response = api["editor"].post("/briefs", {**NEW, **change})
    assert response.status_code == 422, response.content
    error = error_of(response)
    # The schema refuses some itself ("invalid"), the content rules the rest.
    assert error["code"] in {"invalid", "invalid_content"} and field in error["fields"]
    assert not Brief.objects.exists()


def test_a_run_of_brackets_is_saved_as_text(api):
    response = api["editor"].post("/briefs", {**NEW, "body": "[" * 15000})
    assert response.status_code == 201, response.content
    assert response.json()["body_html"].count("[") == 15000


@pytest.mark.parametrize("day", [dt.date(1, 1, 5), dt.date(9999, 12, 31)])
def test_proposals_for_a_brief_with_extreme_stored_dates(people, api, day):
    brief = write_brief(people["editor"])
    at = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    Brief.objects.filter(pk=brief.pk).update(source_date=day, created_at=at)
    response = api["editor"].get(f"/briefs/{brief.pk}/proposals")
    assert response.status_code == 200, response.content
