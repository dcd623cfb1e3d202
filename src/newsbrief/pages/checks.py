"""System checks for the page store's settings (``newsbrief check``)."""

from pathlib import Path

from django.conf import settings
from django.core import checks

STORES = ("files", "cache", "off")
LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"


@checks.register()
def check_pages_store(app_configs=None, **kwargs):
    kind = settings.NEWSBRIEF_PAGES_STORE
    if kind not in STORES:
        return [
            checks.Error(
                f"NEWSBRIEF_PAGES_STORE is {kind!r}, which is no page store.",
                hint="Set NEWSBRIEF_PAGES_STORE to files (the default), cache or off.",
                id="pages.E001",
            )
        ]
    if kind != "cache" or settings.CACHES["default"]["BACKEND"] != LOCAL_MEMORY:
        return []
    # A process's own memory: an edit, a scheduled publication (`serve`'s page job runs in a
    # process of its own) or an import drops the pages only in the process that made it, and
    # every other process goes on serving the old ones.
    hint = (
        "Set NEWSBRIEF_CACHE_URL to a Redis that every process shares (redis://host:6379/0), "
        "or use NEWSBRIEF_PAGES_STORE=files (the default)."
    )
    if getattr(settings, "NEWSBRIEF_WORKERS", 0) != 1:
        return [
            checks.Error(
                "NEWSBRIEF_PAGES_STORE is cache but the cache is each process's own memory "
                "(NEWSBRIEF_CACHE_URL is empty) and `serve` runs several worker processes: "
                "a page a change drops in one worker is still served by the others.",
                hint=hint,
                id="pages.E002",
            )
        ]
    return [
        checks.Warning(
            "NEWSBRIEF_PAGES_STORE is cache but the cache is this process's own memory "
            "(NEWSBRIEF_CACHE_URL is empty): changes made by other processes (scheduled "
            "publication, `newsbrief import`, `newsbrief ingest`) do not drop the server's "
            "stored pages.",
            hint=hint,
            id="pages.W001",
        )
    ]


@checks.register()
def check_pages_path(app_configs=None, **kwargs):
    """The files store removes what it wrote in its directory: it must not be given one that
    holds anything else (``/srv``, an operator's input files)."""
    if settings.NEWSBRIEF_PAGES_STORE != "files":
        return []
    from .store import FileStore, ForeignFiles

    path = settings.NEWSBRIEF_PAGES_PATH
    names = FileStore(path).foreign()
    if not names:
        return []
    hint = (
        "Point NEWSBRIEF_PAGES_PATH to a directory of the page store's own (it is made if "
        "missing; an empty one is adopted), or move those files elsewhere."
    )
    if Path(path).is_dir():
        message = f"NEWSBRIEF_PAGES_PATH: {ForeignFiles(Path(path), names)}."
    else:
        message = f"NEWSBRIEF_PAGES_PATH ({path}) is not a directory."
    return [checks.Error(message, hint=hint, id="pages.E003")]
