"""Every setting newsbrief reads from the environment, declared once: its variable, how its
value is read, its default and what it does. ``settings.py`` takes its values from here,
README.md's configuration table lists the same settings (tests/test_settings.py checks both
ways), and nothing else in the product reads the environment.

An unset or empty variable gets the default; a value that does not parse stops the program
at start-up with a message naming the variable. A default may be computed from the settings
declared before it (``NEWSBRIEF_DATA_DIR``'s subdirectories, debug-mode defaults).

This module is imported by ``settings.py``: it must not use ``django.conf.settings``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# --- how values are read: each returns the value or raises ValueError("what it must be") ---


def text(value: str) -> str:
    return value


def flag(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("1, true, yes or on (or 0, false, no or off)")


def integer(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < minimum:
            raise ValueError(f"a whole number, at least {minimum}")
        return number

    return parse


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise ValueError("a number of seconds above 0")
    return number


def share(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:
        raise ValueError("a number from 0 to 1")
    return number


def choice(*options: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in options:
            raise ValueError("one of " + ", ".join(options))
        return value.lower()

    return parse


def comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


_RATE = re.compile(r"(\d+)/(\d*)(s|sec|m|min|h|hour|d|day)")


def rate(value: str) -> str | None:
    """``120/min`` (``s``, ``m``, ``h``, ``d`` or ``sec``, ``min``, ``hour``, ``day``, after an
    optional number: ``10/5m``), as django-ninja's throttles read it; ``off``: None."""
    if value.lower() == "off":
        return None
    match = _RATE.fullmatch(value)
    if match is None or int(match[1]) < 1 or match[2] == "0":
        raise ValueError("a rate such as 120/min (or off)")
    return value


def path(value: str) -> Path:
    return Path(value)


def time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise ValueError("a time zone name such as Asia/Taipei or UTC") from None
    return value


def base_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("an http:// or https:// address")
    return value.rstrip("/")


# A host name as ingestion's allow-list takes it (ASCII; a Unicode name is given as IDNA),
# and the last label that makes a host a number (an IPv4 address in some form) instead.
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+", re.IGNORECASE)


@dataclass(frozen=True)
class Allowance:
    """One entry of ``NEWSBRIEF_INGEST_ALLOW``: a host name or a network (an address is a
    network of one), on one port or, without a port, on any."""

    host: str = ""
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    port: int | None = None


def allowance(entry: str) -> Allowance:
    """``intranet.example``, ``10.1.2.3:8080``, ``10.0.0.0/8``, ``fd00::/8``, ``[fd00::1]:8080``."""
    text, port = entry.strip().lower(), ""
    bracketed = text.startswith("[")
    if bracketed:
        text, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"not a host, address or network: {entry!r}")
            port = rest[1:]
    elif text.count(":") == 1:
        text, port = text.split(":")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"not a port: {entry!r}")
    port_number = int(port) if port else None
    try:
        return Allowance(network=ipaddress.ip_network(text, strict=False), port=port_number)
    except ValueError:
        pass
    name = text.rstrip(".")
    if bracketed or not HOST_NAME.fullmatch(name) or NUMERIC_LABEL.fullmatch(name.split(".")[-1]):
        raise ValueError(f"not a host, address or network: {entry!r}")
    return Allowance(host=name, port=port_number)


def allow_list(value: str) -> list[str]:
    entries = comma_list(value)
    try:
        for entry in entries:
            allowance(entry)
    except ValueError as error:
        raise ValueError(
            "comma-separated host names, addresses or networks, each optionally with :port "
            f"({error})"
        ) from None
    return entries


def under_data_dir(name: str) -> Callable[[Mapping[str, Any]], Path]:
    def default(values: Mapping[str, Any]) -> Path:
        return values["NEWSBRIEF_DATA_DIR"] / name

    return default


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    parse: Callable[[str], Any]
    default: Any  # the value when unset or empty; a callable: computed from earlier settings
    description: str  # one line
    shown_default: str  # the default as README.md's table shows it
    secret: bool = False  # never repeat the value in a message

    def read(self, environ: Mapping[str, str], values: Mapping[str, Any]) -> Any:
        raw = environ.get(self.name, "").strip()
        if not raw:
            return self.default(values) if callable(self.default) else self.default
        try:
            return self.parse(raw)
        except ValueError as error:
            shown = "" if self.secret else f", not {raw!r}"
            raise ImproperlyConfigured(f"{self.name} must be {error}{shown}") from None


SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"

SETTINGS: list[Setting] = [
    # The installation
    Setting(
        "NEWSBRIEF_DEBUG",
        flag,
        False,
        "debug mode: a throwaway secret key, mail on the console (`make run` sets it)",
        "off",
    ),
    Setting(
        "NEWSBRIEF_DATA_DIR",
        lambda value: Path(value).resolve(),
        lambda values: Path("var").resolve(),
        "where the SQLite database, the search index, stored pages and static files live",
        "`./var`",
    ),
    Setting(
        "NEWSBRIEF_SECRET_KEY",
        text,
        "",
        "Django's secret key (`newsbrief check` reports it missing outside debug mode)",
        "none: required unless debugging",
        secret=True,
    ),
    Setting(
        "DATABASE_URL",
        text,
        lambda values: f"sqlite:///{values['NEWSBRIEF_DATA_DIR'] / 'newsbrief.sqlite3'}",
        "`sqlite:///...` (WAL mode) or `postgres://user@host:port/db`",
        "`sqlite:///$NEWSBRIEF_DATA_DIR/newsbrief.sqlite3`",
        secret=True,
    ),
    Setting(
        "NEWSBRIEF_REPLICA_URLS",
        comma_list,
        [],
        "comma-separated read replicas of a PostgreSQL primary",
        "unset",
        secret=True,
    ),
    Setting(
        "NEWSBRIEF_ALLOWED_HOSTS",
        comma_list,
        lambda values: ["localhost", "127.0.0.1", "[::1]"] if values["NEWSBRIEF_DEBUG"] else [],
        "comma-separated host names the board answers to",
        "`localhost,127.0.0.1,[::1]` in debug, else none",
    ),
    Setting(
        "NEWSBRIEF_TIME_ZONE",
        time_zone,
        "Asia/Taipei",
        "the board's local time: pages show it and imports read it",
        "`Asia/Taipei`",
    ),
    # Reading and searching
    Setting(
        "NEWSBRIEF_PAGE_SIZE",
        integer(1),
        20,
        "briefs per listing page (and search results per page)",
        "`20`",
    ),
    Setting(
        "NEWSBRIEF_SEARCH_BACKEND",
        choice("tantivy", "postgres"),
        "",
        "`tantivy` (embedded, on local disk) or `postgres` (in a PostgreSQL database)",
        "`postgres` on PostgreSQL, else `tantivy`",
    ),
    Setting(
        "NEWSBRIEF_SEARCH_PATH",
        path,
        under_data_dir("search"),
        "the tantivy index's directory",
        "`$NEWSBRIEF_DATA_DIR/search`",
    ),
    Setting(
        "NEWSBRIEF_SEARCH_CANDIDATES",
        integer(1),
        5000,
        "PostgreSQL backend: the most matches of one query it ranks (the newest)",
        "`5000`",
    ),
    Setting(
        "NEWSBRIEF_SEARCH_TIMEOUT_MS",
        integer(0),
        1000,
        "PostgreSQL backend: a slower ranking is answered unranked, newest first (0: no limit)",
        "`1000`",
    ),
    Setting(
        "NEWSBRIEF_RELATED_EMBEDDINGS",
        flag,
        True,
        "rank related messages with the embedding model too (off: words, names, tags, dates)",
        "on",
    ),
    Setting(
        "NEWSBRIEF_RELATED_ON_PUBLISH",
        integer(0),
        5,
        "how many related messages publishing stores, after the editors' choices",
        "`5`",
    ),
    Setting(
        "NEWSBRIEF_RELATED_PATH",
        path,
        under_data_dir("related"),
        "this machine's copy of the related index's snapshots; the evaluation's embedding cache",
        "`$NEWSBRIEF_DATA_DIR/related`",
    ),
    # Serving
    Setting(
        "NEWSBRIEF_STATIC_ROOT",
        path,
        under_data_dir("static"),
        "where `serve` collects the static files (hashed names, gzip and brotli copies)",
        "`$NEWSBRIEF_DATA_DIR/static`",
    ),
    Setting(
        "NEWSBRIEF_CACHE_URL",
        text,
        "",
        "empty for this process's memory, or `redis://host:6379/0` (`rediss://`) to share",
        "empty: this process's memory",
    ),
    Setting(
        "NEWSBRIEF_CACHE_PREFIX",
        text,
        "newsbrief",
        "prefix of every cache key (boards sharing one Redis)",
        "`newsbrief`",
    ),
    Setting(
        "NEWSBRIEF_PAGES_STORE",
        choice("files", "cache", "off"),
        "files",
        "where rendered pages are kept: `files`, `cache` (the shared cache) or `off`",
        "`files`",
    ),
    Setting(
        "NEWSBRIEF_PAGES_PATH",
        path,
        under_data_dir("pages"),
        "the `files` page store's directory",
        "`$NEWSBRIEF_DATA_DIR/pages`",
    ),
    Setting(
        "NEWSBRIEF_MEDIA_ROOT",
        path,
        under_data_dir("media"),
        "where uploaded pictures and their sizes are kept, served at `/media/` (one shared "
        "directory for every app server when scaling out)",
        "`$NEWSBRIEF_DATA_DIR/media`",
    ),
    Setting(
        "NEWSBRIEF_PICTURE_MAX_BYTES",
        integer(1),
        10 * 2**20,
        "the largest picture file an upload or import accepts",
        "`10485760` (10 MiB)",
    ),
    Setting(
        "NEWSBRIEF_PICTURE_MAX_PIXELS",
        integer(1),
        40_000_000,
        "the most pixels (width × height) a picture may have; larger ones are refused "
        "unopened, as decompression bombs",
        "`40000000`",
    ),
    Setting(
        "NEWSBRIEF_ENTITY_MIN_CONFIDENCE",
        share,
        0.6,
        "how sure the extractor must be of a proposed country, organization or field for "
        "readers to see it (and the facets and timelines to count it) before an editor decides",
        "`0.6`",
    ),
    Setting(
        "NEWSBRIEF_FACET_ENTITIES",
        integer(0),
        6,
        "countries, organizations and fields each that a listing's facets show (`0`: no facets)",
        "`6`",
    ),
    Setting(
        "NEWSBRIEF_WORKERS",
        integer(0),
        0,
        "`serve`'s worker processes (0: one per core, at least 2)",
        "one per core (at least 2)",
    ),
    Setting(
        "NEWSBRIEF_THREADS",
        integer(1),
        2,
        "`serve`'s request threads per worker process",
        "`2`",
    ),
    Setting(
        "NEWSBRIEF_SECURE_COOKIES",
        flag,
        True,
        "session and CSRF cookies only over HTTPS (outside debug mode)",
        "on",
    ),
    Setting(
        "NEWSBRIEF_SSL_REDIRECT",
        flag,
        True,
        "redirect plain HTTP to HTTPS (outside debug mode)",
        "on",
    ),
    Setting(
        "NEWSBRIEF_HSTS_SECONDS",
        integer(0),
        31536000,
        "how long browsers keep to HTTPS, the Strict-Transport-Security header (outside debug)",
        "`31536000` (one year)",
    ),
    Setting(
        "NEWSBRIEF_CLIENT_IP_HEADER",
        text,
        "",
        "behind a proxy, the request header with the client's address, e.g. HTTP_X_FORWARDED_FOR",
        "unset",
    ),
    # Request rates, counted in the cache (shared by every app server when it is Redis)
    Setting(
        "NEWSBRIEF_THROTTLE_API_ANONYMOUS",
        rate,
        "60/min",
        "API requests one client address may make without a token (`off`: no limit)",
        "`60/min`",
    ),
    Setting(
        "NEWSBRIEF_THROTTLE_API_READ",
        rate,
        "600/min",
        "API reads one token may make (`off`: no limit)",
        "`600/min`",
    ),
    Setting(
        "NEWSBRIEF_THROTTLE_API_WRITE",
        rate,
        "60/min",
        "API writes (create, edit, submit, publish ...) one token may make (`off`: no limit)",
        "`60/min`",
    ),
    Setting(
        "NEWSBRIEF_THROTTLE_SEARCH",
        rate,
        "60/min",
        "search pages one client address may ask for (`off`: no limit)",
        "`60/min`",
    ),
    Setting(
        "NEWSBRIEF_THROTTLE_SUBSCRIBE",
        rate,
        "10/hour",
        "digest subscriptions (each sends a mail) one client address may ask for (`off`: no limit)",
        "`10/hour`",
    ),
    # Background work (`newsbrief worker`)
    Setting(
        "NEWSBRIEF_WORKER_THREADS",
        integer(1),
        2,
        "`newsbrief worker`'s threads: how many tasks it runs at once",
        "`2`",
    ),
    Setting(
        "NEWSBRIEF_DIGEST_INTERVAL",
        integer(1),
        15,
        "minutes between the worker's looks for due e-mail digests",
        "`15`",
    ),
    # Mail
    Setting(
        "NEWSBRIEF_EMAIL_BACKEND",
        text,
        lambda values: CONSOLE if values["NEWSBRIEF_DEBUG"] else SMTP,
        "Django's e-mail backend (dotted path)",
        "SMTP; the console in debug",
    ),
    Setting(
        "NEWSBRIEF_EMAIL_HOST",
        text,
        "localhost",
        "the SMTP server for password resets and digests",
        "`localhost`",
    ),
    Setting("NEWSBRIEF_EMAIL_PORT", integer(1), 25, "the SMTP server's port", "`25`"),
    Setting("NEWSBRIEF_EMAIL_USER", text, "", "the SMTP user name", "unset"),
    Setting("NEWSBRIEF_EMAIL_PASSWORD", text, "", "the SMTP user's password", "unset", secret=True),
    Setting("NEWSBRIEF_EMAIL_TLS", flag, False, "talk to the SMTP server over TLS", "off"),
    Setting(
        "NEWSBRIEF_FROM_EMAIL",
        text,
        "newsbrief@localhost",
        "the sender of the board's mail",
        "`newsbrief@localhost`",
    ),
    Setting(
        "NEWSBRIEF_ADMINS",
        comma_list,
        [],
        "comma-separated addresses that get a mail for each server error and failed task",
        "unset: errors go to the log (stderr) only",
    ),
    Setting(
        "NEWSBRIEF_LOG_LEVEL",
        choice("debug", "info", "warning", "error"),
        "info",
        "the least severe of the board's own log messages written to stderr",
        "`info`",
    ),
    Setting(
        "NEWSBRIEF_BASE_URL",
        base_url,
        "http://127.0.0.1:8000",
        "the board's public address (scheme and host): links in e-mail, canonical addresses, "
        "language alternates, link previews, sitemap.xml and robots.txt",
        "`http://127.0.0.1:8000`",
    ),
    # Ingestion (`newsbrief ingest`, src/newsbrief/ingest/README.md)
    Setting(
        "NEWSBRIEF_INGEST_TIMEOUT",
        seconds,
        10.0,
        "seconds for one whole fetch, redirects included",
        "`10`",
    ),
    Setting(
        "NEWSBRIEF_INGEST_MAX_BYTES",
        integer(1),
        5 * 2**20,
        "the largest body a fetch reads",
        "`5242880` (5 MiB)",
    ),
    Setting(
        "NEWSBRIEF_INGEST_MAX_REDIRECTS",
        integer(0),
        5,
        "redirects followed per fetch",
        "`5`",
    ),
    Setting(
        "NEWSBRIEF_INGEST_MAX_ENTRIES",
        integer(1),
        50,
        "feed entries handled per source per run",
        "`50`",
    ),
    Setting(
        "NEWSBRIEF_INGEST_USER",
        text,
        "ingest",
        "the account that authors ingested drafts (made on demand, cannot sign in)",
        "`ingest`",
    ),
    Setting(
        "NEWSBRIEF_INGEST_INTERVAL",
        integer(1),
        30,
        "minutes between two fetches of one source by the worker",
        "`30`",
    ),
    Setting(
        "NEWSBRIEF_INGEST_ALLOW",
        allow_list,
        [],
        "comma-separated host names, addresses or networks (each optionally with `:port`) "
        "ingestion may fetch although they are internal or on another port than 80 and 443",
        "unset: public addresses on ports 80 and 443 only",
    ),
    Setting(
        "NEWSBRIEF_INGEST_USER_AGENT",
        text,
        "newsbrief-ingest/0.1",
        "the User-Agent a fetch sends",
        "`newsbrief-ingest/0.1`",
    ),
]

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def read(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting's value, by variable name, from ``environ`` (default: the process's)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        values[setting.name] = setting.read(environ, values)
    return values
