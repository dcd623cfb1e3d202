"""The facets as readers see them: on the board index, a category page and the browse page,
in both languages, on a desktop and a 320 px phone, without JavaScript, with axe-core finding
nothing."""

import pytest
from playwright.sync_api import expect

from newsbrief.briefs.models import Brief, BriefTag
from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity
from tests.factories import empty_registry

pytestmark = pytest.mark.browser

MADE = [
    ("japan", "country", "Japan", "日本"),
    ("taiwan", "country", "Taiwan", "臺灣"),
    ("moea", "organization", "Ministry of Economic Affairs", "經濟部"),
    ("medical-devices", "field", "Medical devices", "醫療器材"),
    ("optics", "field", "Optics", "光學"),
]
WORDS = {
    "en": ("Narrow by country, organization or field", "Japan", "Medical devices", "Remove"),
    "zh-hant": ("依國家、組織或領域篩選", "日本", "醫療器材", "移除"),
}


@pytest.fixture
def named(site):
    """Every demo brief names Taiwan; every other one Japan and medical devices; one in three
    the ministry and optics."""
    empty_registry()
    entities = {
        slug: Entity.objects.create(slug=slug, kind=kind, name_en=en, name_zh_hant=zh)
        for slug, kind, en, zh in MADE
    }
    briefs = list(Brief.objects.order_by("pk"))
    for i, brief in enumerate(briefs):
        chosen = ["taiwan"] + (["japan", "medical-devices"] if i % 2 == 0 else [])
        chosen += ["moea", "optics"] if i % 3 == 0 else []
        for slug in chosen:
            BriefEntity.objects.create(brief=brief, entity=entities[slug])
    counting.follow_many(b.pk for b in briefs)
    return site


def _category_path(language: str) -> str:
    tag = (
        BriefTag.objects.filter(
            brief__language=language, brief__status="published", category__slug__isnull=False
        )
        .select_related("category")
        .first()
    )
    return f"/{language}/categories/{tag.category.slug}/"


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("width", [1280, 320])
def test_facets_combine_without_javascript(new_context, named, axe, screenshot, language, width):
    title, japan, devices, remove = WORDS[language]
    context = new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    for name, path in (("index", f"/{language}/"), ("category", _category_path(language))):
        page.goto(path)
        nav = page.get_by_role("navigation", name=title)
        expect(nav).to_be_visible()
        expect(nav.get_by_role("heading", level=3).first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"facets-{name}-{language}-{width}")
        _axe_clean(page, axe)
    page.goto(f"/{language}/")
    nav = page.get_by_role("navigation", name=title)
    nav.get_by_role("link", name=japan, exact=True).click()
    expect(page).to_have_url(f"{named}/{language}/entities/browse/?e=japan")
    nav = page.get_by_role("navigation", name=title)
    nav.get_by_role("link", name=devices, exact=True).click()
    expect(page).to_have_url(f"{named}/{language}/entities/browse/?e=japan&e=medical-devices")
    expect(page.locator(".brief-item").first).to_be_visible()
    expect(page.locator("h1")).to_contain_text(japan)
    expect(page.locator("h1")).to_contain_text(devices)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"facets-browse-{language}-{width}")
    _axe_clean(page, axe)
    page.locator(".active-filters").get_by_role("link", name=remove).first.click()
    expect(page).to_have_url(f"{named}/{language}/entities/browse/?e=medical-devices")


def _axe_clean(page, axe) -> None:
    """axe-core needs JavaScript: the same address in a page that runs it."""
    checker = page.context.browser.new_context(viewport=page.viewport_size).new_page()
    checker.goto(page.url)
    axe(checker)
    checker.context.close()


def test_the_empty_browse_page_says_so(page, named, axe):
    page.goto("/en/entities/browse/?e=japan&e=optics&e=moea&month=1999-01")
    expect(page.get_by_role("status")).to_contain_text("No brief names all of these together.")
    axe(page)


def test_facets_stay_off_paper_and_follow_dark_mode(page, named):
    page.emulate_media(color_scheme="dark")
    page.goto("/en/")
    nav = page.locator(".entity-facets")
    expect(nav).to_be_visible()
    background = nav.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(28, 32, 41)"  # --surface in the dark palette
    page.emulate_media(media="print")
    expect(nav).to_be_hidden()
