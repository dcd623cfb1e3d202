"""Reading fetched bytes: feeds (good, broken, hostile), page charsets, article text."""

import datetime as dt

import pytest

from newsbrief.briefs.rendering import render_body
from newsbrief.ingest import extract
from newsbrief.ingest.extract import ExtractError

from . import samples


def test_rss_entries_with_links_resolved_and_dates():
    body = samples.rss(
        "Tech Feed",
        [{"title": "Chips &amp; more", "link": "/a/1", "guid": "g-1", "summary": "<b>Bold</b> it"}],
    )
    feed = extract.parse_feed(body, "http://example.org/feed.xml")
    assert feed.title == "Tech Feed"
    [entry] = feed.entries
    assert entry == extract.Entry(
        id="http://example.org/g-1",  # feedparser reads an RSS guid as a (relative) address
        link="http://example.org/a/1",
        title="Chips & more",
        summary="Bold it",
        date=dt.date(2024, 3, 5),
    )


def test_atom_entries():
    body = samples.atom("Atom Feed", [{"title": "One", "link": "http://x.org/1", "id": "urn:1"}])
    [entry] = extract.parse_feed(body, "http://x.org/atom").entries
    assert (entry.id, entry.link, entry.date) == ("urn:1", "http://x.org/1", dt.date(2024, 4, 1))


def test_a_feed_with_a_broken_tail_gives_the_entries_before_it(caplog):
    body = samples.rss("Feed", [{"title": "Fine", "link": "http://x.org/1"}])
    body = body.replace(b"</channel></rss>", b"<item><title>Broken</ti")
    feed = extract.parse_feed(body, "http://x.org/feed")
    assert feed.entries[0].title == "Fine"
    assert "malformed" in caplog.text


@pytest.mark.parametrize(
    "body", [b"", b"\x00\xff\xfe garbage", b"<html><body>Not a feed</body></html>", b"<<<>>>"]
)
def test_what_is_not_a_feed_is_an_error(body):
    with pytest.raises(ExtractError, match="not a readable RSS or Atom feed"):
        extract.parse_feed(body, "http://x.org/feed")


def test_a_feed_is_never_read_as_a_file_name(tmp_path):
    """feedparser reads a str or bytes that names a file; ingestion hands it a stream."""
    secret = tmp_path / "secret.xml"
    secret.write_bytes(samples.rss("Secret", [{"title": "Leak", "link": "http://x.org/"}]))
    with pytest.raises(ExtractError):
        extract.parse_feed(str(secret).encode(), "http://x.org/feed")


def test_scripts_in_feed_titles_and_summaries_are_dropped():
    body = samples.rss(
        "Feed<script>alert(1)</script>",
        [{
            "title": "Title<script>alert(2)</script>",
            "link": "http://x.org/1",
            "summary": '<p onclick="x()">Safe</p><script>alert(3)</script><img src=x onerror=y>',
        }],
    )  # fmt: skip
    feed = extract.parse_feed(body, "http://x.org/feed")
    [entry] = feed.entries
    assert "alert" not in feed.title + entry.title + entry.summary
    assert entry.summary == "Safe"


BIG5_TEXT = "臺灣與日本的產業合作推動辦公室正式成立，雙方將在半導體與綠能領域深化合作。"


def test_a_big5_page_labelled_big5():
    assert extract.decode_page(BIG5_TEXT.encode("big5"), "big5") == BIG5_TEXT


def test_a_big5_page_labelled_utf8_is_read_by_its_meta_charset():
    page = f'<html><head><meta charset="big5"></head><body>{BIG5_TEXT}</body></html>'
    assert BIG5_TEXT in extract.decode_page(page.encode("big5"), "utf-8")


def test_a_utf8_page_labelled_latin1_stays_utf8():
    assert extract.decode_page(BIG5_TEXT.encode("utf-8"), "iso-8859-1") == BIG5_TEXT


def test_an_unlabelled_page_is_guessed():
    text = BIG5_TEXT * 5
    assert extract.decode_page(text.encode("big5"), None) == text


def test_an_unknown_charset_name_is_ignored():
    assert extract.decode_page(b"plain", "x-no-such-charset") == "plain"


def test_article_text_and_metadata():
    page = samples.article("Wind power record", *samples.text("offshore wind"))
    article = extract.extract_article(page.decode(), "http://x.org/wind")
    assert article.title == "Wind power record"
    assert article.site_name == "Science Daily Taiwan"
    assert article.date == dt.date(2024, 3, 5)
    assert article.text.startswith("Researchers in Taipei")
    assert "Copyright" not in article.text and "Home" not in article.text


def test_script_injection_in_a_page_never_reaches_the_body():
    page = samples.article(
        "Injected",
        *samples.text("batteries"),
        "Look &lt;script&gt;alert(1)&lt;/script&gt; and <img src=x onerror=alert(2)> here.",
        extra="<script>alert(3)</script><style>p{}</style>",
    )
    article = extract.extract_article(page.decode(), "http://x.org/i")
    body = extract.to_markdown(article.text)
    html = render_body(body)
    assert "alert(3)" not in body
    assert "<script" not in html and "onerror" not in html
    assert "Researchers in Taipei" in html


def test_a_page_without_an_article_is_empty():
    assert extract.extract_article("<html><body></body></html>", "http://x.org/") == (
        extract.Article()
    )


def test_markdown_shows_text_as_written():
    body = extract.to_markdown("# not a heading\n1. not a list\na <b>tag</b> *star*")
    html = render_body(body)
    assert "<h1" not in html and "<ol" not in html and "<b>" not in html and "<em>" not in html
    assert "# not a heading" in html and "&lt;b&gt;tag" in html


def test_normalized_urls():
    same = [
        "HTTP://Example.ORG:80/news/1/?b=2&a=1&utm_source=x#top",
        "http://example.org/news/1?a=1&b=2",
    ]
    assert len({extract.normalize_url(u) for u in same}) == 1
    assert extract.normalize_url("http://example.org:8080/") == "http://example.org:8080/"


def test_content_hash_ignores_case_and_spacing():
    assert extract.content_hash("A  story\nhere") == extract.content_hash("a story here")
