"""Search backends, chosen by ``NEWSBRIEF_SEARCH_BACKEND``: ``tantivy`` (embedded, the default
on SQLite) or ``postgres`` (the index in PostgreSQL itself, the default there)."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .base import Filters, Hit, SearchBackend, SearchResults

__all__ = ["Filters", "Hit", "SearchBackend", "SearchResults", "get_backend", "reset_backends"]

_backends: dict = {}
_lock = threading.Lock()


def default_backend_name() -> str:
    name = getattr(settings, "NEWSBRIEF_SEARCH_BACKEND", "") or ""
    if name:
        return name
    return "postgres" if connection.vendor == "postgresql" else "tantivy"


def get_backend(name: str | None = None, **options) -> SearchBackend:
    """The backend called ``name`` (default: the configured one), one per process and options.
    ``get_backend("tantivy", path=...)`` opens an index elsewhere."""
    name = name or default_backend_name()
    key = (name, tuple(sorted(options.items())))
    with _lock:
        if key not in _backends:
            if name == "tantivy":
                from .tantivy import TantivyBackend

                _backends[key] = TantivyBackend(**options)
            elif name == "postgres":
                from .postgres import PostgresBackend

                _backends[key] = PostgresBackend(**options)
            else:
                raise ImproperlyConfigured(
                    f"NEWSBRIEF_SEARCH_BACKEND is {name!r}: use 'tantivy' or 'postgres'."
                )
        return _backends[key]


def reset_backends() -> None:
    """Forget open backends (tests point each at a fresh index)."""
    with _lock:
        for backend in _backends.values():
            backend.close()
        _backends.clear()
