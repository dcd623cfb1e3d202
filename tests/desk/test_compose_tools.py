"""The compose page without JavaScript: the other-language version found by words of its
title and chosen with a radio button, and the warning about a body that repeats its source
line, with its fix. Neither saves anything: the editor saves with the form's own button."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from newsbrief.briefs.models import Brief, Revision

from .conftest import client_for, form_data, write_brief

pytestmark = pytest.mark.django_db


def edit_url(brief) -> str:
    return reverse("desk:edit", args=[brief.pk])


def radios(page: str) -> dict[str, bool]:
    """The version field's radio buttons: value -> checked."""
    found = re.findall(
        r'<input type="radio" name="version" value="(\d*)" id="[^"]+"( checked)?>', page
    )
    return {value: bool(checked) for value, checked in found}


@pytest.fixture
def pair(users) -> dict:
    ed = users["editor"]
    return {
        "zh": write_brief(
            ed, Brief.Status.PUBLISHED, language="zh-hant", title="福衛七號氣象衛星升空"
        ),
        "zh_other": write_brief(ed, language="zh-hant", title="離岸風電合作", tags=()),
        "en_same": write_brief(ed, title="Satellite launch, English draft"),
        "english": write_brief(ed, title="Taiwan launches a weather satellite"),
    }


def test_the_field_is_radio_buttons_and_a_search_box(users, pair):
    page = client_for(users["editor"]).get(edit_url(pair["english"])).content.decode()
    assert radios(page) == {"": True}
    assert "<legend>Other-language version:</legend>" in page
    assert 'name="version_q"' in page and 'name="find_version"' in page
    assert '<label for="id_version_q">' in page
    assert 'type="number"' not in page  # no brief numbers to type


def test_find_pick_and_save_links_the_versions(users, pair):
    client = client_for(users["editor"])
    english = pair["english"]
    data = form_data(client, edit_url(english))
    data["title"] = "Taiwan launches a weather satellite, edited"  # typed, not saved yet
    revisions = Revision.objects.count()

    response = client.post(edit_url(english), {**data, "version_q": "福衛", "find_version": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert Revision.objects.count() == revisions  # finding saves nothing
    # What was typed is kept, and the search with it.
    assert 'value="Taiwan launches a weather satellite, edited"' in page
    assert 'name="version_q" id="id_version_q" value="福衛"' in page
    assert radios(page) == {"": True, str(pair["zh"].pk): False}
    assert '<span lang="zh-hant">福衛七號氣象衛星升空</span>' in page
    assert "published 2012/05/22" in page

    # Choose it and save through the form's own button.
    form = response.context["form"]
    chosen = {
        name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
    }
    response = client.post(
        edit_url(english), {**chosen, "version": str(pair["zh"].pk), "save": "1"}
    )
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.translation_key == pair["zh"].translation_key
    assert english.title == "Taiwan launches a weather satellite, edited"

    # Now the edit page shows the linked version by its title, chosen.
    page = client.get(edit_url(english)).content.decode()
    assert radios(page) == {"": False, str(pair["zh"].pk): True}
    assert re.search(
        r'<label for="id_version_\d+"><span lang="zh-hant">福衛七號氣象衛星升空</span>', page
    )


def test_the_search_leaves_out_the_brief_its_language_and_taken_briefs(users, pair):
    client = client_for(users["editor"])
    english = pair["english"]
    data = form_data(client, edit_url(english))
    # Another English brief already has "福衛七號" as its version: that one is taken.
    taken = write_brief(users["editor"], language="zh-hant", title="福衛七號，已配對")
    write_brief(users["editor"], title="Paired", translation_key=taken.translation_key)

    def found(query, language="en"):
        response = client.post(
            edit_url(english),
            {**data, "language": language, "version_q": query, "find_version": "1"},
        )
        return {int(v) for v in radios(response.content.decode()) if v}

    assert found("福衛") == {pair["zh"].pk}
    assert found("satellite") == set()  # English ones, and this brief itself
    assert found("satellite", language="zh-hant") == {pair["en_same"].pk}
    assert found(str(pair["zh_other"].pk)) == {pair["zh_other"].pk}  # by its number too
    assert found("nothing like it") == set()
    response = client.post(edit_url(english), {**data, "version_q": "xyz", "find_version": "1"})
    assert (
        "No brief in the other language has these words in its title." in response.content.decode()
    )


def test_editors_do_not_find_other_peoples_drafts(users, pair):
    write_brief(users["other_editor"], language="zh-hant", title="福衛七號，別人的草稿")
    client = client_for(users["editor"])
    data = form_data(client, "/en/desk/new/")
    response = client.post(
        "/en/desk/new/", {**data, "title": "New", "version_q": "福衛", "find_version": "1"}
    )
    assert {int(v) for v in radios(response.content.decode()) if v} == {pair["zh"].pk}


def test_find_on_a_new_brief_then_save(users, pair):
    client = client_for(users["editor"])
    data = {**form_data(client, "/en/desk/new/"), "title": "A new one", "body": "Text."}
    response = client.post("/en/desk/new/", {**data, "version_q": "風電", "find_version": "1"})
    assert response.status_code == 200 and not Brief.objects.filter(title="A new one").exists()
    assert radios(response.content.decode()) == {"": True, str(pair["zh_other"].pk): False}
    response = client.post(
        "/en/desk/new/", {**data, "version": str(pair["zh_other"].pk), "save": "1"}
    )
    assert response.status_code == 302
    new = Brief.objects.get(title="A new one")
    assert new.translation_key == pair["zh_other"].translation_key


def test_choosing_none_unlinks(users, pair):
    client = client_for(users["editor"])
    english = pair["english"]
    write_brief(
        users["editor"],
        uid=english.uid,
        title=english.title,
        translation_key=pair["zh"].translation_key,
    )
    data = form_data(client, edit_url(english))
    assert data["version"] == str(pair["zh"].pk)
    client.post(edit_url(english), {**data, "version": "", "save": "1"})
    english.refresh_from_db()
    assert english.translation_key != pair["zh"].translation_key


def test_find_needs_the_same_role_as_compose(users, pair):
    data = {"title": "x", "body": "y", "language": "en", "version_q": "福衛", "find_version": "1"}
    assert client_for(users["reader"]).post("/en/desk/new/", data).status_code == 403
    # Olga may not edit Ed's brief, so she may not search from its edit page either.
    assert (
        client_for(users["other_editor"]).post(edit_url(pair["english"]), data).status_code == 403
    )
    response = client_for(None).post(edit_url(pair["english"]), data)
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]


REPEATED = "CNA (2012/05/20) CNA (2012/05/20)\n\nFORMOSAT-7 is launched."


def test_a_repeated_source_line_is_pointed_out(users):
    brief = write_brief(users["editor"], body=REPEATED)
    page = client_for(users["editor"]).get(edit_url(brief)).content.decode()
    assert "The body repeats its source line." in page
    assert "The brief page prints “CNA (2012/05/20)” before the body" in page
    assert '<button type="submit" name="fix" value="source-line" formnovalidate>' in page
    clean = write_brief(users["editor"], title="Clean")
    assert (
        "repeats its source line"
        not in client_for(users["editor"]).get(edit_url(clean)).content.decode()
    )


def test_the_fix_shows_the_form_again_with_the_body_fixed(users):
    client = client_for(users["editor"])
    brief = write_brief(users["editor"], body=REPEATED)
    revisions = brief.revisions.count()
    data = {**form_data(client, edit_url(brief)), "title": "Typed, not saved"}
    response = client.post(edit_url(brief), {**data, "fix": "source-line"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["body"].value() == "FORMOSAT-7 is launched."
    assert form["title"].value() == "Typed, not saved"
    page = response.content.decode()
    assert "The repeated source line was taken out of the body below." in page
    assert "The body repeats its source line." not in page
    brief.refresh_from_db()
    assert brief.body == REPEATED and brief.revisions.count() == revisions  # nothing saved

    # Saved with the form's own button, as any edit.
    fixed = {
        name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
    }
    assert client.post(edit_url(brief), {**fixed, "save": "1"}).status_code == 302
    brief.refresh_from_db()
    assert brief.body == "FORMOSAT-7 is launched." and brief.title == "Typed, not saved"
    assert brief.revisions.count() == revisions + 1


def test_the_fix_follows_the_source_as_typed(users):
    client = client_for(users["editor"])
    data = {
        **form_data(client, "/en/desk/new/"),
        "title": "New",
        "body": "CENS.com （2012年6月1日） Text.",
        "source_name": "CENS.com",
        "source_date": "2012-06-01",
    }
    response = client.post("/en/desk/new/", {**data, "preview": "1"})
    assert "The body repeats its source line." in response.content.decode()
    response = client.post("/en/desk/new/", {**data, "fix": "source-line"})
    assert response.context["form"]["body"].value() == "Text."
    # Another date is not the same line.
    response = client.post("/en/desk/new/", {**data, "source_date": "2012-06-02", "preview": "1"})
    assert "The body repeats its source line." not in response.content.decode()


def test_the_fix_by_its_address(users):
    client = client_for(users["editor"])
    brief = write_brief(users["editor"], body=REPEATED)
    response = client.get(edit_url(brief) + "?fix=source-line")
    assert response.status_code == 200
    assert response.context["form"]["body"].value() == "FORMOSAT-7 is launched."
    assert "The repeated source line was taken out of the body below." in response.content.decode()
    brief.refresh_from_db()
    assert brief.body == REPEATED
    clean = write_brief(users["editor"], title="Clean", body="Nothing to fix.")
    response = client.get(edit_url(clean) + "?fix=source-line")
    assert response.context["form"]["body"].value() == "Nothing to fix."
    assert "nothing to fix" in response.content.decode()
    assert (
        client_for(users["other_editor"]).get(edit_url(brief) + "?fix=source-line").status_code
        == 403
    )


def test_the_pages_in_chinese(users, pair):
    client = client_for(users["editor"])
    brief = write_brief(
        users["editor"], title="Repeats", body=REPEATED, source_date=dt.date(2012, 5, 20)
    )
    url = f"/zh-hant/desk/{brief.pk}/edit/"
    page = client.get(url).content.decode()
    assert '<html lang="zh-hant">' in page
    assert "內文重複了來源行。" in page
    data = form_data(client, url)
    page = client.post(url, {**data, "version_q": "福衛", "find_version": "1"}).content.decode()
    assert "搜尋另一語言的簡訊" in page and ">尋找</button>" in page
    assert "1 則簡訊符合" in page
