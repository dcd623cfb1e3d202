"""Fetching a source or an article over HTTP, within hard limits.

Everything ingestion reads from the world comes through ``fetch``. It speaks HTTP/1.1 through
``http.client`` so that every limit is ours to enforce, whatever the server does:

- only ``http`` and ``https`` addresses, checked again for every redirect;
- at most ``NEWSBRIEF_INGEST_MAX_REDIRECTS`` redirects;
- one deadline (``NEWSBRIEF_INGEST_TIMEOUT`` seconds) for the whole exchange, redirects and a
  server that trickles its answer included, not only for each socket operation;
- at most ``NEWSBRIEF_INGEST_MAX_BYTES`` of body: a larger ``Content-Length`` is refused before
  reading, and reading stops one byte past the limit when the server does not say;
- no compression (``Accept-Encoding: identity``), so the byte limit is the size in memory;
- a conditional GET with the ETag and Last-Modified stored from the last fetch: a ``304``
  is ``NotModified``, not an error.

Addresses are not otherwise restricted: an editor who registers a source on the local network
means to fetch it (the tests serve theirs on loopback). Any failure is a ``FetchError`` whose
message says what went wrong in words an editor can act on.
"""

from __future__ import annotations

import dataclasses
import http.client
import socket
import time
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
URL_SAFE = "/%:@!$&'()*+,;=-._~"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml, text/xml, "
    "text/html;q=0.9, */*;q=0.5"
)


class FetchError(Exception):
    """A fetch that gave nothing usable; the message is for the editor's desk and the log."""


class NotModified(Exception):
    """The server answered ``304``: nothing changed since the stored validators."""


@dataclasses.dataclass(frozen=True)
class Response:
    url: str
    body: bytes
    content_type: str = ""
    charset: str | None = None
    etag: str = ""
    last_modified: str = ""


def check_url(url: str) -> None:
    """``FetchError`` unless ``url`` is an absolute http(s) address with a host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        raise FetchError(f"not a valid address: {url[:200]!r} ({exc})") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise FetchError(f"only http and https addresses are fetched, not {url[:200]!r}")
    if not host:
        raise FetchError(f"the address has no host: {url[:200]!r}")


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Response:
    """GET ``url`` following redirects within the limits above; ``NotModified`` on a 304 to
    the conditional request, ``FetchError`` on anything else that is not a 200."""
    deadline = time.monotonic() + settings.NEWSBRIEF_INGEST_TIMEOUT
    limit = settings.NEWSBRIEF_INGEST_MAX_REDIRECTS
    # The stored validators came from the end of the redirect chain, so every hop carries them.
    conditional = {
        k: v for k, v in {"If-None-Match": etag, "If-Modified-Since": last_modified}.items() if v
    }
    seen = []
    while True:
        check_url(url)
        seen.append(url)
        try:
            status, reason, reply, body = _get(url, conditional, deadline)
        except TimeoutError:
            raise FetchError(
                f"no complete answer from {urlsplit(url).hostname} within "
                f"{settings.NEWSBRIEF_INGEST_TIMEOUT:g} seconds"
            ) from None
        except (OSError, http.client.HTTPException, UnicodeError) as exc:
            raise FetchError(f"could not fetch {url[:200]}: {exc or type(exc).__name__}") from None
        if status == 304 and conditional:
            raise NotModified(url)
        if status in REDIRECTS and reply.get("Location"):
            target = urljoin(url, reply["Location"].strip())
            if target in seen:
                raise FetchError(f"redirect loop: {url[:200]} leads back to {target[:200]}")
            if len(seen) > limit:
                raise FetchError(f"more than {limit} redirects, the last to {target[:200]}")
            url = target
            continue
        if status != 200:
            raise FetchError(f"{url[:200]} answered HTTP {status} {reason}".strip())
        return Response(
            url=url,
            body=body,
            content_type=reply.get_content_type(),
            charset=reply.get_content_charset(),
            etag=reply.get("ETag", ""),
            last_modified=reply.get("Last-Modified", ""),
        )


def _get(url: str, headers: dict, deadline: float) -> tuple[int, str, Message, bytes]:
    """One GET: status, reason, headers and the body (read only for a 200)."""
    parts = urlsplit(url)
    host = parts.hostname.encode("idna").decode("ascii")
    https = parts.scheme.lower() == "https"
    connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
    connection = connection_class(host, parts.port, timeout=_left(deadline))
    target = quote(parts.path or "/", safe=URL_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=URL_SAFE + "?")
    try:
        connection.request(
            "GET",
            target,
            headers={
                "User-Agent": settings.NEWSBRIEF_INGEST_USER_AGENT,
                "Accept": ACCEPT,
                "Accept-Encoding": "identity",
                **headers,
            },
        )
        sock = connection.sock
        sock.settimeout(_left(deadline))
        response = connection.getresponse()
        body = _read(response, sock, deadline) if response.status == 200 else b""
        return response.status, response.reason, response.msg, body
    finally:
        connection.close()


def _read(response: http.client.HTTPResponse, sock: socket.socket, deadline: float) -> bytes:
    limit = settings.NEWSBRIEF_INGEST_MAX_BYTES
    too_large = FetchError(f"the answer is over the {limit:,} byte limit")
    if response.length is not None and response.length > limit:
        raise too_large
    chunks, size = [], 0
    while True:
        sock.settimeout(_left(deadline))
        # read1: one receive at most, so a server that trickles meets the deadline.
        chunk = response.read1(min(CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise too_large


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left
