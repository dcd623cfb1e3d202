"""The API's publish takes ``published_at``: in the past for old news, later to schedule."""

import datetime as dt

import pytest

from newsbrief.briefs.models import AuditEntry, Brief

from .conftest import error_of, write_brief

pytestmark = pytest.mark.django_db


def test_publishing_at_a_past_moment_dates_the_brief(api, people):
    brief = write_brief(people["editor"])
    path = f"/briefs/{brief.pk}/publish"
    published = api["chief"].post(path, {"published_at": "2012-05-22T09:00:00+08:00"}).json()
    assert (published["status"], published["published_at"]) == ("published", "2012-05-22T01:00:00Z")
    assert api[None].get(f"/briefs/{brief.pk}").status_code == 200  # public at once
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.PUBLISH).get()
    assert dt.datetime.fromisoformat(entry.detail) == dt.datetime(2012, 5, 22, 1, tzinfo=dt.UTC)
    # The name it had before still works.
    again = api["chief"].post(path, {"at": "2011-01-02T03:04:00Z"}).json()
    assert again["published_at"] == "2011-01-02T03:04:00Z"


@pytest.mark.parametrize(
    "when", ["1899-12-31T12:00:00Z", "2012-05-22T09:00:00", 1337650000, "yesterday"]
)
def test_a_publication_time_out_of_bounds_or_without_zone_is_refused(api, people, when):
    brief = write_brief(people["editor"])
    response = api["chief"].post(f"/briefs/{brief.pk}/publish", {"published_at": when})
    assert response.status_code == 422
    assert "published_at" in error_of(response)["fields"]
    brief.refresh_from_db()
    assert brief.status == Brief.Status.DRAFT


def test_editors_may_not_date_a_brief(api, people):
    brief = write_brief(people["editor"])
    response = api["editor"].post(
        f"/briefs/{brief.pk}/publish", {"published_at": "2012-05-22T01:00:00Z"}
    )
    assert response.status_code == 403


def test_the_schema_documents_published_at(api):
    schema = api[None].get("/openapi.json").json()
    publish = schema["components"]["schemas"]["PublishIn"]["properties"]
    assert "published_at" in publish and "in the past" in publish["published_at"]["description"]
