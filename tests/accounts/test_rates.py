"""Request rates on the board's pages: the search page answers the board's 429 page (in both
languages) beyond its rate, per client address (the subscription form's: tests/digest)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_search_page_is_limited_per_address(settings, unique_address):
    settings.NEWSBRIEF_THROTTLE_SEARCH = "2/min"
    reader = Client(REMOTE_ADDR=unique_address)
    assert [reader.get("/en/search/", {"q": "wind"}).status_code for _ in range(2)] == [200] * 2
    refused = reader.get("/en/search/", {"q": "wind"})
    assert refused.status_code == 429
    seconds = int(refused["Retry-After"])
    page = refused.content.decode()
    assert "Too many requests" in page
    assert f"Try again in {seconds} second" in page
    assert refused["Content-Security-Policy"]  # the board's page, with its headers
    chinese = reader.get("/zh-hant/search/", {"q": "wind"}).content.decode()
    assert "請求過多" in chinese
    assert Client(REMOTE_ADDR=unique_address + "1").get("/en/search/").status_code == 200


def test_the_address_comes_from_the_proxy_header_when_set(settings, unique_address):
    settings.NEWSBRIEF_THROTTLE_SEARCH = "1/min"
    settings.NEWSBRIEF_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    assert proxy.get("/en/search/", HTTP_X_FORWARDED_FOR=unique_address).status_code == 200
    assert proxy.get("/en/search/", HTTP_X_FORWARDED_FOR=unique_address).status_code == 429
    other = unique_address + "1"
    assert proxy.get("/en/search/", HTTP_X_FORWARDED_FOR=other).status_code == 200
