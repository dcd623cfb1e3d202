"""System checks for search's settings (``newsbrief check``)."""

from django.conf import settings
from django.core import checks
from django.db import connections

BACKENDS = ("tantivy", "postgres")


@checks.register()
def check_search_backend(app_configs=None, **kwargs):
    name = getattr(settings, "NEWSBRIEF_SEARCH_BACKEND", "") or ""
    if name and name not in BACKENDS:
        return [
            checks.Error(
                f"NEWSBRIEF_SEARCH_BACKEND is {name!r}, which is no search backend.",
                hint="Set NEWSBRIEF_SEARCH_BACKEND to tantivy or postgres, or leave it unset "
                "(postgres on a PostgreSQL database, else tantivy).",
                id="search.E001",
            )
        ]
    if name == "postgres" and connections["default"].vendor != "postgresql":
        return [
            checks.Error(
                "NEWSBRIEF_SEARCH_BACKEND is postgres but the database (DATABASE_URL) is "
                f"{connections['default'].vendor}: the postgres backend keeps its index in "
                "PostgreSQL.",
                hint="Unset NEWSBRIEF_SEARCH_BACKEND (or set it to tantivy) on this database, "
                "or point DATABASE_URL at PostgreSQL.",
                id="search.E002",
            )
        ]
    return []
