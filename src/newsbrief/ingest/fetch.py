"""Fetching a source or an article over HTTP, within hard limits, from public addresses only.

Everything ingestion reads from the world comes through ``fetch``. It speaks HTTP/1.1 through
``http.client`` so that every limit is ours to enforce, whatever the server does:

- only ``http`` and ``https`` addresses, checked again for every redirect;
- only addresses outside the server's own networks (``check_url``, below), checked at
  registration, for every redirect and for every feed entry's article;
- at most ``NEWSBRIEF_INGEST_MAX_REDIRECTS`` redirects;
- one deadline (``NEWSBRIEF_INGEST_TIMEOUT`` seconds) for the whole exchange, redirects and a
  server that trickles its answer included, not only for each socket operation;
- at most ``NEWSBRIEF_INGEST_MAX_BYTES`` of body: a larger ``Content-Length`` is refused before
  reading, and reading stops one byte past the limit when the server does not say;
- no compression (``Accept-Encoding: identity``), so the byte limit is the size in memory;
- a conditional GET with the ETag and Last-Modified stored from the last fetch: a ``304``
  is ``NotModified``, not an error.

Addresses come from strangers (a feed names its entries' pages, a server its redirects) and
the server fetching them sits inside a network: unchecked, ``http://127.0.0.1:8080/`` or
``http://169.254.169.254/`` would turn internal pages into drafts, and the errors would tell
which internal ports answer. So ``check_url`` resolves the name once, itself, and refuses it
unless every address it resolves to is public (not loopback, private, link-local,
unique-local, shared, multicast, unspecified, reserved or for documentation, nor the
IPv4-mapped, 6to4 or NAT64 form of one of those) and the port is 80 or 443; it also refuses a
user name in the address, and numeric hosts in the forms a resolver reads but a reader does
not (``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``). ``NEWSBRIEF_INGEST_ALLOW``
names the exceptions: intranet hosts or networks, and other ports. The connection then goes
to the addresses checked, never to a second resolution of the name (which could answer an
internal address the second time), while ``Host`` and TLS (SNI, the certificate's name) use
the name.

Any failure is a ``FetchError`` whose message says what went wrong in words an editor can act
on; a ``Refused`` address was never connected to, and for addresses that were, connection
failures are told coarsely ("no connection"), never as the system's error.
"""

from __future__ import annotations

import dataclasses
import http.client
import ipaddress
import re
import socket
import ssl
import time
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from newsbrief.conf import NUMERIC_LABEL, allowance

REDIRECTS = {301, 302, 303, 307, 308}
PORTS = {80, 443}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAME = re.compile(r"[a-z0-9_.-]+", re.IGNORECASE)  # what a host name is made of, after IDNA
CHUNK = 64 * 1024
URL_SAFE = "/%:@!$&'()*+,;=-._~"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml, text/xml, "
    "text/html;q=0.9, */*;q=0.5"
)


class FetchError(Exception):
    """A fetch that gave nothing usable; the message is for the editor's desk and the log."""


class Refused(FetchError):
    """An address ingestion does not fetch; nothing was sent to it."""


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


@dataclasses.dataclass(frozen=True)
class Target:
    """Where a request goes: the name (for ``Host`` and TLS) and every address it resolved to,
    each checked."""

    host: str
    port: int
    https: bool
    addresses: tuple[tuple[socket.AddressFamily, tuple], ...]


def check_url(url: str) -> Target:
    """Where ``url`` may be fetched from; ``Refused`` unless it is an http(s) address of a
    public host on port 80 or 443 (or one ``NEWSBRIEF_INGEST_ALLOW`` names), ``FetchError``
    when the name is not found. The name is resolved here, once."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"}:
        raise Refused(_("Refused: only http and https addresses are fetched."))
    if not host:
        raise Refused(_("Refused: the address has no host."))
    if "@" in parts.netloc:
        raise Refused(_("Refused: the address carries a user name or password."))
    host = host.rstrip(".")
    name = _host_name(host)
    https = parts.scheme.lower() == "https"
    port = port or (443 if https else 80)
    allowed = [allowance(entry) for entry in settings.NEWSBRIEF_INGEST_ALLOW]
    if port not in PORTS and all(entry.port not in (None, port) for entry in allowed):
        raise Refused(_("Refused: only ports 80 and 443 are fetched."))
    named = any(entry.host == name and entry.port in (None, port) for entry in allowed)

    def admit(ip) -> None:
        if named or any(
            entry.network is not None and ip in entry.network and entry.port in (None, port)
            for entry in allowed
        ):
            return
        if not _public(ip):
            raise Refused(_("Refused: %(host)s is not a public address.") % {"host": host})
        if port not in PORTS:
            raise Refused(_("Refused: only ports 80 and 443 are fetched."))

    try:
        literal = _unmapped(ipaddress.ip_address(name))
    except ValueError:
        literal = None
    if literal is not None:
        admit(literal)  # refused before any lookup
    try:
        found = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        found = []
    addresses = []
    for family, _type, _proto, _name, sockaddr in found:
        ip = _unmapped(ipaddress.ip_address(sockaddr[0]))
        admit(ip)
        if ip.version == 4:
            family, sockaddr = socket.AF_INET, (str(ip), port)
        if (family, sockaddr) not in addresses:
            addresses.append((family, sockaddr))
    if not addresses:
        raise FetchError(_("Could not fetch: the host %(host)s was not found.") % {"host": host})
    return Target(host=name, port=port, https=https, addresses=tuple(addresses))


def _host_name(host: str) -> str:
    """``host`` as the resolver and ``Host`` take it; ``Refused`` for a host that is no name
    nor a plain address (a number in one of the forms only resolvers read)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        name = host.encode("idna").decode("ascii")
    except UnicodeError:
        name = ""
    if not NAME.fullmatch(name) or NUMERIC_LABEL.fullmatch(name.rsplit(".", 1)[-1]):
        raise Refused(_("Refused: %(host)s is not a valid host.") % {"host": host[:200]})
    return name


def _unmapped(ip: ipaddress.IPv4Address | ipaddress.IPv6Address):
    """An IPv4-mapped IPv6 address (``::ffff:127.0.0.1``) as the IPv4 address it reaches."""
    return (ip.version == 6 and ip.ipv4_mapped) or ip


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``ip`` is on the internet at large; for the IPv6 forms that carry an IPv4
    address (6to4, NAT64), whether that address is."""
    if ip.version == 6:
        carried = ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None
        )
        if carried is not None:
            return _public(carried)
        if ip.is_site_local:
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


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
        target = check_url(url)
        seen.append(url)
        try:
            status, reason, reply, body = _get(target, url, conditional, deadline)
        except TimeoutError:
            raise FetchError(
                f"no complete answer from {target.host} within "
                f"{settings.NEWSBRIEF_INGEST_TIMEOUT:g} seconds"
            ) from None
        except (OSError, http.client.HTTPException, UnicodeError):
            raise FetchError(
                f"could not fetch {url[:200]}: the answer broke off or is not HTTP"
            ) from None
        if status == 304 and conditional:
            raise NotModified(url)
        if status in REDIRECTS and reply.get("Location"):
            location = urljoin(url, reply["Location"].strip())
            if location in seen:
                raise FetchError(f"redirect loop: {url[:200]} leads back to {location[:200]}")
            if len(seen) > limit:
                raise FetchError(f"more than {limit} redirects, the last to {location[:200]}")
            url = location
            continue
        if status != 200:
            raise FetchError(f"{url[:200]} answered HTTP {status} {reason[:100]}".strip())
        return Response(
            url=url,
            body=body,
            content_type=reply.get_content_type(),
            charset=reply.get_content_charset(),
            etag=reply.get("ETag", ""),
            last_modified=reply.get("Last-Modified", ""),
        )


class _Pinned(http.client.HTTPConnection):
    """A connection to the addresses ``check_url`` checked, whatever the name would resolve
    to now; ``Host`` (and, below, TLS) still use the name."""

    target: Target
    deadline: float

    def connect(self):
        self.sock = open_connection(self.target.addresses, self.deadline)


class _PinnedTLS(http.client.HTTPSConnection, _Pinned):
    """TLS over the pinned socket: SNI and the certificate check use the name."""


def open_connection(addresses, deadline: float) -> socket.socket:
    """A socket connected to the first of ``addresses`` (all checked) that takes it."""
    error = None
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(_left(deadline))
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            error = exc
        else:
            return sock
    raise error


def _get(
    target: Target, url: str, headers: dict, deadline: float
) -> tuple[int, str, Message, bytes]:
    """One GET: status, reason, headers and the body (read only for a 200)."""
    parts = urlsplit(url)
    connection = (_PinnedTLS if target.https else _Pinned)(
        target.host, target.port, timeout=_left(deadline)
    )
    connection.target, connection.deadline = target, deadline
    path = quote(parts.path or "/", safe=URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=URL_SAFE + "?")
    try:
        _connect(connection, url)
        connection.request(
            "GET",
            path,
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


def _connect(connection: _Pinned, url: str) -> None:
    """Connect (and shake hands), telling failures in words, not the system's."""
    try:
        connection.connect()
    except TimeoutError:
        raise
    except ssl.SSLCertVerificationError:
        raise FetchError(
            f"could not fetch {url[:200]}: the server's certificate is not valid for "
            f"{connection.target.host}"
        ) from None
    except ssl.SSLError:
        raise FetchError(f"could not fetch {url[:200]}: the secure connection failed") from None
    except OSError:
        raise FetchError(f"could not fetch {url[:200]}: no connection to the server") from None


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
