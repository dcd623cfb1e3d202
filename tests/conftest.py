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
def page_store(tmp_path_factory, settings):
    """Each test its own store of rendered pages (a directory, or an emptied cache)."""
    from newsbrief.pages.store import get_store, reset_store

    settings.NEWSBRIEF_PAGES_PATH = tmp_path_factory.mktemp("pages")
    reset_store()
    get_store().clear()
    yield get_store()
    reset_store()


@pytest.fixture
def seed_text() -> str:
    return SEED_PAGE.read_text(encoding="utf-8")


@pytest.fixture
def seed_page(tmp_path) -> Path:
    target = tmp_path / SEED_PAGE.name
    target.write_bytes(SEED_PAGE.read_bytes())
    return target


@pytest.fixture
def demo(db):
    """The demo board: the seed brief and the sample archive, loaded by ``newsbrief demo``."""
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def related_state(tmp_path_factory, settings):
    """Each test starts with no archive or tag model held in memory, and its own model folder."""
    from newsbrief.related import proposals

    settings.NEWSBRIEF_RELATED_PATH = tmp_path_factory.mktemp("related")
    proposals.reset()
    yield settings.NEWSBRIEF_RELATED_PATH
    proposals.reset()
