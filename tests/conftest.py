import io
from pathlib import Path

import pytest

from newsbrief.settings import PACKAGE_DIR

from .clock import session_moment

DEMO_DIR = PACKAGE_DIR / "demo"
SEED_PAGE = DEMO_DIR / "pages" / "000_6320bf3814a45126.txt"


def on_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` are deselected, not skipped, on SQLite, and those marked
    ``sqlite`` on PostgreSQL: they do not apply there, and make test's other run has them."""
    other = "sqlite" if on_postgres() else "postgres"
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


@pytest.fixture(scope="session", autouse=True)
def test_clock():
    """``NEWSBRIEF_TEST_CLOCK=2026-12-01T16:30:00+00:00`` runs the whole session from that
    moment on, the clock ticking (timeouts, live servers and the browser go on working), so a
    failure that only comes at some hour or date can be had at will. Tests that need a time
    of their own travel further with time-machine, which stacks."""
    moment = session_moment()
    if moment is None:
        yield None
        return
    import time_machine

    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request to a /zh-hant/ page leaves that
    language active in the thread, which would change what later tests reverse and read."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def search_index(tmp_path_factory, settings):
    """Each test its own (lazily created) tantivy index: saving a brief anywhere feeds it."""
    from newsbrief.search import receivers
    from newsbrief.search.backends import reset_backends

    receivers.SYNCHRONOUS = True  # no background drain thread: tests see the index at once
    settings.NEWSBRIEF_SEARCH_PATH = tmp_path_factory.mktemp("search-index")
    reset_backends()
    yield settings.NEWSBRIEF_SEARCH_PATH
    reset_backends()


@pytest.fixture(autouse=True)
def postgres_documents(request, django_db_blocker):
    """The PostgreSQL search backend's table (``search_document``) has no model, so the flush
    after a transactional test leaves its rows behind, and a later test would count them
    among its hits. Emptied after every test that used the database there."""
    yield
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db and on_postgres():
        from django.db import connection

        with django_db_blocker.unblock(), connection.cursor() as c:
            c.execute("DELETE FROM search_document")


@pytest.fixture(autouse=True)
def page_store(tmp_path_factory, settings):
    """Each test its own store of rendered pages (a directory, or an emptied cache)."""
    from newsbrief.pages.store import get_store, reset_store

    settings.NEWSBRIEF_PAGES_PATH = tmp_path_factory.mktemp("pages")
    reset_store()
    get_store().clear()
    yield get_store()
    reset_store()


@pytest.fixture(autouse=True)
def media_root(tmp_path_factory, settings):
    """Each test its own directory of picture files."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture
def unique_address() -> str:
    """A client address no other test uses: request rates are counted in the cache, which
    outlives a test (and, on Redis, shares its keys with the test run's other workers)."""
    import ipaddress
    import secrets

    return str(ipaddress.IPv6Address((0x20010DB8 << 96) | secrets.randbits(96)))


@pytest.fixture
def seed_text() -> str:
    return SEED_PAGE.read_text(encoding="utf-8")


@pytest.fixture
def seed_page(tmp_path) -> Path:
    target = tmp_path / SEED_PAGE.name
    target.write_bytes(SEED_PAGE.read_bytes())
    return target


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """What ``newsbrief demo`` writes to an empty database, as a fixture file: built once per
    session (in a transaction that is rolled back, with files of its own) and loaded by
    ``demo`` into each test's database. Users go by their natural key (username), so they
    never take the primary key of one a test made; every other row keeps its own."""
    from django.apps import apps
    from django.core import serializers
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    from newsbrief.pages.store import reset_store
    from newsbrief.related import proposals
    from newsbrief.search.backends import reset_backends

    folder = tmp_path_factory.mktemp("demo-snapshot")
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    paths = {
        "NEWSBRIEF_SEARCH_PATH": folder / "search",
        "NEWSBRIEF_PAGES_PATH": folder / "pages",
        "NEWSBRIEF_RELATED_PATH": folder / "related",
    }
    with django_db_blocker.unblock(), override_settings(**paths), transaction.atomic():
        reset_backends(), reset_store(), proposals.reset()
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        call_command("demo", stdout=io.StringIO())
        rows = [
            row
            for model in models
            for row in model._base_manager.exclude(pk__in=before[model]).order_by("pk")
        ]
        text = serializers.serialize(
            "json", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        transaction.set_rollback(True)
    reset_backends(), reset_store(), proposals.reset()
    path = folder / "demo.json"
    path.write_text(text, encoding="utf-8")
    return path


def _demo_fits(path: Path) -> bool:
    """Whether the snapshot loads as ``newsbrief demo`` would run here: none of its rows (or
    users, by name) is in the database yet."""
    import json

    from django.apps import apps
    from django.contrib.auth import get_user_model

    wanted: dict = {}
    for row in json.loads(path.read_text(encoding="utf-8")):
        model = apps.get_model(row["model"])
        if model is get_user_model():
            wanted.setdefault(model, set()).add(row["fields"]["username"])
        else:
            wanted.setdefault(model, set()).add(row["pk"])
    for model, keys in wanted.items():
        field = "username" if model is get_user_model() else "pk"
        if model._base_manager.filter(**{f"{field}__in": keys}).exists():
            return False
    return True


@pytest.fixture
def demo(db, demo_snapshot):
    """The demo board: the seed brief and the sample archive, as ``newsbrief demo`` loads
    them. The import runs once per session (``demo_snapshot``); each test loads its rows
    (a fraction of the cost), in its own transaction, so a test that writes changes only its
    own copy. Should a test have made some of those rows already, the import runs itself."""
    from django.core.management import call_command

    if _demo_fits(demo_snapshot):
        call_command("loaddata", str(demo_snapshot), verbosity=0)
    else:
        call_command("demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def related_state(tmp_path_factory, settings):
    """Each test starts with no archive or tag model held in memory, and its own model folder."""
    from newsbrief.related import proposals

    settings.NEWSBRIEF_RELATED_PATH = tmp_path_factory.mktemp("related")
    proposals.reset()
    yield settings.NEWSBRIEF_RELATED_PATH
    proposals.reset()


@pytest.fixture
def registry_state(request):
    """Every database starts with the shipped registry (a data migration); tests here make
    the entities they count on, so they start from an empty one, unless marked
    ``shipped_registry`` (put back after a transactional test's flush)."""
    if not request.node.get_closest_marker("django_db"):
        yield
        return
    from newsbrief.entities import registry
    from newsbrief.entities.models import Entity

    marker = request.node.get_closest_marker("django_db")
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    if request.node.get_closest_marker("shipped_registry"):
        if not Entity.objects.exists():
            registry.sync()
        registry.forget()
    else:
        from tests.factories import empty_registry

        empty_registry()
    yield
