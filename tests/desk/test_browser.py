"""The desk in headless Chromium: an editor composes, previews and submits; a chief editor
publishes; readers see the brief; a second edit shows in the trail and the diff; the Chinese
version gets written and linked; two editors saving the same brief meet a conflict page.

Users sign in by carrying a session cookie made with ``Client.force_login``, so these tests
do not depend on the sign-in page."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief

from .conftest import make_user

pytestmark = pytest.mark.browser

TITLE = "Taiwan Launches a Weather Satellite"


@pytest.fixture
def signed_in(browser, site, settings):
    """``signed_in(user, **options)``: a page in a fresh browser context with ``user``'s
    session; ``options`` go to ``Browser.new_context``."""
    # The live server speaks plain HTTP: let the CSRF cookie travel over it.
    settings.CSRF_COOKIE_SECURE = False
    contexts = []

    def open_page(user, **options):
        client = Client()
        client.force_login(user)
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=site, **options)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_compose_review_publish_edit_and_translate(signed_in, site, browser, screenshot):
    ed = make_user("ed", roles.EDITORS)
    chief = make_user("chief", roles.CHIEF_EDITORS)
    page = signed_in(ed)

    page.goto("/en/desk/")
    page.get_by_role("link", name="Write a new brief").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Category tags").fill("International Cooperation, Space")
    page.get_by_label("Body").fill("FORMOSAT-7 reached orbit **today**.\n\nA second paragraph.")
    page.get_by_label("Source:", exact=True).fill("CNA")
    page.get_by_label("Source date").fill("2012-05-20")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview.get_by_role("heading", level=3)).to_have_text(
        f"[International Cooperation][Space] {TITLE}"
    )
    expect(preview.locator("strong")).to_have_text("today")
    expect(page.get_by_label("Title")).to_have_value(TITLE)  # the form survives the preview
    # The live preview follows the typing, without the button.
    page.get_by_label("Body").fill("FORMOSAT-7 reached orbit **today**, at dawn.")
    expect(preview).to_contain_text("at dawn")
    screenshot(page, "desk-compose")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_have_text("Submitted for review.")
    expect(page.get_by_text("Status: In review.")).to_be_visible()
    brief = Brief.objects.get(title=TITLE)

    chief_page = signed_in(chief)
    chief_page.goto("/en/desk/")
    queue = chief_page.get_by_role("region", name="Waiting for review")
    queue.get_by_role("link", name=re.compile(TITLE)).click()
    chief_page.get_by_role("button", name="Publish", exact=True).click()
    expect(chief_page.get_by_role("status")).to_have_text("Published.")

    reader = browser.new_page(base_url=site)
    reader.goto("/en/")
    expect(reader.get_by_role("link", name=re.compile(TITLE))).to_be_visible()
    reader.goto("/en/categories/space/")
    expect(reader.get_by_role("link", name=re.compile(TITLE))).to_be_visible()
    reader.goto("/en/categories/international-cooperation/")
    reader.get_by_role("link", name=re.compile(TITLE)).click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(reader.get_by_role("link", name="Edit", exact=True)).to_have_count(0)

    # A second edit, by the chief editor, from the brief page's Edit link.
    chief_page.goto(brief.get_absolute_url())
    chief_page.get_by_role("link", name="Edit", exact=True).click()
    chief_page.get_by_label("Body").fill("FORMOSAT-7 reached orbit **today**, at noon.")
    chief_page.get_by_role("button", name="Save changes").click()
    expect(chief_page.get_by_role("status")).to_have_text("Saved.")
    reader.reload()
    expect(reader.get_by_text(re.compile(r"^Edited 1 time\(s\)\. .* by chief\.$"))).to_be_visible()

    chief_page.get_by_role("link", name="History").first.click()
    expect(chief_page.get_by_role("cell", name="ed", exact=True)).to_be_visible()
    screenshot(chief_page, "desk-history")
    chief_page.get_by_role("link", name="revision 0 → 1").click()
    body = chief_page.locator(".diff dd").nth(2)
    expect(body.locator("del")).to_contain_text("dawn")
    expect(body.locator("ins")).to_contain_text("noon")
    screenshot(chief_page, "desk-diff")

    # The Chinese version, started from the English one's edit page.
    page.goto(f"/en/desk/{brief.pk}/edit/")
    page.get_by_role("link", name="Write the Traditional Chinese version").click()
    expect(page.get_by_label("Language:", exact=True)).to_have_value("zh-hant")
    page.get_by_label("Title").fill("福衛七號氣象衛星升空")
    page.get_by_label("Body").fill("福衛七號今天進入軌道。")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    chinese = Brief.objects.get(language="zh-hant", title="福衛七號氣象衛星升空")
    assert chinese.translation_key == brief.translation_key
    chief_page.goto(f"/en/desk/{chinese.pk}/edit/")
    chief_page.get_by_role("button", name="Publish", exact=True).click()
    expect(chief_page.get_by_role("status")).to_have_text("Published.")
    reader.goto(brief.get_absolute_url())
    reader.get_by_role("link", name="Chinese Version").click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("福衛七號氣象衛星升空")
    reader.close()


def test_two_editors_saving_the_same_brief_meet_a_conflict(signed_in, screenshot):
    from .conftest import write_brief

    ed = make_user("ed", roles.EDITORS)
    chief = make_user("chief", roles.CHIEF_EDITORS)
    brief = write_brief(ed, body="The original text of the brief.")
    first, second = signed_in(ed), signed_in(chief)
    for page in (first, second):
        page.goto(f"/en/desk/{brief.pk}/edit/")
    first.get_by_label("Body").fill("The editor's text of the brief.")
    first.get_by_role("button", name="Save changes").click()
    expect(first.get_by_role("status")).to_have_text("Saved.")

    second.get_by_label("Body").fill("The chief's text of the brief.")
    second.get_by_role("button", name="Save changes").click()
    expect(second.get_by_role("heading", level=1)).to_have_text(
        "Someone saved this brief while you were editing"
    )
    expect(second.get_by_label("Body")).to_have_value("The chief's text of the brief.")
    conflict = second.get_by_role("alert").filter(has_text="not saved yet")
    # From what was saved meanwhile to this editor's text.
    expect(conflict.locator("del")).to_contain_text("editor")
    expect(conflict.locator("ins")).to_contain_text("chief")
    screenshot(second, "desk-conflict")
    brief.refresh_from_db()
    assert brief.body == "The editor's text of the brief."


def test_the_desk_works_without_javascript(signed_in):
    page = signed_in(make_user("ed", roles.EDITORS), java_script_enabled=False)
    page.goto("/en/desk/new/")
    page.get_by_label("Title").fill("No script needed")
    page.get_by_label("Body").fill("Plain *HTML* forms.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("region", name="Preview").locator("em")).to_have_text("HTML")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_have_text("Submitted for review.")
    assert Brief.objects.get(title="No script needed").status == Brief.Status.REVIEW


def test_the_edit_page_shows_true_reasons_on_the_demo_board(signed_in, screenshot):
    """A follow-up drafted on the demo board: its proposals' reasons count the days between
    the two briefs (the draft's source date, not today) and never give dates or bare numbers
    as shared names."""
    import datetime as dt

    from newsbrief.related import proposals
    from newsbrief.related.entries import brief_date
    from tests.factories import index_briefs, make_brief

    chief = make_user("chief", roles.CHIEF_EDITORS)
    brief = make_brief(
        author=chief,
        title="FORMOSAT-7 satellites pass their design review",
        body="Taiwan's NSPO and the US NOAA: the FORMOSAT-7 constellation of satellites "
        "passed its critical design review, on the way to a launch.",
        tags=("Space",),
        status=Brief.Status.DRAFT,
        source_date=dt.date(2012, 6, 1),
    )
    index_briefs()
    expected = proposals.propose_related(brief, 5)
    assert expected
    for proposal in expected:
        days = (dt.date(2012, 6, 1) - brief_date(proposal.brief)).days
        assert any(r.startswith(f"{days} day") for r in proposal.reasons), proposal
        for reason in proposal.reasons:
            if reason.startswith("shared names: "):
                names = reason.removeprefix("shared names: ").split(", ")
                assert not [n for n in names if re.fullmatch(r"[\d/.,\-]+", n)], reason

    page = signed_in(chief)
    page.goto(f"/en/desk/{brief.pk}/edit/")
    shown = page.locator("ol.proposed .reasons").all_inner_texts()
    screenshot(page, "desk-edit-reasons")
    assert shown == ["; ".join(p.reasons) for p in expected]
