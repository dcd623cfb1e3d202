"""Addresses from the boards an archive was imported from, and the redirect that keeps them.

An archive record may name the address its brief had (``legacy_url``), as a whole URL or a
path and query. It is stored in one canonical form, and a request is put in the same form
before it is looked up, so spelling differences that browsers and crawlers introduce do not
matter: the scheme and host are dropped, percent-escapes are decoded and written one way,
and ``key=value`` parameters are sorted. Phorum's positional queries (``?forum,thread,message``)
keep their order, which is their meaning; ``?6,5320,5320`` (the thread's first message) and
``?6,5320`` (the thread) name the same page, so each finds a brief stored under the other.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, unquote_plus, urlsplit

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import translation

from .models import Brief, LegacyAddress

MAX_LENGTH = 2000
# Kept unescaped: what a path or a query's parts may hold literally without changing meaning.
_SAFE = "/,:@!$'()*;~-._"
_PHORUM_MESSAGE = re.compile(r"(\d+),(\d+),\2")
_PHORUM_THREAD = re.compile(r"\d+,(\d+)")


class InvalidAddress(ValueError):
    pass


def canonical_address(url: str) -> str:
    """``url`` (absolute, or a path with its query) as it is stored and looked up."""
    url = url.strip()
    if not url:
        raise InvalidAddress("the address is empty")
    parts = urlsplit(url)
    path = quote(unquote(parts.path), safe=_SAFE) or "/"
    if not path.startswith("/"):
        path = "/" + path
    address = path + _canonical_query(parts.query)
    if len(address) > MAX_LENGTH:
        raise InvalidAddress(f"the address is over {MAX_LENGTH} characters")
    return address


def _canonical_query(query: str) -> str:
    items = [item.partition("=") for item in query.split("&") if item]
    if not items:
        return ""
    decoded = [(unquote_plus(k), sep, unquote_plus(v)) for k, sep, v in items]
    if all(sep for _k, sep, _v in decoded):
        decoded.sort()
    return "?" + "&".join(
        quote(k, safe=_SAFE) + sep + quote(v, safe=_SAFE) for k, sep, v in decoded
    )


def _spellings(address: str) -> list[str]:
    """The address and the Phorum spelling of the same page, if it has one."""
    path, _sep, query = address.partition("?")
    if match := _PHORUM_MESSAGE.fullmatch(query):
        return [address, f"{path}?{match[1]},{match[2]}"]
    if match := _PHORUM_THREAD.fullmatch(query):
        return [address, f"{address},{match[1]}"]
    return [address]


def brief_for(url: str) -> Brief | None:
    """The published brief that had the address ``url``, or None."""
    try:
        address = canonical_address(url)
    except InvalidAddress:
        return None
    found = (
        LegacyAddress.objects.filter(address__in=_spellings(address))
        .filter(brief__in=Brief.objects.published())
        .select_related("brief")
        .order_by("address")
        .first()
    )
    return found.brief if found else None


class LegacyAddressMiddleware:
    """Answers a request that would be a 404 with a permanent redirect to the brief that had
    its address, in the reader's language. Only 404s are looked up, so the board's own pages
    cost nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        brief = brief_for(request.get_full_path())
        if brief is None:
            return response
        language = translation.get_language_from_request(request)
        with translation.override(language):
            return HttpResponsePermanentRedirect(reverse("briefs:detail", args=[brief.pk]))
