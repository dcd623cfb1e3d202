"""The fetcher's limits, against a local server: schemes, redirects, size, time, 304."""

import socket
import time

import pytest

from newsbrief.ingest.fetch import FetchError, NotModified, fetch

from .conftest import conditional, slow, trickle

# The local server is on loopback: every test here is allowed to fetch from it.
pytestmark = pytest.mark.usefixtures("allowed")


def test_a_plain_page_comes_back_with_its_headers(server):
    server.routes["/a"] = (200, {"Content-Type": "text/html; charset=big5", "ETag": '"v1"'}, b"hi")
    response = fetch(server.url("/a"))
    assert (response.body, response.content_type, response.charset) == (b"hi", "text/html", "big5")
    assert response.etag == '"v1"'
    sent = server.requests[0][1]
    assert sent["User-Agent"].startswith("newsbrief-ingest")
    assert sent["Accept-Encoding"] == "identity"


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/feed", "file:///etc/passwd", "javascript:alert(1)", "http:///x", ""]
)
def test_only_http_and_https_addresses_are_fetched(url):
    with pytest.raises(FetchError, match=r"http|host|address"):
        fetch(url)


def test_redirects_are_followed_within_the_limit(server):
    server.routes["/1"] = (302, {"Location": "/2"}, b"")
    server.routes["/2"] = (301, {"Location": server.url("/3")}, b"")
    server.routes["/3"] = (200, {}, b"arrived")
    response = fetch(server.url("/1"))
    assert (response.url, response.body) == (server.url("/3"), b"arrived")


def test_too_many_redirects_are_refused(server):
    for n in range(10):
        server.routes[f"/{n}"] = (307, {"Location": f"/{n + 1}"}, b"")
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(server.url("/0"))
    assert len(server.requests) == 4


def test_a_redirect_loop_is_named(server):
    server.routes["/a"] = (302, {"Location": "/b"}, b"")
    server.routes["/b"] = (302, {"Location": "/a"}, b"")
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(server.url("/a"))


def test_a_redirect_to_another_scheme_is_refused(server):
    server.routes["/a"] = (301, {"Location": "ftp://127.0.0.1/feed.xml"}, b"")
    with pytest.raises(FetchError, match="only http and https"):
        fetch(server.url("/a"))


def test_a_body_over_the_limit_is_refused_by_its_length(server):
    server.routes["/huge"] = (200, {}, b"x" * (64 * 1024 + 1))
    with pytest.raises(FetchError, match="over the 65,536 byte limit"):
        fetch(server.url("/huge"))


def test_a_body_over_the_limit_is_refused_without_a_length(server):
    """A server that does not say how much it sends is read only up to the limit."""

    def endless(handler):
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b"x" * 4096)
        except OSError:
            pass

    server.routes["/endless"] = endless
    with pytest.raises(FetchError, match="byte limit"):
        fetch(server.url("/endless"))


def test_a_body_exactly_at_the_limit_is_read(server):
    server.routes["/full"] = (200, {}, b"x" * (64 * 1024))
    assert len(fetch(server.url("/full")).body) == 64 * 1024


def test_a_slow_server_times_out(server):
    server.routes["/slow"] = slow(3, (200, {}, b"late"))
    started = time.monotonic()
    with pytest.raises(FetchError, match="within 1 seconds"):
        fetch(server.url("/slow"))
    assert time.monotonic() - started < 2


def test_a_trickling_server_times_out_as_a_whole(server):
    """Each byte arrives within the timeout, the whole answer does not."""
    server.routes["/trickle"] = trickle(20, 0.2)
    started = time.monotonic()
    with pytest.raises(FetchError, match="within"):
        fetch(server.url("/trickle"))
    assert time.monotonic() - started < 2


def test_a_closed_port_is_told_without_the_system_s_words(settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        port = closed.getsockname()[1]
        settings.NEWSBRIEF_INGEST_ALLOW = [f"127.0.0.1:{port}"]
        with pytest.raises(FetchError, match=r"could not fetch .*: no connection to the server$"):
            fetch(f"http://127.0.0.1:{port}/x")


def test_an_error_status_is_named(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server.url("/missing"))


def test_conditional_get_answers_not_modified(server):
    server.routes["/feed"] = conditional('"abc"', (200, {}, b"<rss/>"))
    first = fetch(server.url("/feed"))
    assert first.etag == '"abc"'
    with pytest.raises(NotModified):
        fetch(server.url("/feed"), etag=first.etag, last_modified="Tue, 05 Mar 2024 08:00:00 GMT")
    assert server.requests[1][1]["If-None-Match"] == '"abc"'
    assert server.requests[1][1]["If-Modified-Since"] == "Tue, 05 Mar 2024 08:00:00 GMT"


def test_a_304_to_an_unconditional_request_is_an_error(server):
    server.routes["/odd"] = (304, {}, b"")
    with pytest.raises(FetchError, match="HTTP 304"):
        fetch(server.url("/odd"))
