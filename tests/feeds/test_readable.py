"""A feed opened in a browser is a page that says what it is; feed readers get the XML,
which names ``feed.xsl`` (the same page, for the browsers that still apply XSLT)."""

import re

import feedparser
import pytest
from lxml import etree

pytestmark = pytest.mark.django_db
FORMATS = ["rss", "atom"]
CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
READERS = [
    feedparser.http.ACCEPT_HEADER,
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8",
    "*/*",
    None,
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("accept", [CHROMIUM, FIREFOX])
def test_a_browser_gets_a_page_that_says_what_the_feed_is(client, demo, fmt, accept):
    response = client.get(f"/zh-hant/feeds/zh-hant/{fmt}/", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["Vary"]
    html = response.content.decode()
    assert "這是訂閱源。" in html
    assert f'value="http://testserver/zh-hant/feeds/zh-hant/{fmt}/"' in html
    other = "atom" if fmt == "rss" else "rss"
    assert f'href="/zh-hant/feeds/zh-hant/{other}/"' in html
    entries = feedparser.parse(client.get(f"/zh-hant/feeds/zh-hant/{fmt}/").content).entries
    titles = re.findall(r'class="brief-item-title">.*?<a href="[^"]+">([^<]+)</a>', html)
    assert titles == [e.title for e in entries] and titles
    assert "style=" not in html and "<script" not in html  # within the CSP


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("accept", READERS)
def test_feed_readers_get_the_feed(client, demo, fmt, accept):
    headers = {"accept": accept} if accept else {}
    response = client.get(f"/en/feeds/en/{fmt}/", headers=headers)
    assert response.headers["Content-Type"].startswith(f"application/{fmt}+xml")
    assert "Accept" in response.headers["Vary"]
    assert not feedparser.parse(response.content).bozo


def test_the_page_and_the_feed_are_cached_apart(client, demo):
    url = "/en/feeds/atom/"
    page = client.get(url, headers={"accept": FIREFOX})
    feed = client.get(url)
    assert page.headers["ETag"] != feed.headers["ETag"]
    again = client.get(url, headers={"accept": FIREFOX, "if-none-match": page.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(url, headers={"if-none-match": page.headers["ETag"]}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("ui", ["en", "zh-hant"])
def test_the_xml_names_its_stylesheet_which_makes_the_page(client, demo, fmt, ui):
    feed = client.get(f"/{ui}/feeds/{ui}/{fmt}/").content
    instruction = etree.fromstring(feed).getprevious()
    assert instruction.target == "xml-stylesheet"
    assert (instruction.get("href"), instruction.get("type")) == (
        f"/{ui}/feeds/feed.xsl",
        "text/xsl",
    )
    response = client.get(f"/{ui}/feeds/feed.xsl")
    assert response.headers["Content-Type"] == "text/xsl; charset=utf-8"
    assert "max-age=86400" in response.headers["Cache-Control"]
    transform = etree.XSLT(etree.fromstring(response.content))
    page = etree.tostring(transform(etree.fromstring(feed)), encoding=str, method="html")
    parsed = feedparser.parse(feed)
    assert f'<html lang="{ui}">' in page
    assert f"<h1>{parsed.feed.title}</h1>" in page
    assert f'value="http://testserver/{ui}/feeds/{ui}/{fmt}/"' in page
    assert ("這是訂閱源。" if ui == "zh-hant" else "This is a feed.") in page
    links = re.findall(
        r'<article lang="([^"]+)">\s*<h3 class="brief-item-title"><a href="([^"]+)"', page
    )
    assert links == [(ui, e.link) for e in parsed.entries] and links
