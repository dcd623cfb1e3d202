"""The results page and the search box on every page."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_has_a_search_box(client, demo):
    page = client.get("/zh-hant/").content.decode()
    assert 'role="search" action="/zh-hant/search/" method="get"' in page
    assert 'for="site-search-q"' in page


def test_results_are_ranked_and_marked(client, demo):
    page = client.get("/en/search/", {"q": "cooperating"}).content.decode()
    assert "briefs found." in page
    assert "<mark>cooperation</mark>" in page.lower() or "<mark>Cooperation</mark>" in page
    assert 'lang="en"' in page


def test_simplified_query_on_the_chinese_page(client, demo):
    response = client.get("/zh-hant/search/", {"q": "台湾 日本 产业合作"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "台日<mark>產業合作</mark>推動辦公室成立" in page


def test_no_results_suggests_removing_filters(client, demo):
    page = client.get("/en/search/", {"q": "cooperating", "lang": "zh-hant"}).content.decode()
    assert "No briefs match" in page
    assert 'href="?q=cooperating"' in page
    page = client.get("/en/search/", {"q": "xyzzy"}).content.decode()
    assert "No briefs match" in page and "Try fewer or different words." in page


def test_pages(client, demo, settings):
    settings.NEWSBRIEF_PAGE_SIZE = 2
    first = client.get("/en/search/", {"q": "taiwan"}).content.decode()
    assert 'rel="next"' in first and "Page 1 of" in first
    second = client.get("/en/search/", {"q": "taiwan", "page": "2"}).content.decode()
    assert 'rel="prev"' in second and '<ol class="brief-list" start="3">' in second


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"unbalanced'},
        {"q": "OR"},
        {"q": "x" * 10_000},
        {"q": 'NEAR( "* \x01 -'},
        {"q": "taiwan", "date_from": "not a date", "category": "nope", "lang": "xx"},
        {"q": "taiwan", "page": "999"},
        {"q": "taiwan", "page": "99999999999999999999"},
        {"q": "taiwan", "date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"q": "taiwan", "date_from": "9999-12-31", "date_to": "0001-01-01"},
        {},
    ],
)
def test_bad_input_never_errors(client, demo, params):
    assert client.get("/en/search/", params).status_code == 200


def test_the_query_is_escaped(client, demo):
    page = client.get("/en/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_filters_narrow_the_results(client, demo):
    page = client.get(
        "/en/search/", {"q": "taiwan", "category": "energy", "lang": "en"}
    ).content.decode()
    assert "1 brief found." in page
