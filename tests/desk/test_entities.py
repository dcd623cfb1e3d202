"""The desk's entities: the edit page's panel and its plain POST forms (confirm, remove,
add, create), and the registry (list, search, edit, merge with a confirmation), by role."""

import re

import pytest
from django.urls import reverse

from newsbrief.briefs.models import AuditEntry, Brief
from newsbrief.entities.models import Alias, BriefEntity, Entity

from .conftest import client_for, write_brief

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry_state")]
D = BriefEntity.Decision


@pytest.fixture
def world(users):
    ed = users["editor"]
    en = write_brief(ed, Brief.Status.PUBLISHED)
    zh = write_brief(
        ed, Brief.Status.PUBLISHED, language="zh-hant", title="臺灣衛星",
        translation_key=en.translation_key,
    )  # fmt: skip
    japan = Entity.objects.create(
        kind="country", slug="japan", name_en="Japan", name_zh_hant="日本"
    )
    moea = Entity.objects.create(
        kind="organization", slug="moea", name_en="Ministry of Economic Affairs",
        name_zh_hant="經濟部", acronym="MOEA",
    )  # fmt: skip
    optics = Entity.objects.create(kind="field", slug="optics", name_en="Optics")
    BriefEntity.objects.create(brief=en, entity=japan, confidence=0.93, evidence="Japan's")
    BriefEntity.objects.create(brief=en, entity=optics, confidence=0.3, evidence="lenses")
    return {"en": en, "zh": zh, "japan": japan, "moea": moea, "optics": optics}


def decisions(brief):
    return dict(BriefEntity.objects.filter(brief=brief).values_list("entity__slug", "decision"))


def forms_of(page: str) -> list[str]:
    """Every form of the page: each must work without JavaScript (method post, a CSRF token,
    an action or the page itself)."""
    return re.findall(r"<form\b[^>]*>.*?</form>", page, re.S)


def test_the_panel_shows_entities_by_kind_with_confidence_and_evidence(users, world):
    page = client_for(users["editor"]).get(reverse("desk:edit", args=[world["en"].pk]))
    html = page.content.decode()
    panel = html[html.index('id="entities"') :]
    assert "Country or region" in panel and "Organization" in panel and "Field" in panel
    assert "proposed, 93% sure" in panel and "Named as “Japan&#x27;s”" in panel
    assert "proposed, 30% sure" in panel and "not shown to readers" in panel
    assert '<option value="經濟部">' not in panel  # the English page suggests English names
    assert '<option value="Ministry of Economic Affairs">' in panel
    assert "Not in the registry?" not in panel  # editors do not create entities
    for form in forms_of(panel):
        if "entities/" in form:
            assert 'method="post"' in form and "csrfmiddlewaretoken" in form


def test_confirm_remove_and_add_from_the_desk(users, world):
    client = client_for(users["editor"])
    url = reverse("desk:entities", args=[world["en"].pk])
    edit = reverse("desk:edit", args=[world["en"].pk]) + "#entities"
    response = client.post(url, {"action": "confirm", "entity": world["japan"].pk})
    assert response.status_code == 302 and response["Location"] == edit
    client.post(url, {"action": "remove", "entity": world["optics"].pk})
    client.post(url, {"action": "add", "name": " 經濟部 "})
    expected = {"japan": D.CONFIRMED, "optics": D.REMOVED, "moea": D.ADDED}
    assert decisions(world["en"]) == decisions(world["zh"]) == expected
    page = client.get(edit).content.decode()
    assert "Entity added: Ministry of Economic Affairs." in page
    assert "Add Optics back" in page
    client.post(url, {"action": "add", "entity": world["optics"].pk})
    assert decisions(world["zh"])["optics"] == D.ADDED
    response = client.post(url, {"action": "add", "name": "Atlantis"}, follow=True)
    assert "No entity is named “Atlantis”" in response.content.decode()
    response = client.post(url, {"action": "explode", "entity": world["japan"].pk}, follow=True)
    assert "That is not something one can do with an entity." in response.content.decode()
    assert client.post(url, {"action": "confirm", "entity": "x"}).status_code == 404


@pytest.mark.parametrize(
    "role,status", [("anonymous", 302), ("reader", 403), ("other_editor", 403), ("chief", 302)]
)
def test_who_may_decide(users, world, role, status):
    url = reverse("desk:entities", args=[world["en"].pk])
    response = client_for(users[role]).post(url, {"action": "remove", "entity": world["japan"].pk})
    assert response.status_code == status
    if role == "anonymous":
        assert "/accounts/" in response["Location"] or "login" in response["Location"]
    removed = decisions(world["en"])["japan"] == D.REMOVED
    assert removed == (role == "chief")


def test_creating_an_entity_from_the_panel_is_for_chief_editors(users, world):
    url = reverse("desk:entities", args=[world["en"].pk])
    data = {"action": "new", "kind": "organization", "name_en": "Industrial Development Bureau",
            "name_zh_hant": "工業局", "acronym": "IDB"}  # fmt: skip
    assert client_for(users["editor"]).post(url, data).status_code == 403
    assert not Entity.objects.filter(acronym="IDB").exists()
    chief = client_for(users["chief"])
    assert (
        "Not in the registry?"
        in chief.get(reverse("desk:edit", args=[world["en"].pk])).content.decode()
    )
    chief.post(url, data)
    assert decisions(world["zh"])["industrial-development-bureau"] == D.ADDED
    response = chief.post(url, {**data, "name_en": ""}, follow=True)
    assert "Give the English name." in response.content.decode()


# -- the registry ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "reader", "editor", "chief"])
def test_the_registry_is_for_chief_editors(users, world, role):
    client = client_for(users[role])
    urls = [
        reverse("desk:entities_registry"),
        reverse("desk:entity_new"),
        reverse("desk:entity", args=["japan"]),
        reverse("desk:entity_merge", args=["japan"]),
    ]
    expected = {"anonymous": 302, "reader": 403, "editor": 403, "chief": 200}[role]
    assert [client.get(u).status_code for u in urls] == [expected] * 4
    nav = client.get(reverse("desk:dashboard")).content.decode()
    assert (reverse("desk:entities_registry") in nav) == (role == "chief")


def test_the_registry_lists_and_searches(users, world):
    client = client_for(users["chief"])
    url = reverse("desk:entities_registry")
    page = client.get(url).content.decode()
    assert "3 entities" in page and "Ministry of Economic Affairs" in page
    page = client.get(url, {"q": "經濟"}).content.decode()
    assert "1 entity" in page and "Ministry of Economic Affairs" in page and "Optics" not in page
    page = client.get(url, {"kind": "field"}).content.decode()
    assert "Optics" in page and "Japan" not in page
    page = client.get(url, {"kind": "planet"}).content.decode()  # ignored, not refused
    assert "3 entities" in page


def test_edit_an_entity(users, world):
    client = client_for(users["chief"])
    url = reverse("desk:entity", args=["moea"])
    Alias.objects.create(entity=world["moea"], text="MOEA Taiwan", language="en")
    form = client.get(url).context["form"]
    assert form.initial["aliases"] == "MOEA Taiwan"
    data = {"kind": "organization", "name_en": "Ministry of Economic Affairs",
            "name_zh_hant": "經濟部 ", "acronym": "MOEA", "code": "", "slug": "moea",
            "parent": "日本", "aliases": "MOEA Taiwan\n經濟部長\n\nEconomics Ministry"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    moea = Entity.objects.get(slug="moea")
    assert moea.parent == world["japan"]
    assert set(moea.aliases.values_list("text", "language")) == {
        ("MOEA Taiwan", "en"), ("經濟部長", "zh-hant"), ("Economics Ministry", ""),
    }  # fmt: skip
    response = client.post(url, {**data, "parent": "Atlantis", "name_en": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"parent", "name_en"}
    response = client.post(url, {**data, "slug": "japan"})
    assert response.context["form"].errors["slug"] == ["Another entity has this slug."]
    response = client.post(reverse("desk:entity_new"), {**data, "slug": "", "name_en": "IDB"})
    assert response["Location"] == reverse("desk:entity", args=["idb"])


def test_merge_asks_for_a_confirmation(users, world):
    client = client_for(users["chief"])
    nippon = Entity.objects.create(kind="country", slug="nippon", name_en="Nippon")
    BriefEntity.objects.create(brief=world["zh"], entity=nippon, confidence=0.8)
    url = reverse("desk:entity_merge", args=["nippon"])
    page = client.post(url, {"target": "Optics"}).content.decode()
    assert "Only entities of one kind can be merged." in page
    page = client.post(url, {"target": "日本"}).content.decode()
    assert "1 brief's entity moves" in page and 'name="confirm" value="japan"' in page
    assert Entity.objects.get(slug="nippon").merged_into is None
    response = client.post(url, {"target": "japan", "confirm": "japan"})
    assert response["Location"] == reverse("desk:entity", args=["japan"])
    assert Entity.objects.get(slug="nippon").merged_into == world["japan"]
    assert decisions(world["zh"]) == {"japan": D.PROPOSED}
    assert "Nippon" in world["japan"].aliases.values_list("text", flat=True)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REGISTRY).count() == 1
    # A merged entity cannot be merged again; its page says where it went.
    assert client.get(url).status_code == 404
    page = client.get(reverse("desk:entity", args=["nippon"])).content.decode()
    assert "Merged into" in page


def test_names_are_shown_as_text(users, world):
    Entity.objects.filter(slug="japan").update(
        name_en="<script>alert(1)</script>", name_zh_hant='"><img src=x onerror=alert(1)>'
    )
    BriefEntity.objects.filter(entity__slug="japan").update(evidence="<b onclick=alert(1)>")
    html = client_for(users["chief"]).get(reverse("desk:edit", args=[world["en"].pk])).content
    html = html.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = client_for(users["chief"]).get(reverse("desk:entities_registry")).content.decode()
    assert "<script>alert(1)" not in page
