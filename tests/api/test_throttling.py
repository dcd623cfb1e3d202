"""The API's request rates: per client address without a token, per token with one (writes
apart from reads), 429 with Retry-After in the error body, counted in the shared cache."""

import pytest
from django.test import Client

from newsbrief.api.throttles import Anonymous

from .conftest import error_of
from .test_writing import NEW

pytestmark = pytest.mark.django_db


def anonymous(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_anonymous_clients_are_counted_by_address(settings, unique_address, api):
    settings.NEWSBRIEF_THROTTLE_API_ANONYMOUS = "3/min"
    public = anonymous(unique_address)
    assert [public.get("/api/categories").status_code for _ in range(3)] == [200] * 3
    refused = public.get("/api/briefs")
    assert refused.status_code == 429
    seconds = int(refused["Retry-After"])
    assert 1 <= seconds <= 60
    error = error_of(refused)
    assert (error["code"], error["retry_after"]) == ("throttled", seconds)
    assert f"Try again in {seconds} second" in error["message"]
    # Every address under /api/ counts, not only the operations.
    assert public.get("/api/nothing-here").status_code == 429
    # Another address, and a client with a token from the same one, are not affected.
    assert anonymous(unique_address + "1").get("/api/categories").status_code == 200
    api["editor"].client.defaults["REMOTE_ADDR"] = unique_address
    assert api["editor"].get("/categories").status_code == 200


def test_a_token_is_counted_for_itself_and_writes_more_strictly(settings, api):
    settings.NEWSBRIEF_THROTTLE_API_WRITE = "2/min"
    settings.NEWSBRIEF_THROTTLE_API_READ = "5/min"
    editor = api["editor"]
    assert [editor.post("/briefs", NEW).status_code for _ in range(3)] == [201, 201, 429]
    # Reads have their own count.
    assert [editor.get("/briefs").status_code for _ in range(6)] == [200] * 5 + [429]
    # Another token of the same address is not affected.
    assert api["other_editor"].post("/briefs", NEW).status_code == 201


def test_the_count_is_in_the_shared_cache(settings, unique_address):
    """What one app server counted, another (here: a new throttle, with nothing of its own)
    refuses: the count lives in Django's cache (Redis in scale-out), not in the process."""
    settings.NEWSBRIEF_THROTTLE_API_ANONYMOUS = "2/min"
    public = anonymous(unique_address)
    assert public.get("/api/categories").status_code == 200
    assert public.get("/api/categories").status_code == 200
    another_server = Anonymous("NEWSBRIEF_THROTTLE_API_ANONYMOUS")
    request = public.get("/api/categories").wsgi_request
    assert not another_server.allow_request(request)


def test_off_means_no_limit(settings, unique_address):
    settings.NEWSBRIEF_THROTTLE_API_ANONYMOUS = None
    public = anonymous(unique_address)
    assert {public.get("/api/categories").status_code for _ in range(20)} == {200}


def test_the_schema_declares_429_for_every_operation(client):
    schema = client.get("/api/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations and all("429" in op["responses"] for op in operations)
