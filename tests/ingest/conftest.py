"""A local HTTP server for ingestion tests, and a resolver that never leaves the machine.

A route is ``(status, headers, body)`` or a callable taking the request handler and returning
one (for conditional GETs and slow answers). The server listens on 127.0.0.1 only, and every
request it receives is logged with its headers, so tests can check what ingestion sent.
Ingestion refuses loopback addresses, so a test that fetches from the server asks for it
through ``allowed`` (``NEWSBRIEF_INGEST_ALLOW`` naming the server's address and port).

Every test resolves names through ``resolver`` (autouse): addresses and ``localhost`` go to
the system's resolver, which answers them without asking anyone; the names a test gives
answers for get those; any other name is not found. So no test reaches beyond loopback.
"""

import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


# A certificate for feed.example (and its key), self-signed, valid for a hundred years.
CERTIFICATE = Path(__file__).with_name("tls") / "feed.example.pem"


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: bool = False):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict = {}
        self.requests: list = []
        self.server_names: list = []  # the names TLS clients asked for (SNI)
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(CERTIFICATE)
            context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
            self.socket = context.wrap_socket(self.socket, server_side=True)

    def handle_error(self, request, client_address):
        """The client hanging up on a huge or slow answer is what the tests expect."""

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def serve(tls: bool = False):
    server = Server(tls)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def server():
    yield from serve()


@pytest.fixture
def tls_server(monkeypatch):
    """A server speaking TLS as feed.example, which fetches trust (instead of the system's
    certificate authorities)."""
    trusting = lambda: ssl.create_default_context(cafile=CERTIFICATE)  # noqa: E731
    monkeypatch.setattr(ssl, "_create_default_https_context", trusting)
    yield from serve(tls=True)


@pytest.fixture
def allowed(server, settings):
    """The server, which ingestion may fetch from: its address and port are allowed."""
    settings.NEWSBRIEF_INGEST_ALLOW = [f"127.0.0.1:{server.port}"]
    return server


class Resolver:
    """``socket.getaddrinfo`` for tests: ``answers`` maps a name to its addresses, or to a
    callable giving them at each lookup; ``lookups`` lists the names asked for."""

    def __init__(self, system):
        self.system = system
        self.answers: dict = {"example.org": ["93.184.215.14"]}
        self.lookups: list[str] = []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        self.lookups.append(host)
        answer = self.answers.get(host)
        if answer is None:
            if host != "localhost" and not _is_address(host):
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return self.system(host, port, family, type, proto, flags)
        addresses = answer() if callable(answer) else answer
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in addresses
        ]


def _is_address(host: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host.split("%")[0])
    except OSError:
        return False
    return True


@pytest.fixture(autouse=True)
def resolver(monkeypatch):
    resolver = Resolver(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver


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
