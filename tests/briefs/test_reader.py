"""What a reader of a news board expects: versions in their own interface, related messages
oldest first, excerpts, previous / next, the last page for a page past it, source addresses."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsbrief.briefs import roles
from newsbrief.briefs.content import Citation, Link
from newsbrief.briefs.models import Brief
from newsbrief.briefs.text import excerpt
from tests.factories import make_brief, make_user

from .test_pages import SEED_TITLE, text_of, url

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "zh-hant"]


@pytest.fixture
def seed_brief(demo):
    return Brief.objects.get(title=SEED_TITLE)


# --- versions ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_version_link_opens_the_version_in_its_own_language(client, seed_brief, language):
    chinese = seed_brief.other_versions().get()
    page = client.get(url(seed_brief, language)).content.decode()
    assert f'<a href="/zh-hant/briefs/{chinese.pk}/" hreflang="zh-hant"' in page
    back = client.get(url(chinese, language)).content.decode()
    assert f'<a href="/en/briefs/{seed_brief.pk}/" hreflang="en"' in back


@pytest.mark.parametrize(
    ("language", "says", "write"),
    [
        ("en", "This brief has no Traditional Chinese version.", "Write the Traditional Chinese"),
        ("zh-hant", "這則簡訊沒有繁體中文版本。", "撰寫繁體中文版本"),
    ],
)
def test_editors_are_told_a_brief_has_no_version(client, demo, language, says, write):
    alone = Brief.objects.get(title__startswith="NSPO and NOAA")
    assert says not in text_of(client.get(url(alone, language)))  # readers see nothing
    client.force_login(make_user("chief", roles.CHIEF_EDITORS))
    page = client.get(url(alone, language)).content.decode()
    text = text_of(client.get(url(alone, language)))
    assert says in text and write in text
    assert f"/desk/new/?version_of={alone.pk}" in page
    assert f"{reverse('desk:edit', args=[alone.pk])}#id_version_q" in page
    paired = Brief.objects.get(title=SEED_TITLE)
    assert "id_version_q" not in client.get(url(paired, language)).content.decode()


# --- related messages -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_related_messages_are_listed_oldest_first(client, demo, language):
    older = make_brief("Older one", published_at=dt.datetime(2010, 1, 5, 2, tzinfo=dt.UTC))
    citing = make_brief(
        "Cites three",
        published_at=dt.datetime(2012, 6, 1, 2, tzinfo=dt.UTC),
        # Ranked newest first, as a ranking might.
        related=(
            Citation("Not here yet", date=dt.date(2011, 3, 1)),
            Citation(older.title, date=older.local_published_date, uid=older.uid),
            Citation("Undated reference"),
            Citation("Oldest reference", date=dt.date(2009, 12, 31)),
        ),
    )
    text = text_of(client.get(url(citing, language)))
    order = ["Oldest reference", "Older one", "Not here yet", "Undated reference"]
    assert [text.find(t) for t in order] == sorted(text.find(t) for t in order)
    assert -1 not in [text.find(t) for t in order]
    # The ranking itself is untouched: the desk and the API keep it.
    ranked = [link.cited_title for link in citing.related_links.order_by("rank")]
    assert ranked == ["Not here yet", "Older one", "Undated reference", "Oldest reference"]


# --- excerpts ---------------------------------------------------------------------------


def test_an_excerpt_is_plain_text_cut_between_words():
    body = '<p><span class="source">CNA (2012/05/20)</span> The <em>first</em> words &amp; ' + (
        "many more words " * 30
    )
    short = excerpt(body + "</p>")
    assert short.startswith("The first words & many more")
    assert "CNA" not in short and "<" not in short
    assert short.endswith("…") and short[:-1].split()[-1] in {"many", "more", "words"}
    assert len(short) <= 201
    assert excerpt("<p>Short.</p>") == "Short."


def test_a_chinese_excerpt_is_cut_between_characters_at_about_the_same_width():
    body = "<p>" + "台日產業合作推動辦公室成立，" * 30 + "</p>"
    short = excerpt(body)
    assert short.endswith("…") and not short.endswith("，…")
    assert 95 <= len(short) <= 101  # a CJK character takes the room of two letters
    full = "FORMOSAT-7 衛星" * 40
    cut = excerpt(f"<p>{full}</p>")[:-1]
    assert full.startswith(cut) and (cut[-1] == "星" or full[len(cut)] in " 衛")  # not in a word


def test_an_excerpt_of_a_long_body_reads_only_its_start():
    body = "<p>" + "x" * 5 + '<a href="https://example.org/' + "y" * 100_000 + '">link</a></p>'
    assert excerpt(body) == "xxxxx"


@pytest.mark.parametrize("language", LANGUAGES)
def test_listings_show_excerpts_without_a_query_per_brief(client, demo, language):
    first_words = {
        "en": "Taiwan and Japan industrial cooperation promotion office",
        "zh-hant": "台日產業合作推動辦公室將於3月21日成立",
    }[language]
    for path in ["/", "/categories/international-cooperation/", "/archive/2012/3/"]:
        text = text_of(client.get(f"/{language}{path}"))
        assert first_words in text, path
    with CaptureQueriesContext(connection) as few:
        client.get(f"/{language}/?lang=all")
    for n in range(5):
        make_brief(f"More {n}", language=language, body="Words " * 100)
    with CaptureQueriesContext(connection) as more:
        page = client.get(f"/{language}/?lang=all").content.decode()
    assert len(more) == len(few)
    assert page.count('<p class="excerpt">') == Brief.objects.count()


# --- previous / next --------------------------------------------------------------------


def _dated(title, day, language="en", **fields):
    at = dt.datetime(2012, 5, day, 2, tzinfo=dt.UTC)
    return make_brief(title, language=language, published_at=at, **fields)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_brief_links_the_newer_and_older_one_in_its_language(client, db, language):
    first = _dated("First", 1, language)
    other_language = _dated("Other language", 2, "zh-hant" if language == "en" else "en")
    tied_a = _dated("Tied A", 3, language)
    tied_b = _dated("Tied B", 3, language)  # same time: the listing orders them by number
    last = _dated("Last", 4, language)
    make_brief("Draft", language=language, status=Brief.Status.DRAFT)
    order = [last, tied_b, tied_a, first]  # the board's order, newest first
    for i, brief in enumerate(order):
        response = client.get(url(brief, language))
        newer, older = response.context["newer"], response.context["older"]
        assert newer == (order[i - 1] if i else None)
        assert older == (order[i + 1] if i + 1 < len(order) else None)
    page = client.get(url(tied_a, language)).content.decode()
    assert re.search(rf'rel="prev" href="/{language}/briefs/{tied_b.pk}/"', page)
    assert re.search(rf'rel="next" href="/{language}/briefs/{first.pk}/"', page)
    label = {"en": "← Newer", "zh-hant": "← 較新"}[language]
    assert label in text_of(client.get(url(tied_a, language)))
    assert other_language.title not in page


def test_a_lone_brief_has_no_neighbours(client, db):
    brief = _dated("Alone", 1)
    assert 'class="neighbours"' not in client.get(url(brief)).content.decode()


@pytest.mark.parametrize(
    ("language", "earlier", "later"),
    [("en", "← March 2012", "July 2012 →"), ("zh-hant", "← 2012年3月", "2012年7月 →")],
)
def test_a_month_links_the_nearest_months_with_briefs(client, db, language, earlier, later):
    at = lambda month: dt.datetime(2012, month, 10, 2, tzinfo=dt.UTC)  # noqa: E731
    make_brief("March", language=language, published_at=at(3))
    make_brief("May", language=language, published_at=at(5))
    make_brief("July", language=language, published_at=at(7))
    other = "en" if language == "zh-hant" else "zh-hant"
    make_brief("April, other language", language=other, published_at=at(4))
    text = text_of(client.get(f"/{language}/archive/2012/5/"))
    assert earlier in text and later in text
    page = client.get(f"/{language}/archive/2012/5/").content.decode()
    assert f'href="/{language}/archive/2012/3/"' in page
    both = client.get(f"/{language}/archive/2012/5/?lang=all").content.decode()
    assert f'href="/{language}/archive/2012/4/?lang=all"' in both
    # An empty month between two still links both ways; the last has no later one.
    june = client.get(f"/{language}/archive/2012/6/").content.decode()
    assert f'href="/{language}/archive/2012/5/"' in june
    assert f'href="/{language}/archive/2012/7/"' in june
    assert "→" not in text_of(client.get(f"/{language}/archive/2012/7/"))


# --- a page past the last ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_past_the_last_leads_to_the_last(client, db, settings, language):
    settings.NEWSBRIEF_PAGE_SIZE = 2
    for day in range(1, 6):
        _dated(f"Brief {day}", day, language, tags=("Space",))
    for path in ["", "categories/space/", "archive/2012/5/"]:
        response = client.get(f"/{language}/{path}?page=9")
        assert response.status_code == 302
        assert response.headers["Location"] == f"/{language}/{path}?page=3"
        assert len(client.get(f"/{language}/{path}?page=3").context["briefs"]) == 1
    kept = client.get(f"/{language}/?page=4&lang={language}").headers["Location"]
    assert kept == f"/{language}/?page=3&lang={language}"
    # An empty listing has one page: the address without a page number.
    assert client.get(f"/{language}/archive/2011/5/?page=2").headers["Location"] == (
        f"/{language}/archive/2011/5/"
    )


# --- further information ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_seed_source_links_to_the_address_its_version_gives(client, seed_brief, language):
    assert seed_brief.source_links.get().url == ""  # the seed page lost it: (#)
    page = client.get(url(seed_brief, language)).content.decode()
    address = "https://example.org/cens/2012/03/19/taiwan-japan-industrial-cooperation-office"
    assert re.search(rf'<a href="{re.escape(address)}"[^>]*>CENS.com 2012/03/19</a>', page)


def test_a_source_without_an_address_anywhere_stays_text(client, db):
    brief = make_brief("Plain", links=(Link("Press release", date=dt.date(2012, 1, 2)),))
    page = client.get(url(brief)).content.decode()
    assert "<li>Press release 2012/01/02</li>" in page
