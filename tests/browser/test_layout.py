"""Every page type, as a reader's and a chief editor's browser show it: in both languages, at a
desktop width and on a 320 px phone, with no axe-core violation and nothing wider than the
window; dark mode on a phone; the seed brief printed without the site's navigation.

One test per language and width walks all pages in one signed-in context, so the demo board
is loaded a handful of times, not once per page; failures are gathered and reported together.
"""

import dataclasses

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from newsbrief.accounts.models import ApiToken
from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import KEEP, content_of, save_brief
from newsbrief.ingest.models import Source
from tests.factories import make_user

pytestmark = pytest.mark.browser

SEED_TITLE = "Taiwan-Japan Industrial Cooperation Office Comes Into Being"
LONG_URL = "https://www.example.org/a/very/long/path/that/does/not/break/anywhere/index.html"
LANGUAGES = ["en", "zh-hant"]


@pytest.fixture
def chief_context(new_context, site):
    """``open(**options)``: a browser context signed in as a chief editor, on a board where
    every desk page has something to show (a second revision, a source, a token)."""
    chief = make_user("chief", roles.CHIEF_EDITORS)
    seed = Brief.objects.get(title=SEED_TITLE)
    content = content_of(seed)
    save_brief(
        dataclasses.replace(content, body=f"{content.body}\n\nSee {LONG_URL}"),
        editor="chief",
        status=KEEP,
    )
    Source.objects.create(
        name="Central News Agency science desk",
        url="https://www.example.org/feeds/science-and-technology/latest-articles.xml",
        language="en",
        last_error="Max retries exceeded with url: /feeds/science-and-technology/latest.xml",
    )
    ApiToken.issue(chief, "importer script on the newsroom server")
    client = Client()
    client.force_login(chief)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": site,
    }

    def open_context(**options):
        context = new_context(**options)
        context.add_cookies([cookie])
        return context

    return open_context


def page_paths(language: str) -> dict[str, str]:
    """Every page type under the ``language`` interface, by name."""
    seed = Brief.objects.get(title=SEED_TITLE)
    numbers = list(seed.revisions.order_by("number").values_list("number", flat=True))
    with translation.override(language):
        return {
            "index": reverse("briefs:index"),
            "brief": reverse("briefs:detail", args=[seed.pk]),
            "categories": reverse("briefs:categories"),
            "category": reverse("briefs:category", args=["international-cooperation"])
            + "?lang=all",
            "archive": reverse("briefs:archive"),
            "month": reverse("briefs:archive_month", args=[2012, 3]) + "?lang=all",
            "search": reverse("search:results") + "?q=311+japan+%E5%9C%B0%E9%9C%87",
            "login": reverse("login"),
            "password reset": reverse("password_reset"),
            "api tokens": reverse("api_tokens"),
            "digest": reverse("digest:subscribe"),
            "desk": reverse("desk:dashboard"),
            "desk briefs": reverse("desk:briefs"),
            "compose": reverse("desk:new"),
            "edit": reverse("desk:edit", args=[seed.pk]),
            "history": reverse("desk:history", args=[seed.pk]),
            "diff": reverse("desk:diff", args=[seed.pk, numbers[-2], numbers[-1]]),
            "drift": reverse("desk:drift"),
            "sources": reverse("ingest:sources"),
            "404": reverse("briefs:index") + "no-such-page/",
        }


def check_pages(page, paths: dict[str, str], axe_checker, width: int) -> list[str]:
    """Visit each page; the problems found, one line each."""
    problems = []
    for name, path in paths.items():
        response = page.goto(path)
        expected = 404 if name == "404" else 200
        if response.status != expected:
            problems.append(f"{name} ({path}): status {response.status}")
            continue
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{name} ({path}): {scroll}px wide in a {width}px window")
        results = axe_checker.run(page)
        if results.violations_count:
            problems.append(f"{name} ({path}):\n{results.generate_report()}")
    return problems


@pytest.fixture
def axe_checker():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_fits_and_passes_axe(chief_context, axe_checker, language, width):
    page = chief_context(viewport={"width": width, "height": 900}).new_page()
    problems = check_pages(page, page_paths(language), axe_checker, width)
    assert not problems, "\n".join(problems)


def test_dark_mode_on_a_phone_passes_axe(chief_context, axe_checker):
    page = chief_context(viewport={"width": 320, "height": 800}, color_scheme="dark").new_page()
    paths = {}
    for language in LANGUAGES:
        every = page_paths(language)
        for name in ["index", "brief", "search", "login", "desk", "edit", "diff", "sources"]:
            paths[f"{name} ({language})"] = every[name]
    problems = check_pages(page, paths, axe_checker, 320)
    page.goto(paths["index (en)"])
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    if background != "rgb(20, 23, 29)":
        problems.append(f"dark mode is not applied: the page's background is {background}")
    assert not problems, "\n".join(problems)


def test_the_printed_brief_has_no_site_navigation(page, tmp_path, screenshot):
    seed = Brief.objects.get(title=SEED_TITLE)
    with translation.override("en"):
        page.goto(seed.get_absolute_url())
    page.emulate_media(media="print")
    page.screenshot(path=tmp_path / "brief-print.png", full_page=True)
    screenshot(page, "brief-en-print")
    for selector in [
        ".skip-link",
        ".site-header",
        ".site-nav",
        "form[role=search]",
        ".language-switch",
        ".site-footer",
    ]:
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    for selector in [".brief-body", ".related", ".further", ".edit-trail"]:
        assert page.locator(selector).first.is_visible(), f"{selector} is not printed"
    color = page.evaluate("getComputedStyle(document.querySelector('.brief-body')).color")
    assert color == "rgb(0, 0, 0)", color
