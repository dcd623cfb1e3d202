"""Publishing old news at its own date: the action takes a moment in the past."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from newsbrief.briefs import actions, roles
from newsbrief.briefs.models import AuditEntry, Brief
from tests.factories import make_brief, make_user

pytestmark = pytest.mark.django_db
OLD = dt.datetime(2012, 5, 22, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def chief(db):
    return make_user("chief", roles.CHIEF_EDITORS)


def test_a_brief_published_in_the_past_takes_its_place_by_that_date(chief):
    make_brief("Published before", published_at=OLD - dt.timedelta(days=1))
    make_brief("Published after", published_at=OLD + dt.timedelta(days=1))
    make_brief("Today's news", published_at=timezone.now() - dt.timedelta(minutes=1))
    draft = make_brief("Old news", author=chief, status=Brief.Status.DRAFT)
    revisions = draft.revisions.count()

    brief = actions.publish(chief, draft, OLD)

    assert (brief.status, brief.published_at) == (Brief.Status.PUBLISHED, OLD)
    assert Brief.objects.published().filter(pk=brief.pk).exists()  # shown at once
    titles = list(Brief.objects.published().values_list("title", flat=True))
    assert titles == ["Today's news", "Published after", "Old news", "Published before"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PUBLISH, brief=brief)
    assert (entry.actor, entry.detail) == (chief, OLD.isoformat())
    assert brief.revisions.count() == revisions  # as for any publish: the status only
    month = Client().get("/en/archive/2012/5/").context["briefs"]
    assert [b.title for b in month] == ["Published after", "Old news", "Published before"]


def test_a_past_date_is_bounded_by_the_years_a_brief_may_have(chief):
    draft = make_brief("Old news", author=chief, status=Brief.Status.DRAFT)
    with pytest.raises(actions.InvalidContent) as refused:
        actions.publish(chief, draft, dt.datetime(1899, 12, 31, tzinfo=dt.UTC))
    assert "published_at" in refused.value.fields
    draft.refresh_from_db()
    assert draft.status == Brief.Status.DRAFT
    assert actions.publish(chief, draft, dt.datetime(1900, 1, 2, tzinfo=dt.UTC)).published_at


def test_only_those_who_publish_may_date_a_brief(db):
    editor = make_user("ed", roles.EDITORS)
    draft = make_brief("Old news", author=editor, status=Brief.Status.DRAFT)
    with pytest.raises(actions.NotAllowed):
        actions.publish(editor, draft, OLD)
