"""403, 404, 500 and the CSRF refusal in the board's layout and the language of the address,
each with the search box and a way back to the board."""

import pytest
from django.db import OperationalError
from django.test import Client

from newsbrief.briefs.models import Board, Category
from tests.factories import make_brief, make_user

pytestmark = pytest.mark.django_db
TEXT = {
    "en": {
        404: "Page not found",
        403: "Not allowed",
        500: "Server error",
        "back": "Back to the board",
    },
    "zh-hant": {404: "找不到網頁", 403: "不允許", 500: "伺服器錯誤", "back": "回到簡訊板"},
}
BOTH = pytest.mark.parametrize("language", ["en", "zh-hant"])


@pytest.fixture
def board(db):
    return Board.objects.create(name="Sci Board", name_zh_hant="科技看板")


def assert_error_page(response, status, language, name):
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{TEXT[language][status]}</h1>" in html
    assert f'<p class="site-name"><a href="/{language}/">{name}</a>' in html
    assert 'role="search"' in html and f'action="/{language}/search/"' in html
    assert f'<a href="/{language}/">{TEXT[language]["back"]}</a>' in html
    return html


@BOTH
def test_an_unknown_address_is_a_404_in_the_layout(client, board, language):
    response = client.get(f"/{language}/no-such-page/")
    html = assert_error_page(response, 404, language, board.name_for(language))
    assert 'id="not-found-q"' in html  # a search suggested in the page itself
    assert 'class="site-footer"' in html


@BOTH
def test_a_page_no_listing_can_reach_is_a_404_in_the_layout(client, board, language):
    """A page past the last leads to the last one (tests/briefs/test_reader.py); a page
    beyond what a database can count to is a 404, in the board's layout."""
    category = Category.objects.create(slug="energy", name_en="Energy", name_zh_hant="能源")
    make_brief("Wind", tags=("Energy",))
    assert client.get(f"/{language}/?page=99").status_code == 302
    far = "?page=" + "9" * 19
    assert_error_page(client.get(f"/{language}/{far}"), 404, language, board.name_for(language))
    response = client.get(f"/{language}/categories/{category.slug}/{far}")
    assert_error_page(response, 404, language, board.name_for(language))


@BOTH
def test_the_desk_refuses_a_reader_without_the_role_in_the_layout(client, board, language):
    client.force_login(make_user("reader"))
    response = client.get(f"/{language}/desk/")
    assert_error_page(response, 403, language, board.name_for(language))


@BOTH
def test_a_form_without_its_csrf_token_is_a_403_in_the_layout(board, language):
    response = Client(enforce_csrf_checks=True).post(
        f"/{language}/accounts/login/", {"username": "x", "password": "y"}
    )
    html = assert_error_page(response, 403, language, board.name_for(language))
    assert ("reload the page" in html) == (language == "en")
    assert ("重新整理" in html) == (language == "zh-hant")


@BOTH
def test_a_failing_view_is_a_500_rendered_without_the_database(
    board, language, monkeypatch, django_assert_num_queries
):
    from newsbrief.briefs import views

    def database_down(request):
        raise OperationalError("the database is gone")

    monkeypatch.setattr(views, "_published", database_down)
    with django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get(f"/{language}/")
    default = {"en": "Sci-Tech Newsbrief", "zh-hant": "科技簡訊"}[language]
    html = assert_error_page(response, 500, language, default)
    assert f"<title>{TEXT[language][500]} · {default}</title>" in html


def test_a_bad_request_has_the_header_too(client, db):
    response = client.get("/zh-hant/categories/a%00b/")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="zh-hant">' in html and 'role="search"' in html
