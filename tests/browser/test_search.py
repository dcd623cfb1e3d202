"""Searching as a reader does: the box in the header, the results page, without JavaScript
and on a phone."""

import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("language", "query", "title"),
    [
        ("en", "cooperating", "Taiwan-Japan Industrial Cooperation Office Comes Into Being"),
        ("zh-hant", "台湾 日本 产业合作", "台日產業合作推動辦公室成立"),
    ],
)
def test_the_header_box_finds_briefs_without_javascript(
    new_context, language, query, title, screenshot
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"/{language}/")
    box = page.get_by_role("search").first.get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{language}/search/\?q=" + re.escape(quote_plus(query))))
    hits = page.locator(".search-hit")
    expect(hits.first).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    expect(hits.first.locator("mark").first).to_be_visible()
    screenshot(page, f"search-{language}")


def test_results_fit_a_phone(new_context):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto("/zh-hant/search/?q=%E5%8F%B0%E7%81%A3")
    expect(page.locator(".search-hit").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the results page is {width}px wide on a 390px phone"


RELAXED = "311 japan 地震"  # no demo brief has all three words; three have two of them


@pytest.mark.parametrize(
    ("language", "notice", "facets", "english"),
    [
        ("en", "No brief has all of your words; these have most of them.",
         "Narrow by language, category or year", "English"),
        ("zh-hant", "沒有任何簡訊包含您輸入的所有字詞；以下簡訊包含其中大部分。",
         "依語言、類別或年份縮小範圍", "英文"),
    ],
)  # fmt: skip
def test_relaxed_results_say_so_and_a_facet_narrows_them(
    new_context, axe, tmp_path, screenshot, language, notice, facets, english
):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"/{language}/search/?q={quote_plus(RELAXED)}")
    expect(page.get_by_role("status").filter(has_text=notice)).to_be_visible()
    expect(page.locator(".search-hit")).to_have_count(2)  # one hit is another's version
    expect(page.locator(".also-in a[hreflang]").first).to_be_visible()
    axe(page)
    page.screenshot(path=tmp_path / f"relaxed-{language}.png", full_page=True)
    screenshot(page, f"search-relaxed-{language}")

    page.get_by_role("navigation", name=facets).get_by_role("link", name=english).click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    active = page.locator('.facet-lang [aria-current="true"]')
    expect(active).to_contain_text(english)
    expect(page.locator(".search-hit article")).not_to_have_count(0)
    expect(page.locator('.search-hit article:not([lang="en"])')).to_have_count(0)
    expect(page.locator("#id_lang")).to_have_value("en")  # the form shows the filter too
    axe(page)
    page.screenshot(path=tmp_path / f"relaxed-{language}-english.png", full_page=True)

    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(f"/{language}/search/?q={quote_plus(RELAXED)}")
    expect(phone.locator(".facets")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the results page is {width}px wide on a 390px phone"
    phone.screenshot(path=tmp_path / f"relaxed-{language}-phone.png", full_page=True)
