"""Read replicas: ``NEWSBRIEF_REPLICA_URLS`` (comma-separated PostgreSQL URLs) adds them as
``replica1``, ``replica2``, ...; the router sends a request's reads to one of them only when
the request may see data a moment old and nothing is kept from it:

- an anonymous GET or HEAD (signed-in readers and editors read their own writes: primary);
- whose answer is not stored as a page (a page is stored once and then served until the next
  change; rendered from a replica behind the primary it could keep the change's old state),
  i.e. search, feeds, the API, listings with a query string.

Everything else, every write, and every migration uses the primary (``default``).
"""

from __future__ import annotations

import contextvars
import random

from django.conf import settings
from django.urls import Resolver404, resolve

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "newsbrief_replica_reads", default=False
)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get():
            replicas = replica_aliases()
            if replicas:
                return random.choice(replicas)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Marks the requests whose reads may go to a replica (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from newsbrief.pages.middleware import CACHED_VIEWS, anonymous_get

        replica = bool(replica_aliases()) and request.method in ("GET", "HEAD")
        if replica and settings.SESSION_COOKIE_NAME in request.COOKIES:
            replica = False
        elif replica and anonymous_get(
            request.method, request.META.get("QUERY_STRING", ""), request.COOKIES
        ):
            try:
                replica = resolve(request.path_info).view_name not in CACHED_VIEWS
            except Resolver404:
                replica = True
        token = _replica_reads.set(replica)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)
