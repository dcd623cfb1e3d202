"""Fixtures for the browser tests: one headless Debian Chromium per module, a fresh page per
test, and the demo board served by pytest-django's ``live_server``."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an asyncio event loop in this thread; without this, Django
# refuses the ORM calls the tests make between page actions (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server, demo):
    """The live server's address, once the demo board is loaded and committed.

    ``live_server`` makes pytest-django run the test in a transactional database (``demo``
    asks for ``db``; ``transactional_db`` wins), so the server thread sees what ``demo``
    wrote, and the tables are flushed after each test."""
    return live_server.url


@pytest.fixture
def new_context(browser, site) -> Iterator[Callable]:
    """Open a browser context on the live server (closed after the test); keyword arguments
    go to ``Browser.new_context``."""
    contexts = []

    def open_context(**options):
        options.setdefault("viewport", {"width": 1100, "height": 900})
        context = browser.new_context(base_url=site, **options)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A fresh page in a fresh context, desktop-sized, JavaScript on."""
    return new_context().new_page()


@pytest.fixture
def axe() -> Callable:
    """``axe(page)`` runs axe-core on the page and fails the test on any violation, with
    axe's report as the message."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page) -> None:
        results = checker.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def screenshot() -> Callable:
    """``screenshot(page, name)`` saves a full-page PNG under ``$NEWSBRIEF_SCREENSHOTS``;
    does nothing when that variable is unset."""
    folder = os.environ.get("NEWSBRIEF_SCREENSHOTS")

    def save(page, name: str) -> None:
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return save
