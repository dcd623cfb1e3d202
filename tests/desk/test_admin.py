"""The admin changes briefs only through the actions layer: an admin save is a revision by
the admin user, with the desk's checks; deleting and the bulk actions go the same way."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from newsbrief.briefs import roles
from newsbrief.briefs.models import AuditEntry, Brief

from .conftest import client_for, make_user, write_brief
from .test_browser import signed_in  # noqa: F401  (fixture)


def change_url(brief) -> str:
    return reverse("admin:briefs_brief_change", args=[brief.pk])


def admin_form(client, brief) -> dict:
    """The admin's change form for ``brief`` as the page fills it in, ready to post back."""
    response = client.get(change_url(brief))
    form = response.context["adminform"].form
    data = {
        name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
    }
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = str(management[name].value())
    return data


@pytest.mark.browser
def test_a_chief_editors_admin_edit_is_a_revision(signed_in, site, screenshot):  # noqa: F811
    chief = make_user("chief", roles.CHIEF_EDITORS, is_staff=True)
    brief = Brief.objects.filter(status=Brief.Status.PUBLISHED, language="en").first()
    edits = brief.latest_revision().number
    page = signed_in(chief)

    page.goto(change_url(brief))
    page.get_by_label("Title:").fill("Edited in the admin")
    screenshot(page, "admin-brief-change")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"/en/briefs/{brief.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edited in the admin")
    expect(page.get_by_text(f"Edited {edits + 1} time(s).")).to_contain_text("by chief")
    page.goto(reverse("desk:history", args=[brief.pk]))
    row = page.get_by_role("row").filter(has_text="Edited in the admin")
    expect(row).to_contain_text("chief")
    row.get_by_role("link", name=re.compile("revision")).click()
    expect(page.locator("ins").filter(has_text="admin")).to_have_count(1)
    screenshot(page, "admin-edit-diff")


def test_an_admin_save_goes_through_the_edit_action(users):
    users["chief"].is_staff = True
    users["chief"].save()
    brief = write_brief(users["editor"])
    client = client_for(users["chief"])
    data = admin_form(client, brief) | {
        "title": "Satellites, from the admin",
        "tags": "Space, 太空",
    }
    response = client.post(change_url(brief), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    brief.refresh_from_db()
    latest = brief.latest_revision()
    assert (brief.title, latest.number, latest.editor) == (
        "Satellites, from the admin",
        1,
        users["chief"],
    )
    assert latest.content["tags"] == ["Space", "太空"]
    assert AuditEntry.objects.filter(brief=brief, action="edit", actor=users["chief"]).exists()


def test_the_admin_shows_the_actions_refusals_as_form_errors(users):
    users["chief"].is_staff = True
    users["chief"].save()
    brief = write_brief(users["editor"])
    client = client_for(users["chief"])
    data = admin_form(client, brief)
    many = ", ".join(f"tag {n}" for n in range(30))
    response = client.post(change_url(brief), data | {"tags": many})
    assert response.status_code == 200
    assert "tags" in response.context["adminform"].form.errors
    # A stale form meets the revision conflict instead of overwriting the newer text.
    write_brief(users["editor"], uid=brief.uid, title="Saved meanwhile")
    response = client.post(change_url(brief), data | {"title": "Mine"})
    assert response.status_code == 200
    brief.refresh_from_db()
    assert brief.title == "Saved meanwhile" and brief.revisions.count() == 2


def test_admin_roles_bulk_actions_and_delete_follow_the_rules(users):
    users["editor"].is_staff = True
    users["editor"].save()
    mine = write_brief(users["editor"])
    theirs = write_brief(users["other_editor"], title="Someone else's")
    editor = client_for(users["editor"])
    # Another's brief is shown to an editor, read-only.
    shown = editor.get(change_url(theirs))
    assert shown.status_code == 200 and not shown.context["has_change_permission"]
    editor.post(change_url(theirs), admin_form(editor, mine) | {"title": "Hijacked"})
    theirs.refresh_from_db()
    assert theirs.title == "Someone else's"
    assert editor.get(reverse("admin:briefs_brief_add")).status_code == 403
    changelist = reverse("admin:briefs_brief_changelist")
    editor.post(
        changelist, {"action": "publish_selected", "_selected_action": [mine.pk]}, follow=True
    )
    mine.refresh_from_db()
    assert mine.status == Brief.Status.DRAFT  # publishing takes the chief editor role

    chief = users["chief"]
    chief.is_staff = True
    chief.save()
    client_for(chief).post(
        changelist, {"action": "publish_selected", "_selected_action": [mine.pk]}
    )
    mine.refresh_from_db()
    assert mine.status == Brief.Status.PUBLISHED
    assert AuditEntry.objects.filter(brief=mine, action="publish", actor=chief).exists()

    # An editor may not delete a published brief, even their own; a chief editor may.
    assert editor.post(
        reverse("admin:briefs_brief_delete", args=[mine.pk]), {"post": "yes"}
    ).status_code in (302, 403)
    assert Brief.objects.filter(pk=mine.pk).exists()
    client_for(chief).post(reverse("admin:briefs_brief_delete", args=[mine.pk]), {"post": "yes"})
    assert not Brief.objects.filter(pk=mine.pk).exists()
    assert AuditEntry.objects.filter(action="delete", subject=mine.title, actor=chief).exists()
