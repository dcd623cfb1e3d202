"""System checks for the installation as a whole (``newsbrief check``): settings that cannot
work together, each reported with the fix. The apps check their own settings
(``search/checks.py``, ``pages/checks.py``); these are registered by ``briefs``, the core."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

POSTGRES = "django.db.backends.postgresql"


@checks.register(checks.Tags.security)
def check_secret_key(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    try:
        settings.SECRET_KEY  # noqa: B018 (Django raises when it is empty)
    except ImproperlyConfigured:
        return [
            checks.Error(
                "NEWSBRIEF_SECRET_KEY is not set, and outside debug mode there is no default.",
                hint="Set NEWSBRIEF_SECRET_KEY to a long random string, e.g. python3 -c "
                "'import secrets; print(secrets.token_urlsafe(50))' (or NEWSBRIEF_DEBUG=1 for "
                "development).",
                id="newsbrief.E001",
            )
        ]
    return []


@checks.register()
def check_replicas(app_configs=None, **kwargs):
    """Replicas are copies of a PostgreSQL primary kept by PostgreSQL's own replication:
    anything else would answer reads from a different database than the one written to."""
    return replica_errors(settings.DATABASES)


def replica_errors(databases: dict) -> list:
    aliases = [alias for alias in databases if alias.startswith("replica")]
    if not aliases:
        return []
    if databases["default"]["ENGINE"] != POSTGRES:
        return [
            checks.Error(
                "NEWSBRIEF_REPLICA_URLS is set but the database (DATABASE_URL) is not "
                "PostgreSQL: SQLite has no replicas, so reads sent to them would not see what "
                "the board writes.",
                hint="Unset NEWSBRIEF_REPLICA_URLS, or move the board to a PostgreSQL primary "
                "(DATABASE_URL=postgres://...) and list its streaming replicas.",
                id="newsbrief.E002",
            )
        ]
    others = [alias for alias in aliases if databases[alias]["ENGINE"] != POSTGRES]
    if others:
        return [
            checks.Error(
                f"NEWSBRIEF_REPLICA_URLS lists a database that is not PostgreSQL ({others[0]}): "
                "a replica must be a copy of the PostgreSQL primary.",
                hint="List only postgres:// URLs of the primary's streaming replicas in "
                "NEWSBRIEF_REPLICA_URLS.",
                id="newsbrief.E003",
            )
        ]
    return []
