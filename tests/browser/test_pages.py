"""The brief page and the board, as a reader's browser shows them, in both interface languages.

Headless Chromium (Playwright, sync API) reads the demo board from the live server: every part
of the seed brief is there, visible and in the seed's order; its links lead where they say; the
board lists newest first, switches language and filters; the pages fit a phone and work
without JavaScript.
"""

import datetime as dt
import itertools
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from newsbrief.briefs.models import Brief
from newsbrief.settings import PACKAGE_DIR

pytestmark = pytest.mark.browser

SEED_TITLE = "Taiwan-Japan Industrial Cooperation Office Comes Into Being"
CHINESE_PAGE = PACKAGE_DIR / "demo" / "pages" / "20120320_zh_industrial-office.txt"
BOARD = "National Science Council International Cooperation Sci-Tech Newsbrief"
FORUM_TITLE = (
    "Taiwan and Japan Should Increase Sci-tech Cooperation, Especially after 311 Earthquake: "
    "Taiwan-Japan Science and Technology Forum"
)
METAL_TITLE = "Taiwan-Japan Cooperation on Metal Technology, Upgrading Heavy Industries"

# What the interface says, per language.
UI = {
    "en": {
        "byline": "techman / March 20, 2012 09:20PM",
        "version": "Chinese Version",
        "related": "Related Historical Messages:",
        "further": "Further Information:",
        "trail": "Edited 2 time(s). Last edit at 03/20/2012 09:25PM by techman.",
        "latest": "Latest briefs",
        "categories": "Categories",
        "archive": "Archive",
        "all": "All languages",
        "language": "English",
        "march": "March 2012",
        "category": "International Cooperation",
        "board": BOARD,
    },
    "zh-hant": {
        "byline": "techman / 2012年3月20日 下午09:20",
        "version": "中文版",
        "related": "相關歷史訊息：",
        "further": "延伸資訊：",
        "trail": "已編輯 2 次。最後編輯於 2012/03/20 下午09:25，編輯者：techman。",
        "latest": "最新簡訊",
        "categories": "類別",
        "archive": "歷史彙整",
        "all": "所有語言",
        "language": "繁體中文",
        "march": "2012年3月",
        "category": "國際合作",
        "board": "國科會國際合作科技新知簡訊",
    },
}
LANGUAGES = list(UI)


def url_of(brief: Brief, language: str) -> str:
    """The brief's address under the ``language`` interface."""
    with translation.override(language):
        return brief.get_absolute_url()


def chinese_title() -> str:
    """The Chinese version's title, as its demo page writes it: the plain heading line
    ``[國際合作] 台日… ([英文版](…))``."""
    text = CHINESE_PAGE.read_text(encoding="utf-8")
    match = re.search(r"^(?:\[[^\]\\]+\])+ (?P<title>.+?) \(\[", text, re.MULTILINE)
    assert match, f"no title line in {CHINESE_PAGE.name}"
    return match["title"]


@pytest.fixture
def seed(site) -> Brief:
    return Brief.objects.get(title=SEED_TITLE)


def path_is(page, path: str):
    """``expect(page).to_have_url`` for a path on the live server (query string allowed)."""
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$"))


def brief_parts(page, ui: dict) -> dict:
    """The parts of a brief page, top to bottom, as the seed page has them."""
    article = page.get_by_role("article")
    return {
        "byline": page.locator(".brief-header .byline"),
        "title": page.get_by_role("heading", level=1),
        "version": page.get_by_role("link", name=ui["version"], exact=True),
        "body": page.locator(".brief-body"),
        "related": page.get_by_role("region", name=ui["related"]),
        "further": page.get_by_role("region", name=ui["further"]),
        "board": article.locator("footer").get_by_role("link", name=ui["board"], exact=True),
        "trail": page.get_by_text(ui["trail"], exact=True),
    }


def assert_top_to_bottom(parts: dict) -> None:
    """Each part is visible and lies wholly above the next (1px of rounding allowed)."""
    boxes = {}
    for name, locator in parts.items():
        expect(locator).to_be_visible()
        boxes[name] = locator.bounding_box()
    for upper, lower in itertools.pairwise(parts):
        bottom = boxes[upper]["y"] + boxes[upper]["height"]
        assert bottom <= boxes[lower]["y"] + 1, (
            f"{upper} (y {boxes[upper]['y']:.0f}..{bottom:.0f}) is not above "
            f"{lower} (y {boxes[lower]['y']:.0f})"
        )


def listed_times(page) -> list[dt.datetime]:
    stamps = page.locator("ol.brief-list time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    return [dt.datetime.fromisoformat(s) for s in stamps]


def assert_newest_first(page) -> None:
    times = listed_times(page)
    assert len(times) >= 2
    assert times == sorted(times, reverse=True), times


# --- the seed brief ------------------------------------------------------------------------


def test_seed_brief_in_english_shows_every_part_in_order(page, seed, screenshot):
    page.goto(url_of(seed, "en"))
    ui = UI["en"]
    expect(page.locator("html")).to_have_attribute("lang", "en")
    parts = brief_parts(page, ui)

    expect(parts["byline"]).to_have_text(ui["byline"])
    title = parts["title"]
    expect(title).to_have_text(f"[International Cooperation] {SEED_TITLE}")
    tag = title.get_by_role("link", name="[International Cooperation]", exact=True)
    expect(tag).to_have_attribute("href", "/en/categories/international-cooperation/")
    expect(page.locator(".versions")).to_have_text(f"({ui['version']})")
    expect(parts["body"].locator("p").first).to_have_text(
        re.compile(r"^CENS\.com \(2012/03/19\) Taiwan and Japan industrial cooperation")
    )
    expect(parts["body"].locator("p")).to_have_count(4)

    related = parts["related"]
    expect(related.get_by_role("heading", name=ui["related"])).to_be_visible()
    links = related.get_by_role("link")
    expect(links).to_have_text(
        [
            f"[International Cooperation] {FORUM_TITLE} 2011/09/05",
            f"[International Cooperation][Metal Industry] {METAL_TITLE} 2011/10/25",
        ]
    )
    forum = Brief.objects.get(title=FORUM_TITLE)
    metal = Brief.objects.get(title=METAL_TITLE)
    expect(links.nth(0)).to_have_attribute("href", url_of(forum, "en"))
    expect(links.nth(1)).to_have_attribute("href", url_of(metal, "en"))

    further = parts["further"]
    expect(further.get_by_role("heading", name=ui["further"])).to_be_visible()
    expect(further.get_by_role("listitem")).to_have_text(["CENS.com 2012/03/19"])
    expect(parts["board"]).to_have_attribute("href", "/en/")
    expect(parts["trail"]).to_be_visible()

    assert_top_to_bottom(parts)
    screenshot(page, "brief-en")


def test_seed_brief_in_chinese_ui(page, seed, screenshot):
    page.goto(url_of(seed, "zh-hant"))
    path_is(page, f"/zh-hant/briefs/{seed.pk}/")
    ui = UI["zh-hant"]
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    parts = brief_parts(page, ui)

    expect(parts["byline"]).to_have_text(ui["byline"])
    expect(parts["byline"].locator("time")).to_have_text("2012年3月20日 下午09:20")
    # The brief itself stays English; only the interface around it is Chinese.
    expect(parts["title"]).to_have_text(f"[International Cooperation] {SEED_TITLE}")
    expect(parts["title"].get_by_role("link")).to_have_attribute(
        "href", "/zh-hant/categories/international-cooperation/"
    )
    expect(parts["body"].locator("p").first).to_have_text(
        re.compile(r"^CENS\.com \(2012/03/19\) Taiwan and Japan industrial cooperation")
    )
    related = parts["related"].get_by_role("link")
    expect(related).to_have_count(2)
    expect(related.nth(0)).to_contain_text("2011/09/05")
    expect(related.nth(1)).to_contain_text("2011/10/25")
    expect(parts["further"].get_by_role("listitem")).to_have_text(["CENS.com 2012/03/19"])
    expect(parts["board"]).to_have_attribute("href", "/zh-hant/")

    assert_top_to_bottom(parts)
    screenshot(page, "brief-zh-hant")


def test_version_link_leads_to_the_chinese_brief_and_back(page, seed):
    zh_title = chinese_title()
    chinese = Brief.objects.get(translation_key=seed.translation_key, language="zh-hant")
    assert chinese.title == zh_title

    page.goto(url_of(seed, "en"))
    version = page.get_by_role("link", name="Chinese Version", exact=True)
    expect(version).to_have_attribute("hreflang", "zh-hant")
    version.click()
    # The Chinese version opens in the Chinese interface, and its link leads back to English.
    path_is(page, url_of(chinese, "zh-hant"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"[國際合作] {zh_title}")
    expect(page.locator("article")).to_have_attribute("lang", "zh-hant")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")

    page.get_by_role("link", name="英文版", exact=True).click()
    path_is(page, url_of(seed, "en"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(SEED_TITLE)


def test_related_message_leads_to_that_brief(page, seed):
    forum = Brief.objects.get(title=FORUM_TITLE)
    page.goto(url_of(seed, "en"))
    related = page.get_by_role("region", name=UI["en"]["related"])
    # A plain string: Playwright cannot serialize a regex with "/" in an accessible name.
    related.get_by_role("link", name="2011/09/05").click()
    path_is(page, url_of(forum, "en"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(FORUM_TITLE)
    expect(page.locator(".brief-header time")).to_have_attribute(
        "datetime", re.compile(r"^2011-09-05T")
    )


# --- the board -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_board_index_lists_newest_first_and_switches_language(page, language, screenshot):
    ui = UI[language]
    other = next(code for code in LANGUAGES if code != language)
    page.goto(f"/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(ui["latest"])
    items = page.locator("ol.brief-list article")
    expect(items.first).to_be_visible()
    # By default the board shows the briefs written in the reader's language.
    assert set(items.evaluate_all("els => els.map(e => e.lang)")) == {language}
    assert_newest_first(page)
    screenshot(page, f"index-{language}")

    switch = page.get_by_role("navigation", name="Language" if language == "en" else "語言")
    switch.get_by_role("link", name=UI[other]["language"], exact=True).click()
    path_is(page, f"/{other}/")
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.get_by_role("heading", level=1)).to_have_text(UI[other]["latest"])
    page.get_by_role("link", name=ui["language"], exact=True).click()
    path_is(page, f"/{language}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui["latest"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_all_languages_filter_shows_both(page, language):
    page.goto(f"/{language}/")
    page.get_by_role("link", name=UI[language]["all"], exact=True).click()
    expect(page).to_have_url(re.compile(r"\?lang=all$"))
    expect(page.get_by_text(UI[language]["all"], exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    for lang in LANGUAGES:
        expect(page.locator(f"ol.brief-list article[lang='{lang}']").first).to_be_visible()
    expect(page.get_by_role("link", name=SEED_TITLE, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=chinese_title(), exact=True)).to_be_visible()
    assert_newest_first(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_nav_category_and_archive_list_the_seed(page, seed, language, screenshot):
    ui = UI[language]
    nav = page.get_by_role("navigation", name="Main" if language == "en" else "主選單")
    seed_link = page.get_by_role("link", name=SEED_TITLE, exact=True)

    page.goto(f"/{language}/")
    nav.get_by_role("link", name=ui["categories"], exact=True).click()
    path_is(page, f"/{language}/categories/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui["categories"])
    page.get_by_role("main").get_by_role("link", name=ui["category"], exact=True).click()
    path_is(page, f"/{language}/categories/international-cooperation/")
    page.get_by_role("link", name=ui["all"], exact=True).click()
    expect(seed_link).to_be_visible()
    expect(seed_link).to_have_attribute("href", url_of(seed, language))

    nav.get_by_role("link", name=ui["archive"], exact=True).click()
    path_is(page, f"/{language}/archive/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui["archive"])
    page.get_by_role("link", name=ui["march"], exact=True).click()
    path_is(page, f"/{language}/archive/2012/3/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ui["march"])
    page.get_by_role("link", name=ui["all"], exact=True).click()
    expect(seed_link).to_be_visible()
    expect(page.locator("ol.brief-list article")).to_have_count(2)  # and its Chinese version
    screenshot(page, f"archive-2012-03-{language}")

    nav.get_by_role("link", name=ui["latest"], exact=True).click()
    path_is(page, f"/{language}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui["latest"])


# --- any reader --------------------------------------------------------------------------------


def test_brief_fits_a_phone(new_context, seed, screenshot):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    for language in LANGUAGES:
        page.goto(url_of(seed, language))
        # The stylesheet is there (else the width check below proves nothing).
        expect(page.locator(".site-header")).to_have_css("background-color", "rgb(11, 83, 148)")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{language}: the page is {width}px wide on a 390px phone"
        screenshot(page, f"brief-{language}-phone")


def test_brief_works_without_javascript(new_context, seed):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(url_of(seed, "en"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"[International Cooperation] {SEED_TITLE}"
    )
    related = page.get_by_role("region", name=UI["en"]["related"]).get_by_role("link")
    expect(related).to_have_count(2)
    expect(related.nth(0)).to_contain_text(f"{FORUM_TITLE} 2011/09/05")
    expect(related.nth(1)).to_contain_text(f"{METAL_TITLE} 2011/10/25")
    related.nth(1).click()
    path_is(page, url_of(Brief.objects.get(title=METAL_TITLE), "en"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(METAL_TITLE)
