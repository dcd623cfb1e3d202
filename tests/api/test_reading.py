"""Reading the board through the API: what everyone sees, pages, filters, errors."""

import datetime as dt

import pytest

from newsbrief.briefs.models import Brief, RelatedLink

from .conftest import error_of, write_brief

pytestmark = pytest.mark.django_db
SEED_UID = "48b2b6c8-786a-5894-b7fb-5bf4b93cc8a9"


def seed_brief() -> Brief:
    return Brief.objects.get(uid=SEED_UID)


def test_the_list_pages_through_published_briefs_newest_first(demo, api):
    everything = api[None].get("/briefs", limit=100).json()
    published = Brief.objects.published()
    assert everything["total"] == published.count() == len(everything["items"])
    dates = [item["published_at"] for item in everything["items"]]
    assert dates == sorted(dates, reverse=True)
    first = api[None].get("/briefs", limit=4).json()
    second = api[None].get("/briefs", limit=4, page=2).json()
    by_offset = api[None].get("/briefs", limit=4, offset=4).json()
    assert (first["limit"], first["offset"], second["offset"]) == (4, 0, 4)
    assert second["items"] == by_offset["items"] == everything["items"][4:8]
    assert [i["id"] for i in first["items"]] == [i["id"] for i in everything["items"][:4]]


def test_filters_narrow_the_list(demo, api):
    def ids(**params):
        return {
            item["id"] for item in api[None].get("/briefs", limit=100, **params).json()["items"]
        }

    published = Brief.objects.published()
    assert ids(language="zh-hant") == set(
        published.filter(language="zh-hant").values_list("pk", flat=True)
    )
    space = ids(category="space-technology")
    assert space and space == set(
        published.filter(brief_tags__category__slug="space-technology").values_list("pk", flat=True)
    )
    assert ids(author="techman") == set(published.values_list("pk", flat=True))
    assert ids(author="nobody") == set()
    # Board-local days, both ends included: the seed brief is 2012-03-20 21:20 in Taipei.
    march = ids(date_from="2012-03-20", date_to="2012-03-20")
    assert seed_brief().pk in march
    assert seed_brief().pk not in ids(date_from="2012-03-21")
    assert ids(date_from="0001-01-01", date_to="9999-12-31") == ids()


def test_a_brief_whole(demo, api):
    brief = seed_brief()
    body = api[None].get(f"/briefs/{brief.pk}").json()
    assert body["title"] == "Taiwan-Japan Industrial Cooperation Office Comes Into Being"
    assert body["tags"] == [
        {"slug": "international-cooperation", "name": "International Cooperation"}
    ]
    assert body["source"] == {"name": "CENS.com", "date": "2012-03-19"}
    assert body["body"].startswith("Taiwan and Japan industrial cooperation")
    assert body["body_html"].startswith('<p><span class="source">CENS.com (2012/03/19)</span>')
    assert body["links"] == [{"label": "CENS.com", "url": "", "date": "2012-03-19"}]
    assert body["trail"] == {"count": 2, "last_edit_at": "2012-03-20T13:25:00Z", "by": "techman"}
    assert body["revision"] == 2
    assert body["url"] == f"http://testserver/en/briefs/{brief.pk}/"
    [version] = body["versions"]
    assert version["language"] == "zh-hant" and version["url"].endswith(
        f"/zh-hant/briefs/{version['id']}/"
    )
    related = body["related"]
    assert [r["date"] for r in related] == ["2011-09-05", "2011-10-25"]
    assert related[1]["tags"] == ["International Cooperation", "Metal Industry"]
    assert all(r["brief"] for r in related)
    assert api[None].get(f"/briefs/{brief.pk}/related").json() == related


def test_a_reference_not_in_the_archive_has_no_brief(demo, api):
    pending = RelatedLink.objects.filter(target=None).select_related("brief").first()
    related = api[None].get(f"/briefs/{pending.brief.pk}/related").json()
    [entry] = [r for r in related if r["title"] == pending.cited_title]
    assert entry["brief"] is None


def test_drafts_and_scheduled_briefs_are_invisible_to_the_public(demo, api, people):
    draft = write_brief(people["editor"])
    later = write_brief(
        people["editor"], Brief.Status.PUBLISHED, title="Later",
        published_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    for brief in (draft, later):
        assert error_of(api[None].get(f"/briefs/{brief.pk}"))["code"] == "not_found"
        assert api["reader"].get(f"/briefs/{brief.pk}").status_code == 404
        assert api["other_editor"].get(f"/briefs/{brief.pk}/related").status_code == (
            404 if brief is draft else 200
        )
        assert api["editor"].get(f"/briefs/{brief.pk}").status_code == 200
        assert api["chief"].get(f"/briefs/{brief.pk}").status_code == 200
    listed = {i["id"] for i in api[None].get("/briefs", limit=100).json()["items"]}
    assert not listed & {draft.pk, later.pk}
    drafts = api["editor"].get("/briefs", status="draft").json()["items"]
    assert [i["id"] for i in drafts] == [draft.pk]
    assert api[None].get("/briefs", status="draft").json()["total"] == 0
    assert api["other_editor"].get("/briefs", status="draft").json()["total"] == 0


def test_categories_have_both_names_and_a_count(demo, api):
    categories = api[None].get("/categories").json()
    metal = next(c for c in categories if c["slug"] == "metal-industry")
    assert (metal["name_en"], metal["name_zh_hant"]) == ("Metal Industry", "金屬工業")
    assert (
        metal["briefs"]
        == Brief.objects.published().filter(categories__slug="metal-industry").count()
    )


def test_search_finds_published_briefs_with_marked_passages(demo, api):
    found = api[None].get("/search", q="台灣 日本", language="zh-hant", limit=3).json()
    assert found["total"] >= 1 and len(found["items"]) <= 3
    hit = found["items"][0]
    assert hit["language"] == "zh-hant" and "<mark>" in hit["title_html"] + "".join(
        hit["highlights"]
    )
    assert hit["url"].endswith(f"/zh-hant/briefs/{hit['id']}/")
    assert api[None].get("/search", q="taiwan", page=2, limit=2).json()["offset"] == 2
    assert api[None].get("/search", q="-").json() == {
        "total": 0,
        "limit": 20,
        "offset": 0,
        "complete": None,
        "facets": None,
        "items": [],
    }


def test_search_says_when_hits_have_only_most_of_the_words(demo, api):
    assert api[None].get("/search", q="311 japan 地震").json()["complete"] == 0
    assert api[None].get("/search", q="taiwan satellite launch").json()["complete"] == 1
    assert api[None].get("/search", q="taiwan").json()["complete"] is None


def test_search_counts_by_language_category_and_year_when_asked(demo, api):
    assert api[None].get("/search", q="taiwan").json()["facets"] is None
    found = api[None].get("/search", q="taiwan OR 臺灣", facets="true").json()
    facets = found["facets"]
    assert set(facets) == {"language", "category", "year"}
    assert facets["language"] == [{"value": "en", "count": 8}, {"value": "zh-hant", "count": 7}]
    assert sum(f["count"] for f in facets["language"]) == found["total"]
    assert {"value": "international-cooperation", "count": 10} in facets["category"]
    assert {f["value"] for f in facets["year"]} == {"2011", "2012"}
    narrowed = api[None].get("/search", q="taiwan", language="en", facets="true").json()
    assert narrowed["facets"]["language"] == [{"value": "en", "count": 8}]
    nothing = api[None].get("/search", q="xyzzy", facets="true").json()
    assert nothing["facets"] == {"language": [], "category": [], "year": []}


def test_search_hits_carry_their_other_language_versions(demo, api):
    english = Brief.objects.get(language="en", title__contains="IMEC")
    chinese = Brief.objects.get(language="zh-hant", title__contains="IMEC")
    items = {i["id"]: i for i in api[None].get("/search", q="imec").json()["items"]}
    assert set(items) == {english.pk, chinese.pk}  # the API groups nothing
    (version,) = items[english.pk]["versions"]
    assert version == {
        "id": chinese.pk,
        "language": "zh-hant",
        "title": chinese.title,
        "url": f"http://testserver/zh-hant/briefs/{chinese.pk}/",
    }
    assert items[chinese.pk]["versions"][0]["url"].endswith(f"/en/briefs/{english.pk}/")
    assert api[None].get("/search", q="formosat").json()["items"][0]["versions"] == []


@pytest.mark.parametrize(
    "path, field",
    [
        ("/briefs?limit=0", "limit"),
        ("/briefs?limit=101", "limit"),
        ("/briefs?page=2&offset=3", "page"),
        ("/briefs?language=fr", "language"),
        ("/briefs?date_from=2012-13-01", "date_from"),
        ("/search", "q"),
        ("/search?q=", "q"),
        ("/briefs/0", "brief_id"),
        ("/briefs/99999999999999999999", "brief_id"),
        ("/briefs/abc", "brief_id"),
    ],
)
def test_bad_parameters_get_422_naming_the_field(api, path, field):
    response = api[None].client.get(f"/api{path}")
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid" and field in error["fields"]


def test_a_nul_in_the_address_is_a_bad_request(api, db):
    response = api[None].client.get("/api/briefs?category=a%00b")
    assert response.status_code == 400 and error_of(response)["code"]


def test_unknown_brief_and_bad_token_have_the_same_error_shape(api, db):
    assert error_of(api[None].get("/briefs/12345"))["code"] == "not_found"
    from .conftest import Api

    response = Api("nb_not-a-token").get("/briefs")
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = api[None].client.get("/api/briefs", headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 401


def test_the_schema_is_served(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/briefs", "/api/briefs/{brief_id}", "/api/search", "/api/categories"} <= set(
        schema["paths"]
    )
    parameters = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert "facets" in parameters
    page = schema["components"]["schemas"]["SearchPage"]["properties"]
    assert {"complete", "facets", "items"} <= set(page)
    assert "versions" in schema["components"]["schemas"]["HitOut"]["properties"]


def test_unknown_addresses_under_api_answer_in_the_error_body(api):
    for path in ("/nothing", "/briefs/1/nothing", "/briefs/"):
        response = api[None].client.get(f"/api{path}")
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"
