"""A feed opened in Debian's Chromium: the board's page about it (Chromium asks for HTML
first), and, while Chromium still applies XSLT, the XML made into that page by feed.xsl."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOTE = {"en": "This is a feed.", "zh-hant": "這是訂閱源。"}


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("width", [1280, 320])
def test_a_feed_opened_in_the_browser_is_a_readable_page(
    new_context, language, width, axe, screenshot
):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"/{language}/")
    page.locator(".follow").get_by_role("link", name="RSS").click()
    page.wait_for_url(f"**/{language}/feeds/{language}/rss/")
    expect(page.locator(".feed-about")).to_contain_text(NOTE[language])
    address = page.get_by_role("textbox")
    expect(address).to_have_value(page.url)
    expect(page.locator(".brief-item").first).to_be_visible()
    # What the feed adds fits (the header's search form is the layout's own, and its part).
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('main *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= width
    axe(page)
    screenshot(page, f"feed-{language}-{width}")


def test_the_xml_with_its_stylesheet_is_the_same_page(page, site, screenshot):
    """Chromium 156 applies XSLT to ``application/xml`` only (not to the RSS and Atom types),
    with a banner saying it will soon stop (whose own inline style the CSP refuses); the
    server's CSP stays on the response and lets the page's stylesheets in."""
    if not page.evaluate("typeof XSLTProcessor !== 'undefined'"):
        pytest.skip("this Chromium no longer applies XSLT")
    url = f"{site}/zh-hant/feeds/zh-hant/atom/"

    def as_xml(route):
        response = route.fetch(headers={"accept": "application/atom+xml"})
        assert "default-src 'self'" in response.headers["content-security-policy"]
        route.fulfill(
            response=response, headers={**response.headers, "content-type": "application/xml"}
        )

    page.route(url, as_xml)
    page.goto(url)
    expect(page.locator("h1")).to_contain_text("中文簡訊")
    expect(page.locator(".feed-about")).to_contain_text(NOTE["zh-hant"])
    expect(page.get_by_role("textbox")).to_have_value(url)
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(11, 83, 148)")
    assert page.locator(".brief-item").count() > 0
    screenshot(page, "feed-xslt-zh-hant")
