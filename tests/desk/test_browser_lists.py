"""The desk's list of all briefs, and the compose page's version search and source-line
warning, in headless Chromium: labelled filters, a table with column headers, ``aria-sort``
on the sorted column, in both interface languages."""

import re

import pytest
from playwright.sync_api import expect

from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief

from .conftest import make_user, write_brief
from .test_browser import signed_in  # noqa: F401

pytestmark = pytest.mark.browser

FILTERS = {
    "en": ["Title contains", "Status", "Language", "Category", "Author", "Date", "From", "To"],
    "zh-hant": ["標題包含", "狀態", "語言", "類別", "作者", "日期", "起始日期", "結束日期"],
}


def test_the_briefs_list(signed_in, screenshot):  # noqa: F811
    chief = make_user("chief", roles.CHIEF_EDITORS)
    page = signed_in(chief)
    page.goto("/en/desk/")
    page.get_by_role("navigation", name="Desk").get_by_role("link", name="All briefs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All briefs")

    filters = page.get_by_role("search", name="Find briefs")
    for label in FILTERS["en"]:
        expect(filters.get_by_label(f"{label}:", exact=True)).to_have_count(1)
    table = page.get_by_role("table")
    headers = table.get_by_role("columnheader")
    expect(headers).to_have_text(
        ["Brief", "Language", "Status", "Author", "Published", "Updated ▼"]
    )
    sorted_ = table.locator("th[aria-sort]")
    expect(sorted_).to_have_count(1)
    expect(sorted_).to_have_attribute("aria-sort", "descending")
    expect(sorted_).to_contain_text("Updated")
    total = Brief.objects.count()
    expect(page.get_by_role("status")).to_have_text(f"{total} briefs")
    screenshot(page, "desk-briefs-en")

    # Search and filter, then sort by title: the filters stay.
    filters.get_by_label("Title contains:", exact=True).fill("taiwan")
    filters.get_by_label("Language:", exact=True).select_option("en")
    filters.get_by_role("button", name="Show briefs").click()
    expected = Brief.objects.filter(title_key__contains="taiwan", language="en").count()
    assert 0 < expected < total
    expect(table.locator("tbody tr")).to_have_count(expected)
    table.get_by_role("link", name="Brief", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=title"))
    expect(page).to_have_url(re.compile(r"title=taiwan"))
    expect(table.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    expect(table.locator("th[aria-sort]")).to_contain_text("Brief")
    expect(filters.get_by_label("Title contains:", exact=True)).to_have_value("taiwan")
    titles = table.locator("tbody tr td:first-child").all_inner_texts()
    assert len(titles) == expected
    screenshot(page, "desk-briefs-en-sorted")

    # The same list in Chinese.
    page.goto("/zh-hant/desk/briefs/?sort=-published")
    expect(page.get_by_role("heading", level=1)).to_have_text("所有簡訊")
    filters = page.get_by_role("search", name="尋找簡訊")
    for label in FILTERS["zh-hant"]:
        expect(filters.get_by_label(f"{label}：", exact=True)).to_have_count(1)
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    expect(page.locator("th[aria-sort]")).to_contain_text("已發布")
    screenshot(page, "desk-briefs-zh")


def test_the_version_search_and_the_source_line_fix(signed_in, screenshot):  # noqa: F811
    ed = make_user("ed", roles.EDITORS)
    brief = write_brief(
        ed,
        title="Offshore wind, a new draft",
        body="CNA (2012/05/20) CNA (2012/05/20)\n\nTaiwan and Denmark agreed.",
        tags=(),
    )
    for language, prefix in (("en", "/en"), ("zh-hant", "/zh-hant")):
        page = signed_in(ed, java_script_enabled=False)
        page.goto(f"{prefix}/desk/{brief.pk}/edit/")
        warning = page.get_by_role("note")
        expect(warning).to_be_visible()
        picker = page.locator(".version-picker")
        search = "Search the other language's briefs" if language == "en" else "搜尋另一語言的簡訊"
        picker.get_by_label(search).fill("福衛")
        picker.get_by_role("button", name="Find" if language == "en" else "尋找").click()
        expect(picker.get_by_role("radio")).not_to_have_count(1)
        screenshot(page, f"desk-compose-version-{language}")
    # Choose the first found, fix the body, save: linked and fixed.
    picker.get_by_role("radio").nth(1).check()
    chosen = int(picker.get_by_role("radio").nth(1).get_attribute("value"))
    page.get_by_role("button", name="從內文刪除重複的來源行").click()
    expect(page.get_by_label("內文")).to_have_value("Taiwan and Denmark agreed.")
    expect(picker.get_by_role("radio", checked=True)).to_have_attribute("value", str(chosen))
    screenshot(page, "desk-compose-fixed-zh-hant")
    page.get_by_role("button", name="儲存變更").click()
    brief.refresh_from_db()
    assert brief.body == "Taiwan and Denmark agreed."
    assert brief.translation_key == Brief.objects.get(pk=chosen).translation_key


def test_enter_in_the_version_search_runs_find(signed_in):  # noqa: F811
    ed = make_user("ed", roles.EDITORS)
    page = signed_in(ed)
    page.goto("/en/desk/new/")
    page.get_by_label("Title").fill("Typed before the search")
    box = page.get_by_label("Search the other language's briefs")
    box.fill("福衛")
    box.press("Enter")
    picker = page.locator(".version-picker")
    expect(picker.get_by_role("radio")).to_have_count(2)
    expect(page.get_by_label("Title")).to_have_value("Typed before the search")
    assert not Brief.objects.filter(title="Typed before the search").exists()
    # Enter in another field still previews (the form's first button), as before: the page
    # comes back from the preview, without the search's results.
    page.get_by_label("Title").press("Enter")
    expect(picker.get_by_role("radio")).to_have_count(1)
    preview = page.get_by_role("region", name="Preview")
    expect(preview.get_by_role("heading", level=3)).to_contain_text("Typed before the search")
