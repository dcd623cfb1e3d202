"""The facets count what the listing lists: the kept counts for one narrowing, an exact
count over the intersection for more, both against counting the briefs directly; the links
add and remove filters within the page's scope; any address answers without a 5xx."""

import collections
import datetime as dt
import random

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from newsbrief.briefs.listing import month_of
from newsbrief.briefs.models import Board, Brief, BriefTag, Category
from newsbrief.entities import counting, facets
from newsbrief.entities.models import BriefEntity, Entity
from tests.factories import index_briefs, make_brief

pytestmark = pytest.mark.django_db
BOTH = ["en", "zh-hant"]
TAGS = ["Energy", "Health", "Space"]
D = BriefEntity.Decision
K = Entity.Kind
MADE = [
    ("japan", K.COUNTRY, "Japan", "日本"), ("taiwan", K.COUNTRY, "Taiwan", "臺灣"),
    ("korea", K.COUNTRY, "South Korea", "南韓"),
    ("moea", K.ORGANIZATION, "Ministry of Economic Affairs", "經濟部"),
    ("idb", K.ORGANIZATION, "Industrial Development Bureau", "工業局"),
    ("optics", K.FIELD, "Optics", "光學"),
    ("medical-devices", K.FIELD, "Medical devices", "醫療器材"),
]  # fmt: skip


def make_entities():
    return [
        Entity.objects.create(slug=s, kind=k, name_en=en, name_zh_hant=zh) for s, k, en, zh in MADE
    ]


def name(brief, *entities, decision=D.CONFIRMED, confidence=1.0):
    for entity in entities:
        BriefEntity.objects.update_or_create(
            brief=brief, entity=entity, defaults={"decision": decision, "confidence": confidence}
        )
    counting.follow(brief)


def random_archive(rng, now, entities, n=50):
    for i in range(n):
        brief = make_brief(
            f"Brief {i}",
            language=rng.choice(BOTH),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 2))),
            published_at=now + dt.timedelta(days=rng.randint(-200, 3)),
            status=rng.choice([Brief.Status.PUBLISHED] * 4 + [Brief.Status.DRAFT]),
        )
        for entity in rng.sample(entities, rng.randint(0, 4)):
            BriefEntity.objects.create(
                brief=brief,
                entity=entity,
                confidence=rng.choice([0.3, 0.7, 0.95]),
                decision=rng.choice([D.PROPOSED, D.PROPOSED, D.CONFIRMED, D.REMOVED, D.ADDED]),
            )
        counting.follow(brief)


def direct(now, languages, category=None, month=None, selected=()) -> collections.Counter:
    """Each entity's briefs among the listed ones, walking every brief."""
    found = collections.Counter()
    for brief in Brief.objects.filter(status=Brief.Status.PUBLISHED, published_at__lte=now):
        if brief.language not in languages:
            continue
        if month is not None and month_of(brief.published_at) != month:
            continue
        if category is not None and not BriefTag.objects.filter(brief=brief, category=category):
            continue
        rows = BriefEntity.objects.filter(brief=brief)
        shown = {
            r.entity_id for r in rows
            if r.decision in (D.CONFIRMED, D.ADDED)
            or (r.decision == D.PROPOSED and r.confidence >= counting.min_confidence())
        }  # fmt: skip
        if not {e.pk for e in selected} <= shown:
            continue
        found.update(shown)
    return found


def got(listing) -> collections.Counter:
    result = facets.facets(listing, limit=100)
    return collections.Counter({e.pk: n for _kind, ranked in result.groups for e, n in ranked})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facet_counts_match_a_direct_count_in_every_scope(seed, django_capture_on_commit_callbacks):
    rng = random.Random(seed)
    now = timezone.now()
    entities = make_entities()
    with django_capture_on_commit_callbacks(execute=True):
        random_archive(rng, now, entities)
    board = Board.current()
    categories = list(Category.objects.all())
    months = sorted({month_of(b.published_at) for b in Brief.objects.published(at=now)})
    for languages in (["en"], ["zh-hant"], BOTH):
        scopes = [{}, {"category": rng.choice(categories)}, {"month": rng.choice(months)}]
        scopes += [{"selected": [e]} for e in rng.sample(entities, 3)]
        scopes += [
            {"selected": rng.sample(entities, 2)},
            {"selected": rng.sample(entities, 3)},
            {"category": rng.choice(categories), "selected": [rng.choice(entities)]},
            {"month": rng.choice(months), "selected": [rng.choice(entities)]},
            {"category": rng.choice(categories), "month": rng.choice(months)},
            {"category": rng.choice(categories), "selected": rng.sample(entities, 2)},
        ]
        for scope in scopes:
            listing = facets.Listing(board, languages, now, **scope)
            assert got(listing) == +direct(now, languages, **scope), (languages, scope)


def test_one_narrowing_reads_the_kept_counts_and_more_count_the_intersection(
    django_assert_max_num_queries,
):
    now = timezone.now()
    japan, *_rest, devices = make_entities()
    brief = make_brief("Japan and devices")
    name(brief, japan, devices)
    board = Board.current()
    with django_assert_max_num_queries(4):  # the counts, the due-later, the entities
        result = facets.facets(facets.Listing(board, ["en"], now))
    found = {e.slug: n for _k, r in result.groups for e, n in r}
    assert found == {"japan": 1, "medical-devices": 1}
    listing = facets.Listing(board, ["en"], now, selected=[japan, devices])
    assert listing.kept is False
    result = facets.facets(listing)
    assert result.total == 1
    assert {e.slug for _k, r in result.groups for e, _n in r} == {"japan", "medical-devices"}


def test_selected_entities_drop_unknown_repeated_and_too_many():
    entities = make_entities()
    merged = Entity.objects.create(slug="nippon", kind=K.COUNTRY, name_en="Nippon")
    merged.merged_into = entities[0]
    merged.save()
    slugs = ["nope", "nippon", "japan", "japan", *(e.slug for e in entities)]
    got = facets.selected_entities(slugs)
    assert [e.slug for e in got] == ["japan", "taiwan", "korea", "moea"][: facets.MAX_SELECTED]
    assert facets.selected_entities([]) == []
    assert facets.parse_month("2012-03") == dt.date(2012, 3, 1)
    for bad in ("2012-13", "0001-01", "2012-3", "x", "", None, "２０１２-03"):
        assert facets.parse_month(bad) is None


@pytest.fixture
def archive(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        japan, taiwan, _korea, moea, _idb, optics, devices = make_entities()
        when = dt.datetime(2012, 3, 5, 8, tzinfo=dt.UTC)
        a = make_brief("Japan devices", tags=("Health",), published_at=when)
        b = make_brief("Japan optics", tags=("Energy",), published_at=when + dt.timedelta(days=40))
        c = make_brief("Taiwan devices", tags=("Health",), published_at=when)
        z = make_brief("日本醫療器材", language="zh-hant", tags=("Health",), published_at=when)
        name(a, japan, devices, moea)
        name(b, japan, optics)
        name(c, taiwan, devices)
        name(z, japan, devices)
    return {"a": a, "b": b, "c": c, "z": z}


def test_board_pages_show_facets_linking_to_browse(client, archive):
    page = client.get("/en/").content.decode()
    assert 'class="entity-facets"' in page
    assert "Countries and regions" in page and "Fields" in page and "Organizations" in page
    assert f'href="{reverse("entities:browse")}?e=japan"' in page
    category = Category.objects.get(name_en="Health")
    page = client.get(f"/en/categories/{category.slug}/").content.decode()
    assert f"?e=japan&amp;category={category.slug}" in page
    page = client.get("/en/archive/2012/3/").content.decode()
    assert "?e=medical-devices&amp;month=2012-03" in page
    with translation.override("zh-hant"):
        page = client.get("/zh-hant/").content.decode()
    assert "日本" in page and "國家與地區" in page
    assert "/zh-hant/entities/browse/?e=japan" in page


def test_browse_combines_filters(client, archive):
    url = reverse("entities:browse")
    page = client.get(url, {"e": ["japan", "medical-devices"]}).content.decode()
    assert "Japan devices" in page and "Japan optics" not in page and "Taiwan devices" not in page
    assert "noindex" in page
    # Remove links: each keeps the other filter.
    assert f'href="{url}?e=medical-devices"' in page and f'href="{url}?e=japan"' in page
    # Taiwan is not among these briefs; MOEA is, and adding it keeps both.
    assert "Taiwan" not in page.split('class="entity-facets"')[1].split("</nav>")[0]
    assert "?e=japan&amp;e=medical-devices&amp;e=moea" in page
    page = client.get(url, {"e": "japan", "month": "2012-04"}).content.decode()
    assert "Japan optics" in page and "Japan devices" not in page
    page = client.get(url, {"e": "japan", "lang": "zh-hant"}).content.decode()
    assert "日本醫療器材" in page and "Japan devices" not in page
    page = client.get(url, {"e": ["japan", "taiwan"]}).content.decode()
    assert "No brief names all of these together." in page


def test_browse_without_entities_goes_to_its_scope_page(client, archive):
    url = reverse("entities:browse")
    category = Category.objects.get(name_en="Health")
    assert client.get(url)["Location"] == "/en/"
    assert client.get(url, {"e": "nope"})["Location"] == "/en/"
    assert client.get(url, {"category": category.slug})["Location"] == (
        f"/en/categories/{category.slug}/"
    )
    assert client.get(url, {"month": "2012-03", "lang": "all"})["Location"] == (
        "/en/archive/2012/3/?lang=all"
    )
    assert client.get(url, {"q": "devices"})["Location"] == "/en/search/?q=devices"


def test_browse_with_a_search_counts_its_matches(client, archive):
    index_briefs()
    url = reverse("entities:browse")
    page = client.get(url, {"e": "japan", "q": "devices", "lang": "all"}).content.decode()
    assert "Japan devices" in page and "日本醫療器材" not in page and "Japan optics" not in page
    assert "Counted in every match." in page
    page = client.get("/en/search/", {"q": "devices"}).content.decode()
    assert 'class="entity-facets"' in page
    assert f"{url}?e=japan&amp;q=devices&amp;lang=all" in page
    # The search's own filters narrow the counts and travel with the links.
    query = {"q": "japan", "date_from": "2012-04-01", "author": "ann"}
    page = client.get("/en/search/", query).content.decode()
    facet = page.split('class="entity-facets"')[1].split("</nav>")[0]
    assert "Optics" in facet and "Medical devices" not in facet
    assert "q=japan&amp;author=ann&amp;date_from=2012-04-01&amp;lang=all" in facet
    page = client.get(url, {"e": "optics", **query, "lang": "all"}).content.decode()
    assert "Japan optics" in page and "Japan devices" not in page
    assert client.get(url, {**query, "e": "nope"})["Location"] == (
        "/en/search/?q=japan&author=ann&date_from=2012-04-01"
    )


@pytest.mark.parametrize(
    "query",
    [
        {"e": ["x" * 5000]},
        {"e": [f"e{i}" for i in range(50)] + ["japan"]},
        {"e": ["japan"] * 50},
        {"e": "japan", "month": "9999-99"},
        {"e": "japan", "month": ["2012-03", "garbage"]},
        {"e": "japan", "category": ["nope", "health"]},
        {"e": "japan", "page": "999999999999999999999"},
        {"e": "japan", "page": "-3"},
        {"e": "japan", "lang": "xx"},
        {"e": "japan", "q": "\x00 (( OR"},
        {"e": "japan\x00"},
        {"e": "japan", "q": "x", "date_from": "junk", "date_to": "0001-01-01", "author": "a" * 500},
        {"e": "japan", "q": "x" * 10000},
    ],
)
def test_hostile_browse_addresses_never_fail(client, archive, query):
    response = client.get(reverse("entities:browse"), query)
    assert response.status_code < 500


def test_far_page_leads_to_the_last(client, archive):
    response = client.get(reverse("entities:browse"), {"e": "japan", "page": "7"})
    assert response.status_code == 302 and "page" not in response["Location"]


def test_no_facets_when_turned_off_or_empty(client, settings, archive):
    settings.NEWSBRIEF_FACET_ENTITIES = 0
    assert 'class="entity-facets"' not in client.get("/en/").content.decode()
    settings.NEWSBRIEF_FACET_ENTITIES = 6
    BriefEntity.objects.all().delete()
    counting.recount()
    assert 'class="entity-facets"' not in client.get("/en/").content.decode()


def test_a_large_combination_counts_its_newest_briefs_and_says_so(client, archive, monkeypatch):
    monkeypatch.setattr(facets, "COUNTED_BRIEFS", 1)
    url = reverse("entities:browse")
    page = client.get(url, {"e": ["japan", "medical-devices"], "lang": "all"}).content.decode()
    assert "Counted in the newest 1 brief." in page
    # The newest of the two (the same day; the higher id): the Chinese one, without MOEA.
    facet = page.split('class="entity-facets"')[1].split("</nav>")[0]
    assert "Ministry of Economic Affairs" not in facet
    japan, devices = Entity.objects.get(slug="japan"), Entity.objects.get(slug="medical-devices")
    listing = facets.Listing(Board.current(), BOTH, timezone.now(), selected=[japan, devices])
    result = facets.facets(listing)
    assert (result.total, result.counted) == (2, 1)  # the pair's kept count
    listing.month = dt.date(2012, 3, 1)
    assert facets.facets(listing).total is None


def test_a_combination_walks_a_bounded_window_of_its_rarest_entity(archive, monkeypatch):
    """Taiwan (one brief) leads Japan (three); with a window of one row, the newest match
    found there is what is counted, and said to be."""
    monkeypatch.setattr(facets, "WALKED", 1)
    japan, devices = Entity.objects.get(slug="japan"), Entity.objects.get(slug="medical-devices")
    listing = facets.Listing(Board.current(), ["en"], timezone.now(), selected=[japan, devices])
    assert [e.slug for e in listing._rarest_first] == ["japan", "medical-devices"]
    result = facets.facets(listing)
    assert result.counted is not None and result.total == 1  # kept: the pair's count
    monkeypatch.setattr(facets, "WALKED", 10)
    assert facets.facets(listing).counted is None
