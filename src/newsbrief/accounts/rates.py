"""Request rates: how often one client may ask for something, counted in the shared cache.

django-ninja's ``SimpleRateThrottle`` (a sliding window of request times under a key in
Django's default cache: this process's memory when embedded, Redis in scale-out, so that every
app server counts the same requests), with three changes:

- the rate is a setting read at each request (``None``, from ``off``: no limit), so an
  operator's change and a test's override take effect without re-creating the throttles;
- ninja keeps a request's state (its key, its history) on the throttle object, and one object
  serves every thread of a server: here that state is the thread's own;
- the client (an address, from a header a proxy forwards, or a token) is hashed into the key,
  which then has a fixed length and no character a cache refuses.

The API's throttles are in ``api/throttles.py``; ``limit`` guards a board view, answering the
board's 429 page.
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading

from django.conf import settings
from django.shortcuts import render
from ninja.throttling import SimpleRateThrottle

from .throttle import client_address


class Rate(threading.local, SimpleRateThrottle):
    """Counts each client's requests against the rate in ``setting`` (by client address;
    subclasses choose another ``ident``)."""

    def __init__(self, setting: str):
        self.setting = setting
        self.scope = setting.removeprefix("NEWSBRIEF_THROTTLE_").lower()

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, self.setting)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def ident(self, request) -> str | None:
        """Whose requests count together; None: this request is not counted here."""
        return client_address(request)

    def get_cache_key(self, request) -> str | None:
        ident = self.ident(request)
        if ident is None:
            return None
        digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}

    def wait(self) -> int:
        """Whole seconds until the refused client may ask again (at least 1)."""
        return max(1, math.ceil(super().wait() or 0))


def too_many_requests(request, retry_after: int):
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def limit(setting: str, methods: tuple[str, ...] = ("GET", "HEAD", "POST")):
    """A view decorator: requests of ``methods`` beyond the rate in ``setting`` answer 429."""
    rate = Rate(setting)

    def decorator(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if request.method in methods and not rate.allow_request(request):
                return too_many_requests(request, rate.wait())
            return view(request, *args, **kwargs)

        return limited

    return decorator
