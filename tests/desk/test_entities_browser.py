"""The entities panel and the registry in headless Chromium, in both languages, desktop and
320 px wide, with axe-core finding nothing; confirming and adding work with JavaScript off."""

import pytest
from playwright.sync_api import expect

from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief
from newsbrief.entities.models import Alias, BriefEntity, Entity
from tests.browser.conftest import axe  # noqa: F401 (a fixture)
from tests.factories import empty_registry

from .conftest import make_user, write_brief
from .test_browser import signed_in  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def brief():
    empty_registry()
    chief = make_user("chief", roles.CHIEF_EDITORS)
    brief = write_brief(chief, Brief.Status.PUBLISHED, title="Taiwan and Japan on optics")
    japan = Entity.objects.create(
        kind="country", slug="japan", name_en="Japan", name_zh_hant="日本"
    )
    taiwan = Entity.objects.create(kind="country", slug="taiwan", name_en="Taiwan",
                                   name_zh_hant="臺灣")  # fmt: skip
    moea = Entity.objects.create(
        kind="organization", slug="moea", acronym="MOEA",
        name_en="Ministry of Economic Affairs", name_zh_hant="經濟部",
    )  # fmt: skip
    Alias.objects.create(entity=moea, text="Economics Ministry", language="en")
    Entity.objects.create(kind="field", slug="optics", name_en="Optics", name_zh_hant="光學")
    BriefEntity.objects.create(brief=brief, entity=taiwan, confidence=0.97, evidence="Taiwan")
    BriefEntity.objects.create(brief=brief, entity=japan, confidence=0.45, evidence="Japanese")
    BriefEntity.objects.create(brief=brief, entity=moea, decision="removed")
    return brief, chief


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("width", [1280, 320])
def test_the_panel_and_registry_pass_axe(signed_in, brief, axe, screenshot, language, width):  # noqa: F811
    brief, chief = brief
    page = signed_in(chief, viewport={"width": width, "height": 900})
    page.goto(f"/{language}/desk/{brief.pk}/edit/")
    panel = page.locator("#entities")
    expect(panel).to_be_visible()
    axe(page)
    panel.scroll_into_view_if_needed()
    screenshot(page, f"desk-entities-{language}-{width}")
    page.goto(f"/{language}/desk/entities/")
    axe(page)
    screenshot(page, f"desk-entity-registry-{language}-{width}")
    page.goto(f"/{language}/desk/entities/moea/")
    axe(page)
    page.goto(f"/{language}/desk/entities/moea/merge/")
    axe(page)


def test_decisions_work_without_javascript(signed_in, brief, screenshot):  # noqa: F811
    brief, chief = brief
    page = signed_in(chief, java_script_enabled=False)
    page.goto(f"/en/desk/{brief.pk}/edit/")
    page.get_by_role("button", name="Confirm Japan").click()
    expect(page.get_by_role("status").first).to_contain_text("Entity confirmed: Japan.")
    page.get_by_label("Add an entity").fill("光學")
    page.locator(".entity-add").get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Entity added: Optics.")
    page.get_by_role("button", name="Add Ministry of Economic Affairs back").click()
    decisions = dict(
        BriefEntity.objects.filter(brief=brief).values_list("entity__slug", "decision")
    )
    assert decisions == {"japan": "confirmed", "taiwan": "proposed", "optics": "added",
                         "moea": "added"}  # fmt: skip
    page.locator("#entities").scroll_into_view_if_needed()
    screenshot(page, "desk-entities-decided")
    # The merge asks, then merges.
    page.goto("/en/desk/entities/taiwan/merge/")
    page.get_by_label("Merge into").fill("Japan")
    page.get_by_role("button", name="Next: confirm").click()
    expect(page.get_by_role("status").first).to_contain_text("Merge “Taiwan” into “Japan”")
    screenshot(page, "desk-entity-merge-confirm")
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Taiwan was merged into Japan.")
    assert Entity.objects.get(slug="taiwan").merged_into.slug == "japan"
