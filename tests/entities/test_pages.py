"""The entity index and an entity's page, in both languages: names, briefs, timeline, the
entities named with it and a country's pairs, all agreeing with a direct count of the briefs."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from newsbrief.briefs.models import Brief
from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
K = Entity.Kind


def _at(year, month, day=10):
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


@pytest.fixture
def world():
    made = {
        "taiwan": (K.COUNTRY, "Taiwan", "臺灣", ""),
        "japan": (K.COUNTRY, "Japan", "日本", ""),
        "korea": (K.COUNTRY, "South Korea", "南韓", ""),
        "moea": (K.ORGANIZATION, "Ministry of Economic Affairs", "經濟部", "MOEA"),
        "medical-devices": (K.FIELD, "Medical devices", "醫療器材", ""),
        "optics": (K.FIELD, "Optics", "光學", ""),
    }
    e = {
        slug: Entity.objects.create(slug=slug, kind=k, name_en=en, name_zh_hant=zh, acronym=a)
        for slug, (k, en, zh, a) in made.items()
    }
    e["moea"].parent = e["taiwan"]
    e["moea"].save()

    def brief(title, when, names, language="en", confidence=0.9, status=Brief.Status.PUBLISHED):
        b = make_brief(title, language=language, published_at=when, status=status)
        for name in names:
            BriefEntity.objects.create(brief=b, entity=e[name], confidence=confidence)
        counting.follow(b)
        return b

    brief("Taiwan and Japan, medical devices", _at(2009, 3), ["taiwan", "japan", "medical-devices"])
    brief("Taiwan Japan optics", _at(2011, 7), ["taiwan", "japan", "optics", "moea"])
    brief("Taiwan Japan again", _at(2011, 9), ["taiwan", "japan", "medical-devices"])
    brief("Taiwan Korea", _at(2012, 1), ["taiwan", "korea", "optics"])
    brief("臺日醫材合作", _at(2011, 8), ["taiwan", "japan", "medical-devices"], language="zh-hant")
    brief("Unsure", _at(2012, 2), ["taiwan", "japan"], confidence=0.3)  # not shown
    brief("Draft", None, ["taiwan"], status=Brief.Status.DRAFT)
    brief("Scheduled", timezone.now() + dt.timedelta(days=3), ["taiwan", "japan"])
    return e


def direct(entity, language, now=None):
    """The entity's shown, published, due briefs in ``language``, counted from the briefs."""
    now = now or timezone.now()
    return [
        row.brief for row in BriefEntity.objects.select_related("brief").filter(entity=entity)
        if row.brief.status == Brief.Status.PUBLISHED and row.brief.published_at <= now
        and row.brief.language == language
        and (row.decision in ("confirmed", "added")
             or (row.decision == "proposed" and row.confidence >= counting.min_confidence()))
    ]  # fmt: skip


def table(html: str, chart_id: str) -> dict[str, int]:
    """A chart's figures, read from its data table."""
    start = html.index(f'id="{chart_id}-caption"')
    body = html[start : html.index("</table>", start)]
    return {k: int(v) for k, v in re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', body)}


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_entity_page_counts_agree_with_the_briefs(client, world, language):
    taiwan = world["taiwan"]
    response = client.get(f"/{language}/entities/taiwan/")
    assert response.status_code == 200
    html = response.content.decode()
    shown = direct(taiwan, language)
    listed = re.findall(r'href="/[^/]+/briefs/(\d+)/"', html)
    expected = sorted(shown, key=lambda b: b.published_at, reverse=True)
    assert [int(pk) for pk in dict.fromkeys(listed)] == [b.pk for b in expected]
    years = table(html, "timeline-years")
    for year in {b.published_at.year for b in shown}:
        assert years[str(year)] == sum(b.published_at.year == year for b in shown)
    assert sum(years.values()) == len(shown)
    months = table(html, "timeline-months")
    assert sum(months.values()) == len(shown)
    assert "臺灣" in html and "Taiwan" in html
    assert 'role="img"' in html and "<desc" in html


def test_names_acronym_and_broader_entity(client, world):
    html = client.get("/en/entities/moea/").content.decode()
    assert "Ministry of Economic Affairs" in html and "經濟部" in html and "MOEA" in html
    assert 'href="/en/entities/taiwan/"' in html
    zh = client.get("/zh-hant/entities/moea/").content.decode()
    assert "<h1>經濟部" in zh


def test_a_countrys_pairs(client, world):
    html = client.get("/en/entities/taiwan/").content.decode()
    pairs = html[html.index('id="pairs-title"') : html.index('id="companions-title"')]
    # Japan first (3 English briefs, since 2009), then South Korea (1, since 2012).
    assert pairs.index("Japan") < pairs.index("South Korea")
    japan = pairs[pairs.index("Japan") : pairs.index("South Korea")]
    assert "3 briefs" in japan and "since 2009" in japan
    assert "Medical devices</a> (2)" in japan and "Optics</a> (1)" in japan
    assert table(html, f"pair-{world['japan'].pk}") == {"2009": 1, "2010": 0, "2011": 2}
    assert table(html, f"pair-{world['korea'].pk}") == {"2012": 1}
    assert "pairs-title" not in client.get("/en/entities/optics/").content.decode()


def test_companions_most_first(client, world):
    html = client.get("/en/entities/optics/").content.decode()
    together = html[html.index('id="companions-title"') :]
    assert together.index(">Taiwan<") < together.index(">Japan<")
    assert "2 briefs" in together


def test_all_languages_and_pages(client, world, settings):
    settings.NEWSBRIEF_PAGE_SIZE = 2
    first = client.get("/en/entities/taiwan/?lang=all").content.decode()
    assert "Taiwan Korea" in first and 'rel="next"' in first
    assert sum(table(first, "timeline-years").values()) == 5
    second = client.get("/en/entities/taiwan/?lang=all&page=2").content.decode()
    assert "臺日醫材合作" in second and 'rel="prev"' in second


def test_merged_slug_redirects(client, world):
    old = Entity.objects.create(slug="nippon", kind=K.COUNTRY, name_en="Nippon")
    old.merged_into = world["japan"]
    old.save()
    response = client.get("/zh-hant/entities/nippon/?lang=all")
    assert response.status_code == 301
    assert response["Location"] == "/zh-hant/entities/japan/?lang=all"
    assert client.get("/en/entities/nowhere/").status_code == 404


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_index(client, world, language):
    response = client.get(f"/{language}/entities/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="kind-country"')
    countries = html[start : html.index("</section>", start)]
    most = countries[: countries.index("<h3", countries.index("<h3") + 1)]
    taiwan, japan = (len(direct(world[s], language)) for s in ("taiwan", "japan"))
    if taiwan > japan:  # English: 4 and 3; Chinese: 1 each, then by name
        assert most.index("/entities/taiwan/") < most.index("/entities/japan/")
    assert f">{taiwan} brief" in most or f">{taiwan} 則" in most


@pytest.mark.parametrize(
    "path",
    [
        "/en/entities/taiwan/?page=-1",
        "/en/entities/taiwan/?page=99999999999999999999999",
        "/en/entities/taiwan/?page=x&lang=%00",
        "/en/entities/taiwan/?lang=fr",
        "/en/entities/%E2%80%AE/",
        "/en/entities/a%00b/",
        "/en/entities/?lang=<script>",
    ],
)
def test_bad_input_is_no_server_error(client, world, path):
    assert client.get(path).status_code < 500


def test_empty_board(client):
    Entity.objects.create(slug="japan", kind=K.COUNTRY, name_en="Japan")
    assert client.get("/en/entities/").status_code == 200
    html = client.get("/en/entities/japan/").content.decode()
    assert "timeline-years" not in html
