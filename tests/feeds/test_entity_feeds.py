"""An entity's feeds, per brief language, parsed by feedparser as a feed reader would; found
from the entity's page."""

import re

import pytest

from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity
from tests.factories import make_brief

from .test_feeds import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry_state")]


@pytest.fixture
def japan():
    japan = Entity.objects.create(
        slug="japan", kind="country", name_en="Japan", name_zh_hant="日本"
    )
    for title, language, confidence in [
        ("Japan optics", "en", 0.9),
        ("Japan, perhaps", "en", 0.2),  # not shown: below the confidence readers see
        ("日本光學", "zh-hant", 0.9),
    ]:
        brief = make_brief(title, language=language)
        BriefEntity.objects.create(brief=brief, entity=japan, confidence=confidence)
        counting.follow(brief)
    make_brief("Elsewhere")
    return japan


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize(
    ("language", "titles"), [("en", ["Japan optics"]), ("zh-hant", ["日本光學"])]
)
def test_an_entitys_feed_holds_its_shown_briefs(client, japan, fmt, language, titles):
    feed = parse(client, f"/{language}/feeds/entities/japan/{language}/{fmt}/")
    assert [entry.title for entry in feed.entries] == titles
    assert ("日本" if language == "zh-hant" else "Japan") in feed.feed.title
    assert feed.feed.link.endswith(f"/{language}/entities/japan/?lang={language}")


def test_the_feed_lives_under_its_language(client, japan):
    response = client.get("/en/feeds/entities/japan/zh-hant/rss/")
    assert response.status_code == 301
    assert response["Location"] == "/zh-hant/feeds/entities/japan/zh-hant/rss/"


def test_a_merged_entitys_feed_leads_to_the_entity_it_was_merged_into(client, japan):
    Entity.objects.create(slug="nippon", kind="country", name_en="Nippon", merged_into=japan)
    response = client.get("/en/feeds/entities/nippon/en/atom/")
    assert response.status_code == 301
    assert response["Location"] == "/en/feeds/entities/japan/en/atom/"
    assert client.get("/en/feeds/entities/nowhere/en/atom/").status_code == 404


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_entity_page_names_its_feeds_first(client, japan, language):
    html = client.get(f"/{language}/entities/japan/").content.decode()
    links = re.findall(r'<link rel="alternate" type="application/(?:rss|atom)\+xml"[^>]*>', html)
    assert f'href="/{language}/feeds/entities/japan/{language}/rss/"' in links[0]
    assert f'href="/{language}/feeds/entities/japan/{language}/atom/"' in html
