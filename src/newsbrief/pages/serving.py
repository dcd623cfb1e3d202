"""``newsbrief serve``'s fast path: a WSGI wrapper that answers an anonymous GET of a stored
page before Django starts on it, with the headers Django would send (what nginx does with the
``try_files`` configuration in the README, for a board served without a front server).

A hit costs a ``stat`` and dictionary lookups: each process keeps the pages it served in
memory with their headers, and checks the store's version of the page (for files: inode,
mtime, size) on every request, so an invalidated page is never answered.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from functools import lru_cache

from django.conf import settings
from django.http import parse_cookie
from django.http.request import split_domain_port, validate_host

from .middleware import anonymous_get
from .store import get_store

MEMORY_PAGES = 2048  # per process


def page_headers() -> list[tuple[str, str]]:
    """What every stored page is sent with, besides its language, length and ETag: the
    security headers of ``SecurityMiddleware``, ``SecurityHeadersMiddleware`` and
    ``XFrameOptionsMiddleware``, and ``no-cache`` so that browsers revalidate (cheaply,
    by ETag) and never show a page older than the last edit."""
    csp = "; ".join(" ".join([d, *s]) for d, s in settings.NEWSBRIEF_CSP.items())
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-cache"),
        ("Vary", "Accept-Language, Cookie, Accept-Encoding"),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        ("Content-Security-Policy", csp),
        ("Permissions-Policy", settings.NEWSBRIEF_PERMISSIONS_POLICY),
    ]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return headers


@lru_cache(maxsize=256)
def _allowed(http_host: str) -> bool:
    host, _port = split_domain_port(http_host)
    return bool(host) and validate_host(host, settings.ALLOWED_HOSTS)


class StoredPages:
    """Wraps the Django WSGI application; anything it does not answer goes to Django."""

    def __init__(self, application):
        self.application = application
        self.headers = page_headers()
        self.languages = {code for code, _name in settings.LANGUAGES}
        hsts = settings.SECURE_HSTS_SECONDS
        self.hsts = (
            f"max-age={hsts}"
            + ("; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else "")
            + ("; preload" if settings.SECURE_HSTS_PRELOAD else "")
            if hsts
            else ""
        )
        self.memory: OrderedDict = OrderedDict()
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT

    def __call__(self, environ, start_response):
        answer = self._stored(environ)
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _secure(self, environ) -> bool:
        proxy = self.proxy_ssl_header
        if proxy:
            return environ.get(proxy[0], "").split(",")[0].strip() == proxy[1]
        return environ.get("wsgi.url_scheme") == "https"

    def _stored(self, environ):
        method = environ["REQUEST_METHOD"]
        cookie = environ.get("HTTP_COOKIE")
        if not anonymous_get(
            method, environ.get("QUERY_STRING", ""), parse_cookie(cookie) if cookie else {}
        ):
            return None
        secure = self._secure(environ)
        if self.ssl_redirect and not secure:
            return None
        if not _allowed(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")):
            return None  # Django answers 400
        try:
            path = environ.get("PATH_INFO", "").encode("iso-8859-1").decode("utf-8")
        except UnicodeError:
            return None
        gzipped = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        page = self._page(path, gzipped) or (self._page(path, False) if gzipped else None)
        if page is None:
            return None
        body, headers, etag = page
        if secure and self.hsts:
            headers = [*headers, ("Strict-Transport-Security", self.hsts)]
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            return "304 Not Modified", [h for h in headers if h[0] != "Content-Length"], b""
        return "200 OK", headers, b"" if method == "HEAD" else body

    def _page(self, path: str, gzipped: bool):
        """(body, headers, etag) of the stored page, from memory while it is current."""
        store = get_store()
        key = (path, gzipped)
        version = store.version(path, gzipped)
        if version is not None:
            known = self.memory.get(key)
            if known is not None and known[0] == version:
                return known[1]
        body = store.get_gzip(path) if gzipped else store.get(path)
        if body is None:
            self.memory.pop(key, None)
            return None
        etag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}{"-gz" if gzipped else ""}"'
        headers = [*self.headers, ("ETag", etag), ("Content-Length", str(len(body)))]
        if gzipped:
            headers.append(("Content-Encoding", "gzip"))
        language = path.split("/", 2)[1] if path.count("/") > 1 else ""
        if language in self.languages:
            headers.append(("Content-Language", language))
        page = (body, headers, etag)
        if version is not None:
            self.memory[key] = (version, page)
            self.memory.move_to_end(key)
            while len(self.memory) > MEMORY_PAGES:
                self.memory.popitem(last=False)
        return page
