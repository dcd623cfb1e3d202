"""Keeps the reader's pages as they are rendered for anonymous readers.

Outermost in ``MIDDLEWARE``, so that it reads the store's epoch before any other code reads
the database, and sees the final response, cookies included. A page is kept when it is a plain
GET (no query string: paginated and filtered listings are rendered each time) of one of the
views below, by a reader without a session (signed-in readers get their own page, with their
name and tools), answered 200 without setting a cookie.
"""

from django.conf import settings

from .store import get_store

CACHED_VIEWS = frozenset(
    {
        "briefs:index",
        "briefs:detail",
        "briefs:categories",
        "briefs:category",
        "briefs:archive",
        "briefs:archive_month",
        "entities:index",
        "entities:detail",
    }
)


def anonymous_get(method: str, query: str, cookies) -> bool:
    """Whether a request may be answered from, or kept in, the store."""
    return method in ("GET", "HEAD") and not query and settings.SESSION_COOKIE_NAME not in cookies


class PageStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        candidate = request.method == "GET" and anonymous_get(
            request.method, request.META.get("QUERY_STRING", ""), request.COOKIES
        )
        store = get_store()
        epoch = store.epoch() if candidate else None
        response = self.get_response(request)
        match = request.resolver_match
        if (
            candidate
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and match is not None
            and match.view_name in CACHED_VIEWS
        ):
            store.put(request.path_info, response.content, epoch)
        return response
