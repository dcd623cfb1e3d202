"""The desk's workflow through its pages: compose, preview, tags, versions, scheduling,
conflicts, restore, drift and the audit log."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from newsbrief.briefs import drift, roles
from newsbrief.briefs.audit import ActorMiddleware
from newsbrief.briefs.models import AuditEntry, Brief

from .conftest import client_for, form_data, make_user, write_brief

pytestmark = pytest.mark.django_db


def edit_url(brief) -> str:
    return reverse("desk:edit", args=[brief.pk])


# --- compose ----------------------------------------------------------------------------


def test_compose_saves_a_draft_with_ordered_tags_links_and_source(users):
    client = client_for(users["editor"])
    response = client.post(
        reverse("desk:new"),
        {
            "title": "Offshore wind",
            "tags": "Energy， International Cooperation, energy , Energy",
            "body": "Turbines.",
            "source_name": "CNA",
            "source_date": "2011-11-01",
            "links": "CNA report | https://cna.example/wind | 2011-11-01\nBackground note",
            "language": "en",
            "save": "1",
        },
    )
    brief = Brief.objects.get(title="Offshore wind")
    assert response["Location"] == edit_url(brief)
    assert brief.status == Brief.Status.DRAFT and brief.author == users["editor"]
    assert brief.tag_names() == ["Energy", "International Cooperation", "energy"]
    assert [(x.label, x.url) for x in brief.source_links.all()] == [
        ("CNA report", "https://cna.example/wind"),
        ("Background note", ""),
    ]
    assert brief.body_html.startswith('<p><span class="source">CNA (2011/11/01)</span>')
    assert brief.revisions.get().number == 0


def test_the_desk_speaks_both_languages(users):
    brief = write_brief(users["editor"])
    client = client_for(users["editor"])
    for url in ("/zh-hant/desk/", f"/zh-hant/desk/{brief.pk}/edit/", "/zh-hant/desk/new/"):
        response = client.get(url)
        assert response.status_code == 200 and '<html lang="zh-hant">' in response.content.decode()
    # Dates stay ISO for the date inputs, so saving in Chinese keeps the source date.
    page = client.get(f"/zh-hant/desk/{brief.pk}/edit/").content.decode()
    assert 'type="date" name="source_date" value="2012-05-20"' in page
    data = form_data(client, f"/zh-hant/desk/{brief.pk}/edit/")
    client.post(f"/zh-hant/desk/{brief.pk}/edit/", {**data, "title": "新標題"})
    brief.refresh_from_db()
    assert brief.title == "新標題" and brief.source_date.isoformat() == "2012-05-20"


def test_compose_errors_are_linked_to_their_fields(users):
    client = client_for(users["editor"])
    data = {"title": "", "body": "x", "language": "en", "links": "Bad | javascript:alert(1)"}
    response = client.post(reverse("desk:new"), {**data, "save": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and not Brief.objects.exists()
    assert 'aria-describedby="id_title_error"' in html and 'id="id_title_error"' in html
    assert 'aria-invalid="true"' in html and "needs an http(s) address" in html


def test_preview_renders_without_saving_and_without_javascript(users):
    client = client_for(users["editor"])
    response = client.post(
        reverse("desk:new"),
        {"title": "T", "tags": "Space", "body": "**Bold** <script>x()</script>", "preview": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Brief.objects.exists()
    assert "<strong>Bold</strong>" in html and "<script>x()" not in html
    assert '<span class="tag">[Space]</span>' in html
    fragment = client.post(reverse("desk:preview"), {"title": "T", "body": "*hi*"})
    assert "<em>hi</em>" in fragment.content.decode()


def test_editing_keeps_related_messages(users):
    from newsbrief.briefs.content import Citation

    ed = users["editor"]
    brief = write_brief(ed, related=(Citation("An older brief", ("Space",)),))
    client = client_for(ed)
    client.post(edit_url(brief), {**form_data(client, edit_url(brief)), "title": "New title"})
    assert brief.related_links.get().cited_title == "An older brief"


def test_writing_the_other_language_version_links_the_two(users):
    client = client_for(users["editor"])
    english = write_brief(users["editor"], Brief.Status.PUBLISHED)
    page = client.get(edit_url(english)).content.decode()
    start = f"{reverse('desk:new')}?version_of={english.pk}"
    assert start in page
    data = form_data(client, start)
    assert data["language"] == "zh-hant" and data["version"] == str(english.pk)
    assert data["tags"] == "Space"
    client.post(reverse("desk:new"), {**data, "title": "福衛七號", "body": "升空。", "save": "1"})
    chinese = Brief.objects.get(language="zh-hant")
    assert chinese.translation_key == english.translation_key
    # Unlinking gives the Chinese version a key of its own.
    data = form_data(client, edit_url(chinese))
    client.post(edit_url(chinese), {**data, "version": ""})
    chinese.refresh_from_db()
    assert chinese.translation_key != english.translation_key


def test_a_version_must_be_in_another_language(users):
    client = client_for(users["editor"])
    english = write_brief(users["editor"])
    data = {"title": "T", "body": "B", "language": "en", "version": english.pk, "save": "1"}
    response = client.post(reverse("desk:new"), data)
    assert "must be in another language" in response.content.decode()


# --- review and publishing --------------------------------------------------------------


def test_submit_publish_schedule_and_unpublish(users):
    editor, chief = client_for(users["editor"]), client_for(users["chief"])
    brief = write_brief(users["editor"])
    editor.post(reverse("desk:submit", args=[brief.pk]))
    brief.refresh_from_db()
    assert brief.status == Brief.Status.REVIEW
    assert brief in chief.get(reverse("desk:dashboard")).context["review"]

    # Noon: a time that exists whatever the clock (no DST gap on the day after tomorrow).
    later = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=12, minute=0)
    chief.post(reverse("desk:publish", args=[brief.pk]), {"when": later.strftime("%Y-%m-%dT%H:%M")})
    brief.refresh_from_db()
    assert brief.status == Brief.Status.PUBLISHED and brief.published_at > timezone.now()
    assert not Brief.objects.published().filter(pk=brief.pk).exists()
    assert brief in chief.get(reverse("desk:dashboard")).context["scheduled"]
    assert Client().get(brief.get_absolute_url()).status_code == 404

    chief.post(reverse("desk:publish", args=[brief.pk]), {"when": ""})
    assert Client().get(brief.get_absolute_url()).status_code == 200
    chief.post(reverse("desk:unpublish", args=[brief.pk]))
    assert Client().get(brief.get_absolute_url()).status_code == 404
    actions = list(
        AuditEntry.objects.exclude(action__startswith="role")
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("submit", "ed"),
        ("publish", "chief"),
        ("publish", "chief"),
        ("unpublish", "chief"),
    ]
    assert brief.revisions.count() == 1  # status changes are not edits


def test_status_changes_announce_after_commit(users, django_capture_on_commit_callbacks):
    from newsbrief.briefs.signals import brief_saved

    brief = write_brief(users["editor"])
    heard = []

    def receiver(sender, brief, created, **kwargs):
        heard.append((brief.status, created))

    brief_saved.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client_for(users["chief"]).post(reverse("desk:publish", args=[brief.pk]))
    finally:
        brief_saved.disconnect(receiver)
    assert heard == [(Brief.Status.PUBLISHED, False)]


def test_brief_page_shows_edit_link_only_to_those_who_may_edit(users):
    brief = write_brief(users["editor"], Brief.Status.PUBLISHED)
    url = brief.get_absolute_url()
    for role, shown in [("reader", False), ("other_editor", False), ("editor", True)]:
        html = client_for(users[role]).get(url).content.decode()
        assert (edit_url(brief) in html) is shown, role
    assert edit_url(brief) not in Client().get(url).content.decode()


# --- no lost update ---------------------------------------------------------------------


def test_second_save_from_the_same_revision_is_a_conflict(users):
    brief = write_brief(users["editor"], body="The original text.")
    ed, chief = client_for(users["editor"]), client_for(users["chief"])
    mine, theirs = form_data(ed, edit_url(brief)), form_data(chief, edit_url(brief))

    first = chief.post(edit_url(brief), {**theirs, "body": "The chief's text."})
    assert first.status_code == 302
    second = ed.post(edit_url(brief), {**mine, "body": "The editor's own text."})
    assert second.status_code == 409
    html = second.content.decode()
    assert "The editor&#x27;s own text." in html  # kept in the form
    assert "<del><span" in html and "<ins><span" in html  # the diff against theirs
    brief.refresh_from_db()
    assert brief.body == "The chief's text." and brief.revisions.count() == 2

    # The conflict page's form is based on their revision: saving it again is deliberate.
    retry = second.context["form"]["based_on"].value()
    assert str(retry) == "1"
    again = ed.post(edit_url(brief), {**mine, "body": "The editor's own text.", "based_on": 1})
    assert again.status_code == 302
    brief.refresh_from_db()
    assert brief.body == "The editor's own text." and brief.latest_revision().number == 2


def test_an_edit_without_its_revision_is_refused(users):
    brief = write_brief(users["editor"])
    client = client_for(users["editor"])
    data = {**form_data(client, edit_url(brief)), "based_on": "", "title": "Blind"}
    assert client.post(edit_url(brief), data).status_code == 200
    brief.refresh_from_db()
    assert brief.title != "Blind"


# --- history, diffs, restore ------------------------------------------------------------


def test_history_diff_and_restore(users):
    ed = users["editor"]
    brief = write_brief(ed, title="First title", body="Alpha beta.")
    write_brief(ed, uid=brief.uid, title="Second title", body="Alpha gamma.", tags=("Space", "AI"))
    chief = client_for(users["chief"])
    history = chief.get(reverse("desk:history", args=[brief.pk])).content.decode()
    assert reverse("desk:diff", args=[brief.pk, 0, 1]) in history
    assert reverse("desk:restore", args=[brief.pk, 0]) in history
    assert reverse("desk:restore", args=[brief.pk, 1]) not in history  # the current one
    as_editor = client_for(ed).get(reverse("desk:history", args=[brief.pk]))
    assert "Restore" not in as_editor.content.decode()

    diff = chief.get(reverse("desk:diff", args=[brief.pk, 0, 1])).content.decode()
    assert "First" in diff and "Second" in diff and "gamma" in diff and "AI" in diff

    chief.post(reverse("desk:restore", args=[brief.pk, 0]))
    brief.refresh_from_db()
    latest = brief.latest_revision()
    assert (brief.title, brief.body, brief.tag_names()) == ("First title", "Alpha beta.", ["Space"])
    assert latest.number == 2 and latest.editor == users["chief"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE)
    assert entry.actor == users["chief"] and entry.brief == brief and "0" in entry.detail
    # Restoring what the brief already says records nothing.
    chief.post(reverse("desk:restore", args=[brief.pk, 0]))
    assert brief.revisions.count() == 3
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RESTORE).count() == 1


# --- drift ------------------------------------------------------------------------------


def test_drift_marks_the_version_revised_earlier_until_updated_or_confirmed(users):
    ed = users["editor"]
    english = write_brief(ed, Brief.Status.PUBLISHED, body="Launched in May.")
    chinese = write_brief(
        ed,
        Brief.Status.PUBLISHED,
        language="zh-hant",
        title="福衛七號",
        body="五月升空。",
        translation_key=english.translation_key,
    )
    assert drift.all_drift() == []
    write_brief(
        ed, Brief.Status.PUBLISHED, uid=english.uid, body="Launched in June.",
        published_at=english.published_at,
    )  # fmt: skip
    (found,) = drift.all_drift()
    assert (found.brief, found.source) == (chinese, english)
    assert [d.label for d in found.changes()] == ["Body"]

    client = client_for(ed)
    assert "May be out of date" in client.get(chinese.get_absolute_url()).content.decode()
    assert "May be out of date" not in client.get(english.get_absolute_url()).content.decode()
    assert "May be out of date" not in Client().get(chinese.get_absolute_url()).content.decode()
    listed = client.get(reverse("desk:drift")).content.decode()
    assert "June" in listed and "<del>" in listed
    assert client.get(reverse("desk:dashboard")).context["drift"] == [found]

    client.post(reverse("desk:confirm_drift", args=[chinese.pk, english.pk]))
    assert drift.all_drift() == []
    write_brief(
        ed, Brief.Status.PUBLISHED, uid=english.uid, body="Launched in July.",
        published_at=english.published_at,
    )  # fmt: skip
    assert [d.brief for d in drift.all_drift()] == [chinese]
    data = form_data(client, edit_url(chinese))
    client.post(edit_url(chinese), {**data, "body": "七月升空。"})
    assert drift.all_drift() == []


def test_confirm_redirects_only_to_this_site(users):
    ed = users["editor"]
    english = write_brief(ed)
    chinese = write_brief(ed, language="zh-hant", translation_key=english.translation_key)
    url = reverse("desk:confirm_drift", args=[chinese.pk, english.pk])
    response = client_for(ed).post(url, {"next": "https://evil.example/"})
    assert response["Location"] == edit_url(chinese)


# --- audit log --------------------------------------------------------------------------


def test_role_changes_are_logged_with_who_made_them(users):
    editors = Group.objects.get(name=roles.EDITORS)
    chiefs = Group.objects.get(name=roles.CHIEF_EDITORS)
    rita, admin = users["reader"], users["admin"]
    AuditEntry.objects.all().delete()

    request = RequestFactory().get("/")
    request.user = admin

    def change_roles(request):
        rita.groups.add(editors)
        chiefs.user_set.add(rita)
        rita.groups.remove(editors)
        rita.groups.clear()

    ActorMiddleware(change_roles)(request)
    entries = list(
        AuditEntry.objects.order_by("pk").values_list("action", "subject", "detail", "actor")
    )
    assert entries == [
        ("role-added", "rita", "Editors", admin.pk),
        ("role-added", "rita", "Chief editors", admin.pk),
        ("role-removed", "rita", "Editors", admin.pk),
        ("role-removed", "rita", "Chief editors", admin.pk),
    ]
    make_user("newbie", roles.EDITORS)  # outside a request: no actor
    assert AuditEntry.objects.latest("pk").actor is None


def test_site_admin_flags_are_role_changes_too(users):
    rita = users["reader"]
    AuditEntry.objects.all().delete()
    rita.is_staff = True
    rita.save()
    rita.is_staff, rita.is_superuser = False, True
    rita.save()
    rita.last_name = "Lin"
    rita.save()
    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "subject", "detail"))
    assert entries == [
        ("role-added", "rita", "staff"),
        ("role-removed", "rita", "staff"),
        ("role-added", "rita", "superuser"),
    ]


def test_admin_shows_the_audit_log_read_only(users):
    brief = write_brief(users["editor"])
    client_for(users["chief"]).post(reverse("desk:publish", args=[brief.pk]))
    admin = client_for(users["admin"])
    entry = AuditEntry.objects.get(action="publish")
    assert admin.get("/admin/briefs/auditentry/").status_code == 200
    assert admin.get(f"/admin/briefs/auditentry/{entry.pk}/change/").status_code == 200
    assert admin.get("/admin/briefs/auditentry/add/").status_code == 403
    assert admin.get(f"/admin/briefs/auditentry/{entry.pk}/delete/").status_code == 403
    admin.post(f"/admin/briefs/auditentry/{entry.pk}/change/", {"subject": "forged"})
    entry.refresh_from_db()
    assert entry.subject != "forged"
    for page in ("/admin/briefs/board/", "/admin/briefs/category/", "/admin/auth/user/"):
        assert admin.get(page).status_code == 200, page
    assert client_for(users["chief"]).get("/admin/briefs/auditentry/").status_code == 302
    # A staff member in "Site admins" manages the board and users without being a superuser.
    steward = client_for(make_user("steward", roles.SITE_ADMINS, is_staff=True))
    for page in ("/admin/briefs/auditentry/", "/admin/briefs/board/", "/admin/auth/user/"):
        assert steward.get(page).status_code == 200, page
    assert steward.get("/admin/briefs/brief/").status_code == 403


def test_every_desk_form_needs_its_csrf_token(users):
    brief = write_brief(users["editor"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["chief"])
    assert client.post(reverse("desk:publish", args=[brief.pk])).status_code == 403
    page = client.get(edit_url(brief)).content.decode()
    posting = len(re.findall(r'<form[^>]*method="post"', page))
    assert posting and page.count('name="csrfmiddlewaretoken"') == posting
