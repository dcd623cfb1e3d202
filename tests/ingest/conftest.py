"""A local HTTP server for ingestion tests: each test says what every path answers.

A route is ``(status, headers, body)`` or a callable taking the request handler and returning
one (for conditional GETs and slow answers). The server listens on 127.0.0.1 only, and every
request it receives is logged with its headers, so tests can check what ingestion sent.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.desk.conftest import users  # noqa: F401 (the desk's users in each role)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        server = self.server
        server.requests.append((self.path, dict(self.headers)))
        route = server.routes.get(self.path, (404, {}, b"not here"))
        if callable(route):
            route = route(self)
            if route is None:  # the route wrote its own answer
                return
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict = {}
        self.requests: list = []

    def handle_error(self, request, client_address):
        """The client hanging up on a huge or slow answer is what the tests expect."""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def server():
    server = Server()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def limits(settings):
    """Small limits, so the huge and slow fixtures stay quick."""
    settings.NEWSBRIEF_INGEST_TIMEOUT = 1.0
    settings.NEWSBRIEF_INGEST_MAX_BYTES = 64 * 1024
    settings.NEWSBRIEF_INGEST_MAX_REDIRECTS = 3
    return settings


def slow(seconds: float, answer):
    """A route that waits ``seconds`` before answering."""

    def route(handler):
        time.sleep(seconds)
        return answer

    return route


def trickle(chunks: int, pause: float):
    """A route that sends its body a byte at a time, each after ``pause`` seconds, so no
    single read is slow but the whole answer is."""

    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(chunks))
        handler.end_headers()
        try:
            for _ in range(chunks):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass

    return route


def conditional(etag: str, answer):
    """A route that answers 304 to a request carrying ``etag``, else ``answer`` with it."""
    status, headers, body = answer

    def route(handler):
        if handler.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return status, {**headers, "ETag": etag}, body

    return route
