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
