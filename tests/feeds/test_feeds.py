"""The RSS 2.0 and Atom feeds, parsed by feedparser as a feed reader would."""

import calendar
import dataclasses
import datetime as dt
import re

import feedparser
import pytest
from django.utils import timezone
from django.utils.http import http_date

from newsbrief.briefs.models import Board, Brief, Category
from newsbrief.briefs.publishing import content_of, save_brief, set_status

pytestmark = pytest.mark.django_db
SEED_TITLE = "Taiwan-Japan Industrial Cooperation Office Comes Into Being"
FORMATS = ["rss", "atom"]
LANGUAGES = ["en", "zh-hant"]


def parse(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


def language_of(entry) -> str:
    """An RSS item's ``dc:language``, an Atom entry's ``xml:lang``."""
    return entry.get("language") or entry.title_detail.language


def guids(briefs) -> list[str]:
    return [b.uid.urn for b in briefs]


def newest_first(briefs):
    return briefs.order_by("-published_at", "-pk")


def scopes():
    """Every feed of the demo board: its address, its language (None: both) and the briefs
    it should hold."""
    published = Brief.objects.published()
    for ui in LANGUAGES:
        yield f"/{ui}/feeds/{{fmt}}/", None, published
    for language in LANGUAGES:
        briefs = published.filter(language=language)
        yield f"/{language}/feeds/{language}/{{fmt}}/", language, briefs
        for category in Category.objects.filter(briefs__in=briefs).distinct():
            yield (
                f"/{language}/feeds/categories/{category.slug}/{language}/{{fmt}}/",
                language,
                briefs.filter(brief_tags__category=category),
            )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_feed_parses_and_holds_its_briefs_newest_first(client, demo, fmt):
    count = 0
    for url, language, briefs in scopes():
        feed = parse(client, url.format(fmt=fmt), accept=feedparser.http.ACCEPT_HEADER)
        assert [e.id for e in feed.entries] == guids(newest_first(briefs)), url
        assert feed.version == ("rss20" if fmt == "rss" else "atom10")
        assert [language_of(e) for e in feed.entries] == [b.language for b in briefs], url
        if language:  # a one-language feed says which, and holds only that one
            assert feed.feed.language == language and {language_of(e) for e in feed.entries} == {
                language
            }, url
        count += 1
    assert count >= 10


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_bilingual_feed_labels_each_entry_with_its_language(client, demo, fmt):
    for ui in LANGUAGES:
        feed = parse(client, f"/{ui}/feeds/{fmt}/")
        assert feed.feed.language == ui  # its title's
        assert {language_of(e) for e in feed.entries} == set(LANGUAGES)
        for entry in feed.entries:  # each brief on the pages of its own language
            assert entry.link.startswith(f"http://testserver/{language_of(entry)}/briefs/")
    assert parse(client, "/en/feeds/rss/").feed.title.endswith("· Briefs in both languages")
    assert parse(client, "/zh-hant/feeds/rss/").feed.title.endswith("· 中英文簡訊")


def test_titles_name_the_board_language_and_category_in_the_feeds_language(client, demo):
    board = Board.current()
    board.name_zh_hant = "科技新聞簡訊"
    board.save()
    assert parse(client, "/zh-hant/feeds/zh-hant/atom/").feed.title == "科技新聞簡訊 · 中文簡訊"
    assert parse(client, "/en/feeds/en/atom/").feed.title == f"{board.name} · English briefs"
    feed = parse(client, "/zh-hant/feeds/categories/metal-industry/zh-hant/rss/")
    assert feed.feed.title == "科技新聞簡訊 · 類別：金屬工業 · 中文簡訊"
    assert feed.feed.subtitle == "科技新聞簡訊 · 類別：金屬工業 · 中文簡訊 的最新簡訊"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_feed_has_one_address_and_old_ones_redirect(client, demo, fmt):
    """A one-language feed is under its language's prefix; a category's feed before it had
    one per language is the interface language's now."""
    moves = {
        f"/en/feeds/zh-hant/{fmt}/": f"/zh-hant/feeds/zh-hant/{fmt}/",
        f"/zh-hant/feeds/en/{fmt}/": f"/en/feeds/en/{fmt}/",
        f"/en/feeds/categories/metal-industry/{fmt}/": (
            f"/en/feeds/categories/metal-industry/en/{fmt}/"
        ),
        f"/zh-hant/feeds/categories/metal-industry/{fmt}/": (
            f"/zh-hant/feeds/categories/metal-industry/zh-hant/{fmt}/"
        ),
        f"/en/feeds/categories/metal-industry/zh-hant/{fmt}/": (
            f"/zh-hant/feeds/categories/metal-industry/zh-hant/{fmt}/"
        ),
    }
    for old, new in moves.items():
        response = client.get(old)
        assert (response.status_code, response.url) == (301, new), old
        assert parse(client, new).entries


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_entry_says_what_the_brief_page_says(client, demo, fmt):
    brief = Brief.objects.get(title=SEED_TITLE)
    chinese = brief.other_versions().get()
    feed = parse(client, f"/en/feeds/en/{fmt}/")
    entry = next(e for e in feed.entries if e.id == brief.uid.urn)
    assert entry.title == SEED_TITLE
    assert entry.link == f"http://testserver/en/briefs/{brief.pk}/"
    assert entry.author == "techman"
    assert [t.term for t in entry.tags] == ["International Cooperation"]
    assert calendar.timegm(entry.published_parsed) == brief.published_at.timestamp()
    if fmt == "atom":  # RSS has no update time
        assert calendar.timegm(entry.updated_parsed) == int(brief.updated_at.timestamp())
    assert language_of(entry) == "en"
    assert "Taiwan and Japan industrial cooperation promotion office" in entry.summary
    assert not entry.get("guidislink")
    alternates = [link for link in entry.links if link.get("hreflang") == "zh-hant"]
    assert [(a.rel, a.href, a.title) for a in alternates] == [
        ("alternate", f"http://testserver/zh-hant/briefs/{chinese.pk}/", chinese.title)
    ]
    assert feed.feed.language == "en"
    assert feed.feed.title == f"{brief.board.name} · English briefs"
    assert entry.enclosures == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_chinese_entries_carry_their_language_and_chinese_tags(client, demo, fmt):
    feed = parse(client, f"/zh-hant/feeds/{fmt}/")
    chinese = next(e for e in feed.entries if e.title == "台日金屬技術合作 提升重工業")
    assert language_of(chinese) == "zh-hant"
    assert [t.term for t in chinese.tags] == ["國際合作", "金屬工業"]
    assert chinese.link.startswith("http://testserver/zh-hant/briefs/")
    category = parse(client, f"/zh-hant/feeds/categories/metal-industry/zh-hant/{fmt}/")
    assert category.feed.title.endswith("類別：金屬工業 · 中文簡訊")


def test_guid_stays_when_the_title_changes(client, demo):
    brief = Brief.objects.get(title=SEED_TITLE)
    before = parse(client, "/en/feeds/rss/")
    retitled = dataclasses.replace(content_of(brief), title="A new title for the same news")
    save_brief(retitled, editor="techman")
    after = parse(client, "/en/feeds/rss/")
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    entry = next(e for e in after.entries if e.id == brief.uid.urn)
    assert entry.title == "A new title for the same news"


def test_only_published_briefs_whose_time_has_come(client, demo):
    draft, scheduled = Brief.objects.filter(language="en")[:2]
    set_status(draft, Brief.Status.DRAFT)
    set_status(scheduled, Brief.Status.PUBLISHED, timezone.now() + dt.timedelta(hours=1))
    ids = [e.id for e in parse(client, "/en/feeds/atom/").entries]
    assert draft.uid.urn not in ids and scheduled.uid.urn not in ids
    Brief.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert scheduled.uid.urn in [e.id for e in parse(client, "/en/feeds/atom/").entries]


def test_unknown_feeds_are_not_found(client, demo):
    for url in [
        "/en/feeds/categories/no-such-thing/rss/",
        "/en/feeds/categories/no-such-thing/en/rss/",
        "/en/feeds/categories/metal-industry/fr/rss/",
        "/en/feeds/json/",
        "/en/feeds/fr/rss/",
        "/en/feeds/categories/%ff/atom/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get("/en/feeds/categories/%00%ff/atom/").status_code == 400
    assert client.post("/en/feeds/rss/").status_code == 405


def test_an_empty_board_has_an_empty_feed(client, db):
    for fmt in FORMATS:
        assert parse(client, f"/en/feeds/{fmt}/").entries == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_conditional_get(client, demo, fmt):
    url = f"/en/feeds/{fmt}/"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    newest = max(max(b.updated_at, b.published_at) for b in Brief.objects.all())
    assert modified == http_date(newest.timestamp())
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    # Another interface language is another document.
    assert client.get(f"/zh-hant/feeds/{fmt}/", headers={"if-none-match": etag}).status_code == 200

    brief = Brief.objects.get(title=SEED_TITLE)
    save_brief(dataclasses.replace(content_of(brief), body=brief.body + "\n\nMore."))
    edited = client.get(url, headers={"if-none-match": etag, "if-modified-since": modified})
    assert edited.status_code == 200 and edited.headers["ETag"] != etag


def test_unpublishing_makes_the_feed_newer_not_older(client, demo):
    url = "/en/feeds/rss/"
    Brief.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))
    modified = client.get(url).headers["Last-Modified"]
    newest = Brief.objects.published().first()
    set_status(newest, Brief.Status.DRAFT)
    response = client.get(url, headers={"if-modified-since": modified})
    assert response.status_code == 200
    assert newest.uid.urn not in [e.id for e in feedparser.parse(response.content).entries]


def discovered(html: str) -> dict[str, tuple[str, str]]:
    """Each autodiscovery link's address: its title and hreflang."""
    links = re.findall(
        r'<link rel="alternate" type="application/(?:rss|atom)\+xml" title="([^"]+)" '
        r'href="([^"]+)"(?: hreflang="([^"]+)")?>',
        html,
    )
    return {href: (title, hreflang) for title, href, hreflang in links}


def test_pages_link_their_feeds_for_autodiscovery(client, demo):
    board = discovered(client.get("/en/").content.decode())
    assert list(board) == [
        "/en/feeds/en/rss/", "/en/feeds/en/atom/", "/en/feeds/rss/", "/en/feeds/atom/"
    ]  # fmt: skip
    assert board["/en/feeds/en/rss/"] == (f"{Board.current().name} · English briefs (RSS)", "en")
    assert board["/en/feeds/atom/"][1] == ""
    category = discovered(
        client.get("/zh-hant/categories/international-cooperation/").content.decode()
    )
    address = "/zh-hant/feeds/categories/international-cooperation/zh-hant/"
    assert list(category)[:4] == [
        f"{address}rss/", f"{address}atom/", "/zh-hant/feeds/zh-hant/rss/",
        "/zh-hant/feeds/zh-hant/atom/",
    ]  # fmt: skip
    title, hreflang = category[f"{address}rss/"]
    assert title.endswith("類別：國際合作 · 中文簡訊 (RSS)") and hreflang == "zh-hant"
    for href in [*board, *category]:
        assert parse(client, href).entries


def test_the_footer_links_the_readers_language_feeds(client, demo):
    for ui in LANGUAGES:
        html = client.get(f"/{ui}/").content.decode()
        [follow] = re.findall(r'<p class="follow">.*?</p>', html)
        for fmt in FORMATS:
            assert f'href="/{ui}/feeds/{ui}/{fmt}/"' in follow
        assert follow.count(f'hreflang="{ui}"') == 2


def test_a_category_with_a_chinese_slug_has_its_feed(client, demo):
    brief = Brief.objects.filter(language="zh-hant").first()
    save_brief(dataclasses.replace(content_of(brief), tags=("太空科技新聞",)))
    category = Category.objects.get(name_zh_hant="太空科技新聞")
    assert category.slug == "太空科技新聞"
    feed = parse(client, f"/zh-hant/feeds/categories/{category.slug}/zh-hant/atom/")
    assert [e.id for e in feed.entries] == [brief.uid.urn]
