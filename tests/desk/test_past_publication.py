"""The desk's publish form dates old news in the past, and offers the source's date."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from newsbrief.briefs.models import AuditEntry, Brief

from .conftest import client_for, write_brief

pytestmark = pytest.mark.django_db


def edit_page(client, brief, language="en"):
    return client.get(f"/{language}{reverse('desk:edit', args=[brief.pk])[3:]}")


@pytest.mark.parametrize(
    ("language", "offer", "done"),
    [
        ("en", "Publish dated 2012/05/20, the source's date", "Published, dated May 20, 2012"),
        ("zh-hant", "以來源日期 2012/05/20 發布", "已發布，日期為 2012年5月20日"),
    ],
)
def test_an_old_source_is_offered_as_the_publication_date(users, language, offer, done):
    chief = client_for(users["chief"])
    brief = write_brief(users["editor"], status=Brief.Status.REVIEW)  # source: 2012-05-20
    today = write_brief(
        users["editor"],
        title="Today's news",
        status=Brief.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(minutes=1),
        source_date=None,
    )
    page = edit_page(chief, brief, language).content.decode()
    assert offer in page
    assert 'name="when" value="2012-05-20T12:00"' in page
    response = chief.post(
        f"/{language}/desk/{brief.pk}/publish/", {"when": "2012-05-20T12:00"}, follow=True
    )
    assert done in response.content.decode()
    brief.refresh_from_db()
    assert brief.status == Brief.Status.PUBLISHED
    assert timezone.localtime(brief.published_at).date() == dt.date(2012, 5, 20)
    assert brief in response.client.get("/en/archive/2012/5/").context["briefs"]
    assert chief.get("/en/").context["briefs"] == [today, brief]  # old news is not on top
    # Dated by its source now: no more offer.
    assert offer not in edit_page(chief, brief, language).content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PUBLISH, brief=brief).exists()


def test_any_past_time_may_be_typed(users):
    chief = client_for(users["chief"])
    brief = write_brief(users["editor"], source_date=None)
    assert "the source's date" not in edit_page(chief, brief).content.decode()
    chief.post(reverse("desk:publish", args=[brief.pk]), {"when": "2010-01-02T03:04"})
    brief.refresh_from_db()
    local = timezone.localtime(brief.published_at)
    assert (local.date(), local.hour, local.minute) == (dt.date(2010, 1, 2), 3, 4)


def test_a_recent_source_is_not_offered(users):
    chief = client_for(users["chief"])
    brief = write_brief(users["editor"], source_date=timezone.localdate() - dt.timedelta(days=2))
    page = edit_page(chief, brief).content.decode()
    assert "the source's date" not in page and "Publish at" in page


def test_a_time_before_1900_is_refused_and_nothing_changes(users):
    chief = client_for(users["chief"])
    brief = write_brief(users["editor"])
    response = chief.post(
        reverse("desk:publish", args=[brief.pk]), {"when": "1899-12-31T12:00"}, follow=True
    )
    assert "between 1900 and 9000" in response.content.decode()
    brief.refresh_from_db()
    assert brief.status == Brief.Status.DRAFT


def test_editors_see_no_publish_form(users):
    editor = client_for(users["editor"])
    brief = write_brief(users["editor"])
    assert "the source's date" not in edit_page(editor, brief).content.decode()
    editor.post(reverse("desk:publish", args=[brief.pk]), {"when": "2012-05-20T12:00"})
    brief.refresh_from_db()
    assert brief.status == Brief.Status.DRAFT
