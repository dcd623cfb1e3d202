"""Writing through the API: the desk's roles, checks and revision rules, with tokens."""

import datetime as dt
import json

import pytest
from django.test import Client

from newsbrief.accounts.models import ApiToken
from newsbrief.briefs.models import AuditEntry, Brief

from .conftest import Api, error_of, write_brief

pytestmark = pytest.mark.django_db

NEW = {
    "language": "en",
    "title": "Offshore wind",
    "body": "Turbines go up off **Changhua**.",
    "tags": ["Energy", " International   Cooperation ", "Energy"],
    "source": {"name": "CNA", "date": "2011-11-01"},
    "links": [{"label": "CNA report", "url": "https://cna.example/wind", "date": "2011-11-01"}],
}


def create(api, data=None):
    response = api.post("/briefs", data or NEW)
    assert response.status_code == 201, response.content
    return response.json()


def test_an_editor_creates_a_draft(api, people):
    body = create(api["editor"])
    brief = Brief.objects.get(pk=body["id"])
    assert (brief.status, brief.author, brief.title) == ("draft", people["editor"], "Offshore wind")
    assert brief.tag_names() == ["Energy", "International Cooperation"]
    assert [(x.label, x.url) for x in brief.source_links.all()] == [
        ("CNA report", "https://cna.example/wind")
    ]
    assert body["body_html"].startswith('<p><span class="source">CNA (2011/11/01)</span>')
    assert (body["status"], body["revision"], body["trail"]) == ("draft", 0, None)
    assert error_of(api[None].get(f"/briefs/{brief.pk}"))["code"] == "not_found"


def test_writing_takes_a_token_of_an_editor(api, people):
    response = api[None].post("/briefs", NEW)
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"
    response = api["reader"].post("/briefs", NEW)
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"
    assert not Brief.objects.exists()


def test_a_signed_in_browser_cannot_write_without_a_token(people):
    """Session cookies are not credentials here, so there is no CSRF to forge."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["chief"])
    response = browser.post("/api/briefs", NEW, content_type="application/json")
    assert response.status_code == 401
    assert not Brief.objects.exists()


def test_a_revoked_token_stops_working_and_use_is_recorded(people):
    row, token = ApiToken.issue(people["editor"], "script")
    assert Api(token).post("/briefs", NEW).status_code == 201
    row.refresh_from_db()
    assert row.last_used is not None
    row.revoke()
    assert Api(token).post("/briefs", NEW).status_code == 401
    people["other_editor"].is_active = False
    people["other_editor"].save()
    assert Api(ApiToken.issue(people["other_editor"], "x")[1]).get("/briefs").status_code == 401


def test_editing_needs_the_revision_it_started_from(api):
    body = create(api["editor"])
    path = f"/briefs/{body['id']}"
    edited = api["editor"].patch(path, {"based_on": 0, "title": "Offshore wind farms"}).json()
    assert (edited["title"], edited["revision"], edited["body"]) == (
        "Offshore wind farms", 1, NEW["body"],
    )  # fmt: skip
    stale = api["editor"].patch(path, {"based_on": 0, "title": "Mine"})
    assert stale.status_code == 409
    error = error_of(stale)
    assert (error["code"], error["current_revision"]) == ("revision_conflict", 1)
    assert Brief.objects.get(pk=body["id"]).title == "Offshore wind farms"
    missing = api["editor"].patch(path, {"title": "No base"})
    assert missing.status_code == 422 and "based_on" in error_of(missing)["fields"]


def test_put_replaces_the_whole_brief(api):
    body = create(api["editor"])
    replaced = (
        api["editor"]
        .put(
            f"/briefs/{body['id']}",
            {"language": "en", "title": "Wind", "body": "New.", "based_on": 0},
        )
        .json()
    )
    assert (replaced["tags"], replaced["links"], replaced["source"]) == (
        [], [], {"name": "", "date": None},
    )  # fmt: skip
    same = (
        api["editor"]
        .put(
            f"/briefs/{body['id']}",
            {"language": "en", "title": "Wind", "body": "New.", "based_on": 1},
        )
        .json()
    )
    assert same["revision"] == 1  # nothing changed, no new revision


def test_roles_decide_who_edits_and_publishes(api, people):
    body = create(api["editor"])
    path = f"/briefs/{body['id']}"
    # Another editor cannot see someone else's draft; once in review, they see it but may
    # not edit it; a chief editor may edit anything and publish.
    assert api["other_editor"].patch(path, {"based_on": 0, "title": "x"}).status_code == 404
    assert api["editor"].post(f"{path}/publish").status_code == 403
    submitted = api["editor"].post(f"{path}/submit")
    assert submitted.json()["status"] == "review"
    assert error_of(api["editor"].post(f"{path}/submit"))["code"] == "wrong_status"
    refused = api["other_editor"].patch(path, {"based_on": 0, "title": "x"})
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    assert api["chief"].patch(path, {"based_on": 0, "title": "Wind"}).status_code == 200
    published = api["chief"].post(f"{path}/publish").json()
    assert published["status"] == "published" and published["published_at"]
    assert api[None].get(path).status_code == 200
    assert api["chief"].post(f"{path}/unpublish").json()["status"] == "draft"
    assert error_of(api["chief"].post(f"{path}/unpublish"))["code"] == "wrong_status"
    assert api[None].get(path).status_code == 404
    log = AuditEntry.objects.filter(brief_id=body["id"]).order_by("pk")
    actions = list(log.values_list("action", "actor__username"))
    assert actions == [
        ("create", "ed"),
        ("submit", "ed"),
        ("edit", "chief"),
        ("publish", "chief"),
        ("unpublish", "chief"),
    ]


def test_publishing_later_schedules(api):
    body = create(api["editor"])
    at = "2999-01-01T09:00:00+08:00"
    published = api["chief"].post(f"/briefs/{body['id']}/publish", {"at": at}).json()
    assert published["published_at"] == "2999-01-01T01:00:00Z"
    assert api[None].get(f"/briefs/{body['id']}").status_code == 404
    naive = api["chief"].post(f"/briefs/{body['id']}/publish", {"at": "2999-01-01T09:00:00"})
    assert naive.status_code == 422 and "at" in error_of(naive)["fields"]


def test_language_versions_link_as_on_the_desk(api, people):
    english = create(api["editor"])
    chinese = create(
        api["editor"],
        {**NEW, "language": "zh-hant", "title": "離岸風電", "version_of": english["id"]},
    )
    assert [v["id"] for v in chinese["versions"]] == [english["id"]]
    again = api["editor"].post(
        "/briefs", {**NEW, "language": "zh-hant", "version_of": english["id"]}
    )
    assert "version_of" in error_of(again)["fields"]
    same = api["editor"].post("/briefs", {**NEW, "version_of": english["id"]})
    assert "version_of" in error_of(same)["fields"]
    # A patch without version_of keeps the link; changing language onto the other's clashes.
    clash = api["editor"].patch(f"/briefs/{chinese['id']}", {"based_on": 0, "language": "en"})
    assert clash.status_code == 422 and "language" in error_of(clash)["fields"]
    kept = api["editor"].patch(f"/briefs/{chinese['id']}", {"based_on": 0, "title": "離岸風力"})
    assert [v["id"] for v in kept.json()["versions"]] == [english["id"]]
    unlinked = api["editor"].patch(f"/briefs/{chinese['id']}", {"based_on": 1, "version_of": None})
    assert unlinked.json()["versions"] == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": "nul\x00"}, "title"),
        ({"body": "   "}, None),
        ({"language": "fr"}, "language"),
        ({"tags": ["a, b"]}, "tags"),
        ({"tags": ["t" * 121]}, "tags.0"),
        ({"links": [{"label": "x", "url": "javascript:alert(1)"}]}, "links.0.url"),
        ({"source": {"name": "CNA", "date": "2011-02-30"}}, "source.date"),
        ({"version_of": 999999}, "version_of"),
    ],
)
def test_content_is_checked_as_on_the_desk(api, change, field):
    response = api["editor"].post("/briefs", {**NEW, **change})
    assert response.status_code == 422, response.content
    error = error_of(response)
    if field:
        assert field in error["fields"]
    else:
        assert error["code"] == "invalid_content"
    assert not Brief.objects.exists()


@pytest.mark.parametrize(
    "body, status",
    [
        ("{", 400),
        (b'{"title": "\xff"}', 400),
        ("[" * 100_000 + "]" * 100_000, 400),
        ("null", 422),
        (json.dumps({**NEW, "body": "x" * 3_000_000}), 413),
    ],
)
def test_malformed_and_oversized_bodies_get_the_error_body(api, body, status):
    response = api["editor"].client.post("/api/briefs", body, content_type="application/json")
    assert response.status_code == status
    error_of(response)
    assert not Brief.objects.exists()


def test_an_edit_of_a_published_brief_keeps_it_published(api, people):
    brief = write_brief(people["editor"], Brief.Status.PUBLISHED)
    response = api["editor"].patch(f"/briefs/{brief.pk}", {"based_on": 0, "body": "Updated."})
    body = response.json()
    assert (body["status"], body["body"], body["revision"]) == ("published", "Updated.", 1)
    assert body["published_at"] == "2012-05-22T01:00:00Z"
    assert body["trail"] == {"count": 1, "last_edit_at": body["trail"]["last_edit_at"], "by": "ed"}
    assert dt.datetime.fromisoformat(body["trail"]["last_edit_at"]).year >= 2026
