"""Every page's head: canonical, absolute language alternates, description and cards, read
from the rendered HTML with lxml."""

import uuid

import pytest
from lxml import html

from newsbrief.briefs.models import Brief
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
BASE = "https://news.example.org"
SEED_TITLE = "Taiwan-Japan Industrial Cooperation Office Comes Into Being"


@pytest.fixture(autouse=True)
def public_origin(settings):
    settings.NEWSBRIEF_BASE_URL = BASE


def head(client, address: str, **headers):
    response = client.get(address, headers=headers)
    assert response.status_code == 200, address
    return html.fromstring(response.content).find("head")


def canonical(page) -> str:
    [link] = page.xpath("link[@rel='canonical']/@href")
    return link


def alternates(page) -> list[tuple[str, str]]:
    links = page.xpath("link[@rel='alternate'][@hreflang][not(@type)]")  # not feeds
    return [(link.get("hreflang"), link.get("href")) for link in links]


def meta(page, name: str) -> list[str]:
    return page.xpath(f"meta[@property='{name}' or @name='{name}']/@content")


@pytest.fixture
def pair(db):
    key = uuid.uuid4()
    english = make_brief(
        "Solar cells reach 30 percent",
        body="A <b>lab</b> in Hsinchu says its tandem solar cells reach 30 percent. " * 8,
        tags=["Energy"],
        translation_key=key,
    )
    chinese = make_brief(
        "太陽能電池效率達三成", language="zh-hant", body="新竹實驗室。", translation_key=key
    )
    return english, chinese


@pytest.mark.parametrize("prefix", ["en", "zh-hant"])
def test_a_brief_speaks_for_its_own_address_under_either_interface(client, pair, prefix):
    english, chinese = pair
    for brief in pair:
        page = head(client, f"/{prefix}/briefs/{brief.pk}/")
        assert canonical(page) == f"{BASE}/{brief.language}/briefs/{brief.pk}/"
        assert alternates(page) == [
            ("en", f"{BASE}/en/briefs/{english.pk}/"),
            ("zh-hant", f"{BASE}/zh-hant/briefs/{chinese.pk}/"),
            ("x-default", f"{BASE}/en/briefs/{english.pk}/"),
        ]


def test_a_brief_has_a_description_and_cards(client, pair):
    english, chinese = pair
    page = head(client, f"/en/briefs/{english.pk}/")
    [description] = meta(page, "description")
    assert description.startswith("A lab in Hsinchu says")  # no markup
    assert "<" not in description and 100 < len(description) <= 160
    assert meta(page, "og:description") == [description]
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:title") == ["Solar cells reach 30 percent"]
    assert meta(page, "og:url") == [f"{BASE}/en/briefs/{english.pk}/"]
    assert meta(page, "og:locale") == ["en_US"]
    assert meta(page, "og:locale:alternate") == ["zh_TW"]
    assert meta(page, "og:site_name") == [english.board.name_for("en")]
    assert meta(page, "article:published_time") == [english.published_at.isoformat()]
    assert meta(page, "article:tag") == ["Energy"]
    assert meta(page, "twitter:card") == ["summary"]
    assert meta(page, "og:image") == []

    page = head(client, f"/en/briefs/{chinese.pk}/")
    assert meta(page, "og:locale") == ["zh_TW"] and meta(page, "og:locale:alternate") == ["en_US"]
    assert meta(page, "description") == ["新竹實驗室。"]


def test_a_board_named_in_chinese_shares_its_chinese_name(client, pair):
    board = pair[1].board
    board.name_zh_hant = "科技新聞簡訊"
    board.save()
    page = head(client, f"/en/briefs/{pair[1].pk}/")
    assert meta(page, "og:site_name") == ["科技新聞簡訊"]


def test_a_brief_without_a_version_declares_itself_once_per_language(client, demo):
    lone = make_brief("Only in English")
    page = head(client, f"/zh-hant/briefs/{lone.pk}/")
    assert alternates(page) == [
        ("en", f"{BASE}/en/briefs/{lone.pk}/"),
        ("x-default", f"{BASE}/en/briefs/{lone.pk}/"),
    ]


def test_the_seed_brief_declares_no_language_twice(client, demo):
    seed = Brief.objects.get(title=SEED_TITLE)
    codes = [code for code, _href in alternates(head(client, f"/en/briefs/{seed.pk}/"))]
    assert codes == ["en", "zh-hant", "x-default"]


def test_a_share_image_makes_a_large_card(rf, pair):
    from django.template import Context

    from newsbrief.seo.meta import brief_meta

    class Picture:
        url, width, height, alt = f"{BASE}/media/1/w1200.jpg", 1200, 630, "A tandem cell"

    english, chinese = pair
    data = brief_meta(Context({"share_image": Picture()}), english, [chinese])
    assert data["twitter_card"] == "summary_large_image"
    og = dict(data["og"])
    assert og["og:image"] == Picture.url and og["og:image:width"] == "1200"
    assert og["og:image:alt"] == "A tandem cell"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("/en/", "/en/"),
        ("/en/?lang=all", "/en/"),
        ("/en/?page=1", "/en/"),
        ("/en/?page=2&lang=en&utm_source=x", "/en/?page=2"),
        ("/zh-hant/categories/", "/zh-hant/categories/"),
        ("/en/archive/", "/en/archive/"),
    ],
)
def test_listings_drop_query_noise_from_their_canonical(client, demo, settings, address, expected):
    settings.NEWSBRIEF_PAGE_SIZE = 1
    page = head(client, address)
    assert canonical(page) == BASE + expected
    path = expected.removeprefix("/en").removeprefix("/zh-hant")
    assert alternates(page) == [
        ("en", f"{BASE}/en{path}"),
        ("zh-hant", f"{BASE}/zh-hant{path}"),
        ("x-default", f"{BASE}{path}"),
    ]
    assert meta(page, "og:type") == ["website"] and meta(page, "og:url") == [BASE + expected]
    assert meta(page, "description")[0]


def test_listing_descriptions_name_what_they_list(client, demo):
    page = head(client, "/en/archive/2012/3/")
    assert meta(page, "og:title") == ["March 2012"]
    assert "March 2012" in meta(page, "description")[0]
    page = head(client, "/zh-hant/categories/")
    assert meta(page, "og:locale") == ["zh_TW"] and meta(page, "og:locale:alternate") == ["en_US"]


def test_the_host_asked_never_reaches_a_stored_page(client, demo, settings):
    """Pages are stored by path: what one host's reader got, another host's is served."""
    settings.ALLOWED_HOSTS = ["news.example.org", "alias.example.net"]
    page = head(client, "/en/", host="alias.example.net")
    assert canonical(page) == f"{BASE}/en/"
    assert all(href.startswith(BASE) for _code, href in alternates(page))


def test_every_page_has_icons_and_a_manifest(client, demo):
    page = head(client, "/zh-hant/")
    assert page.xpath("link[@rel='icon'][@type='image/svg+xml']")
    assert page.xpath("link[@rel='apple-touch-icon']")
    [manifest] = page.xpath("link[@rel='manifest']/@href")
    answer = client.get(manifest)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/manifest+json"
    data = answer.json()
    assert data["lang"] == "zh-hant" and data["start_url"] == "/zh-hant/"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_a_brief_with_a_picture_shares_it_at_the_public_address(client, pair):
    from newsbrief.briefs.roles import CHIEF_EDITORS
    from newsbrief.pictures.actions import add_picture
    from tests.factories import make_user
    from tests.pictures.images import webp

    english, _chinese = pair
    add_picture(make_user("chief", CHIEF_EDITORS), english, webp(), alt="A tandem cell")
    page = head(client, f"/en/briefs/{english.pk}/")
    [image] = meta(page, "og:image")
    assert image.startswith(f"{BASE}/media/") and image.endswith(".jpg")
    assert meta(page, "twitter:card") == ["summary_large_image"]
    assert meta(page, "twitter:image") == [image]
    assert meta(page, "og:image:alt") == ["A tandem cell"]
