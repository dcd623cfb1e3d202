"""The API's entities: the registry listed and searched, one entity with its names and
counts, briefs filtered by entities (AND), and editors' decisions under the write rules."""

import pytest

from newsbrief.briefs.models import AuditEntry, Brief
from newsbrief.entities import counting
from newsbrief.entities.models import Alias, BriefEntity, Entity

from .conftest import error_of, write_brief

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry_state")]
D = BriefEntity.Decision


@pytest.fixture
def world(people):
    ed = people["editor"]
    japan = Entity.objects.create(
        kind="country", slug="japan", name_en="Japan", name_zh_hant="日本"
    )
    taiwan = Entity.objects.create(kind="country", slug="taiwan", name_en="Taiwan", code="TW")
    optics = Entity.objects.create(kind="field", slug="optics", name_en="Optics")
    Alias.objects.create(entity=japan, text="Nippon", language="")
    nippon = Entity.objects.create(kind="country", slug="nippon", name_en="Nippon",
                                   merged_into=japan)  # fmt: skip
    a = write_brief(ed, Brief.Status.PUBLISHED, title="Japan and Taiwan")
    b = write_brief(ed, Brief.Status.PUBLISHED, title="Japan alone")
    zh = write_brief(ed, Brief.Status.PUBLISHED, title="臺日", language="zh-hant",
                     translation_key=a.translation_key)  # fmt: skip
    draft = write_brief(ed, title="A draft")
    for brief, entity, confidence in [
        (a, japan, 0.9), (a, taiwan, 0.9), (zh, japan, 0.9), (zh, taiwan, 0.9),
        (b, japan, 0.95), (b, taiwan, 0.2), (b, optics, 0.7), (draft, japan, 0.9),
    ]:  # fmt: skip
        BriefEntity.objects.create(brief=brief, entity=entity, confidence=confidence,
                                   evidence=entity.name_en)  # fmt: skip
    counting.recount()
    return {"a": a, "b": b, "zh": zh, "draft": draft, "japan": japan, "taiwan": taiwan,
            "optics": optics, "nippon": nippon}  # fmt: skip


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_list_and_search_entities(api, world):
    page = api[None].get("/entities").json()
    assert page["total"] == 3  # Nippon was merged away
    assert [e["slug"] for e in page["items"]] == ["japan", "taiwan", "optics"]
    assert page["items"][1] == {"slug": "taiwan", "kind": "country", "name_en": "Taiwan",
                                "name_zh_hant": "", "acronym": "", "code": "TW",
                                "parent": None}  # fmt: skip
    assert [e["slug"] for e in api[None].get("/entities", kind="field").json()["items"]] == [
        "optics"
    ]
    assert [e["slug"] for e in api[None].get("/entities", q="nippon").json()["items"]] == ["japan"]
    assert [e["slug"] for e in api[None].get("/entities", q="日本").json()["items"]] == ["japan"]
    page = api[None].get("/entities", limit=1, page=2).json()
    assert (page["offset"], [e["slug"] for e in page["items"]]) == (1, ["taiwan"])
    assert api[None].get("/entities", kind="planet").status_code == 422


def test_one_entity_with_names_aliases_and_counts(api, world):
    body = api[None].get("/entities/japan").json()
    assert body["aliases"] == [{"text": "Nippon", "language": "", "kind": "name"}]
    assert body["briefs"] == {"en": 2, "zh-hant": 1}  # the draft is not counted
    assert body["merged_into"] is None
    assert api[None].get("/entities/nippon").json()["merged_into"] == "japan"
    response = api[None].get("/entities/atlantis")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_briefs_filtered_by_entities_combine_with_and(api, world):
    a, b, zh = world["a"].pk, world["b"].pk, world["zh"].pk
    assert ids(api[None].get("/briefs", entity="japan")) == {a, b, zh}
    assert ids(api[None].get("/briefs", entity=["japan", "taiwan"])) == {a, zh}
    assert ids(api[None].get("/briefs", entity=["japan", "optics"])) == {b}
    assert ids(api[None].get("/briefs", entity=["japan", "taiwan"], language="en")) == {a}
    assert ids(api[None].get("/briefs", entity="nippon")) == {a, b, zh}  # merged: the other
    assert ids(api[None].get("/briefs", entity="atlantis")) == set()
    assert api[None].get("/briefs", entity="japan").json()["total"] == 3


def test_a_briefs_entities_for_readers_and_editors(api, world):
    path = f"/briefs/{world['b'].pk}/entities"
    public = api[None].get(path).json()
    assert [(e["entity"]["slug"], e["shown"]) for e in public] == [
        ("japan", True), ("optics", True),
    ]  # fmt: skip
    editor = api["editor"].get(path).json()
    assert [(e["entity"]["slug"], e["decision"], e["shown"]) for e in editor] == [
        ("japan", "proposed", True), ("taiwan", "proposed", False), ("optics", "proposed", True),
    ]  # fmt: skip
    assert api[None].get(f"/briefs/{world['draft'].pk}/entities").status_code == 404


def test_decisions_through_the_api(api, world, people):
    path = f"/briefs/{world['a'].pk}/entities"
    response = api["editor"].post(path, {"entity": "optics"})
    assert response.status_code == 200
    added = {e["entity"]["slug"]: e for e in response.json()}["optics"]
    assert (added["decision"], added["decided_by"]) == ("added", "ed")
    assert {e["entity"]["slug"]: e["decision"] for e in api["editor"].get(
        f"/briefs/{world['zh'].pk}/entities").json()}["optics"] == "added"  # fmt: skip
    response = api["editor"].post(path, {"entity": "japan"})  # proposed: confirmed
    assert {e["entity"]["slug"]: e["decision"] for e in response.json()}["japan"] == "confirmed"
    response = api["editor"].client.delete(f"/api{path}/taiwan")
    assert response.status_code == 200
    assert {e["entity"]["slug"]: e["decision"] for e in response.json()}["taiwan"] == "removed"
    assert ids(api[None].get("/briefs", entity="taiwan")) == set()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ENTITIES).count() == 3


def test_decisions_follow_the_write_rules(api, world):
    path = f"/briefs/{world['a'].pk}/entities"
    assert error_of(api[None].post(path, {"entity": "japan"}))["code"] == "unauthorized"
    for role in ("reader", "other_editor"):
        response = api[role].post(path, {"entity": "japan"})
        assert response.status_code == 403 and error_of(response)["code"] == "forbidden"
    assert api["chief"].post(path, {"entity": "japan"}).status_code == 200
    response = api["editor"].post(path, {"entity": "atlantis"})
    assert response.status_code == 422 and "entity" in error_of(response)["fields"]
    response = api["editor"].post(path, {"entity": 7})
    assert response.status_code == 422
    response = api["editor"].client.delete(f"/api{path}/atlantis")
    assert response.status_code == 404
    response = api["editor"].client.delete(f"/api/briefs/{world['draft'].pk + 99}/entities/japan")
    assert response.status_code == 404


def test_decisions_count_as_writes(api, world, settings):
    settings.NEWSBRIEF_THROTTLE_API_WRITE = "2/min"
    path = f"/briefs/{world['a'].pk}/entities"
    editor = api["editor"]
    statuses = [editor.post(path, {"entity": "optics"}).status_code for _ in range(2)]
    refused = editor.client.delete(f"/api{path}/optics")
    assert statuses == [200, 200] and refused.status_code == 429
    assert error_of(refused)["code"] == "throttled"
    assert editor.get(path).status_code == 200  # reads have their own count
