"""Hostile content on the desk: the save and the preview say what is wrong on the form
instead of answering 500, and a brief holding dates stored before they were checked can
still be edited."""

import datetime as dt

import pytest
from django.urls import reverse

from newsbrief.briefs.models import Brief

from .conftest import client_for, form_data, write_brief

pytestmark = pytest.mark.django_db
NESTED = "* " * 500 + "x"


def compose(**changes) -> dict:
    return {"title": "Deep", "body": "Text.", "language": "en", **changes}


def test_saving_a_body_nested_too_deeply_is_a_form_error(users):
    client = client_for(users["editor"])
    response = client.post(reverse("desk:new"), {**compose(body=NESTED), "save": "1"})
    assert response.status_code == 200 and not Brief.objects.exists()
    assert "body" in response.context["form"].errors


def test_editing_to_a_body_nested_too_deeply_is_a_form_error(users):
    brief = write_brief(users["editor"])
    client = client_for(users["editor"])
    url = reverse("desk:edit", args=[brief.pk])
    response = client.post(url, {**form_data(client, url), "body": NESTED, "save": "1"})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert Brief.objects.get(pk=brief.pk).body == brief.body


def test_previews_say_why_a_body_cannot_be_shown(users):
    client = client_for(users["editor"])
    page = client.post(reverse("desk:new"), {**compose(body=NESTED), "preview": "1"})
    assert page.status_code == 200 and "body" in page.context["form"].errors
    fragment = client.post(reverse("desk:preview"), compose(body=NESTED))
    assert fragment.status_code == 200
    assert 'role="alert"' in fragment.content.decode()
    too_long = client.post(reverse("desk:preview"), compose(body="[" * 100_001))
    assert too_long.status_code == 200 and "100000" in too_long.content.decode()


def test_a_run_of_brackets_previews_as_text(users):
    client = client_for(users["editor"])
    fragment = client.post(reverse("desk:preview"), compose(body="[" * 15000))
    assert fragment.content.decode().count("[") == 15000


@pytest.mark.parametrize("typed", ["0001-01-05", "9999-12-31"])
def test_a_source_date_the_board_cannot_show_is_a_form_error(users, typed):
    client = client_for(users["editor"])
    response = client.post(reverse("desk:new"), {**compose(source_date=typed), "save": "1"})
    assert response.status_code == 200 and not Brief.objects.exists()
    assert "source_date" in response.context["form"].errors


@pytest.mark.parametrize("day", [dt.date(1, 1, 5), dt.date(9999, 12, 31)])
def test_a_brief_with_extreme_stored_dates_can_still_be_edited(users, day):
    brief = write_brief(users["chief"], Brief.Status.PUBLISHED)
    at = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    Brief.objects.filter(pk=brief.pk).update(source_date=day, published_at=at)
    client = client_for(users["chief"])
    url = reverse("desk:edit", args=[brief.pk])
    assert client.get(url).status_code == 200
    fixed = {**form_data(client, url), "source_date": "2012-05-20", "save": "1"}
    # An edit keeps the publication the row has (the edit did not mean to change it).
    assert client.post(url, fixed).status_code == 302
    assert Brief.objects.get(pk=brief.pk).source_date == dt.date(2012, 5, 20)
    client.post(reverse("desk:publish", args=[brief.pk]), {"when": "2012-05-22T09:00"})
    assert Brief.objects.get(pk=brief.pk).published_at.year == 2012
