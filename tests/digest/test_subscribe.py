"""The subscriber's pages: subscribe, the confirmation e-mail (through the SMTP server in
``conftest``), confirm, change choices, unsubscribe."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from newsbrief.briefs.models import Board, Category
from newsbrief.digest import subscriptions
from newsbrief.digest.models import Subscription

from .conftest import BASE_URL, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(db):
    return [
        Category.objects.create(slug="energy", name_en="Energy", name_zh_hant="能源"),
        Category.objects.create(slug="space", name_en="Space Technology", name_zh_hant="太空科技"),
    ]


def subscribe(client, ui="en", **data):
    data = {"email": "reader@example.org", "language": "en", "frequency": "weekly", **data}
    return client.post(f"/{ui}/digest/", data)


def confirmation_link(smtp, address="reader@example.org") -> str:
    [message] = smtp.to(address)
    body = message.get_content()
    return re.search(rf"{re.escape(BASE_URL)}(/\S+/confirm/\S+/)", body)[1]


def test_the_footer_links_the_subscribe_page_and_the_feeds(client, db):
    html = client.get("/en/").content.decode()
    assert 'href="/en/digest/">Get the briefs by e-mail</a>' in html
    assert 'href="/en/feeds/en/rss/"' in html and 'href="/en/feeds/en/atom/"' in html
    page = client.get("/zh-hant/digest/")
    assert page.status_code == 200
    assert page.context["form"]["language"].value() == "zh-hant"
    html = page.content.decode()
    assert "---------" not in html  # no empty language choice
    assert "style=" not in html and "<script" not in html  # the CSP allows neither inline


def test_subscribe_confirm_by_the_mailed_link(client, smtp, categories):
    response = subscribe(client, categories=[categories[1].pk])
    assert response.status_code == 302 and response.headers["Location"] == "/en/digest/sent/"
    subscription = Subscription.objects.get()
    assert subscription.state == "pending" and subscription.frequency == "weekly"
    assert list(subscription.categories.all()) == [categories[1]]

    link = confirmation_link(smtp)
    assert link == f"/en/digest/confirm/{subscription.token}/"
    page = client.get(link)  # what a mail scanner does: nothing happens
    assert "Space Technology" in page.content.decode()
    assert Subscription.objects.get().state == "pending"
    confirmed = client.post(link)
    assert "You are subscribed" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == "active" and subscription.confirmed_at


def test_a_chinese_subscription_is_confirmed_on_chinese_pages(client, smtp, categories):
    Board.objects.create(name="Sci Board", name_zh_hant="科技看板")
    subscribe(client, ui="zh-hant", language="zh-hant")
    assert confirmation_link(smtp).startswith("/zh-hant/digest/confirm/")
    [message] = smtp.to("reader@example.org")
    assert "科技看板" in message["Subject"] and "科技看板" in message.get_content()


def test_the_page_answers_every_address_alike_and_mails_only_its_owner(client, smtp):
    reader = subscriber("reader@example.org", frequency="daily")
    response = subscribe(client, email="Reader@EXAMPLE.org", frequency="weekly")
    assert response.headers["Location"] == "/en/digest/sent/"
    reader.refresh_from_db()
    assert (reader.state, reader.frequency) == ("active", "daily")  # a stranger changes nothing
    assert smtp.messages == [] and Subscription.objects.count() == 1


def test_one_confirmation_mail_per_address_every_few_minutes(client, smtp):
    subscribe(client)
    subscribe(client, frequency="daily")
    assert len(smtp.to("reader@example.org")) == 1
    assert Subscription.objects.get().frequency == "daily"
    Subscription.objects.update(
        confirmation_sent_at=timezone.now() - subscriptions.RESEND_AFTER - dt.timedelta(1)
    )
    subscribe(client)
    assert len(smtp.to("reader@example.org")) == 2


def test_subscribing_again_after_unsubscribing_needs_a_new_confirmation(client, smtp):
    old = subscriber("reader@example.org")
    old.unsubscribe()
    subscribe(client)
    renewed = Subscription.objects.get()
    assert renewed.state == "pending" and renewed.token != old.token
    assert client.get(f"/en/digest/unsubscribe/{old.token}/").status_code == 404
    assert confirmation_link(smtp) == f"/en/digest/confirm/{renewed.token}/"


@pytest.mark.parametrize(
    "email", ["not an address", "a@b", "x" * 250 + "@example.org", "é@example.org", ""]
)
def test_a_bad_address_is_refused_and_nothing_is_written(client, smtp, email):
    response = subscribe(client, email=email)
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert not Subscription.objects.exists() and smtp.messages == []


def test_bad_choices_are_refused(client, smtp):
    for data in [{"frequency": "hourly"}, {"language": "fr"}, {"categories": ["999", "x"]}]:
        response = subscribe(client, **data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not Subscription.objects.exists()


def test_an_expired_confirmation_link_does_nothing(client, smtp):
    subscribe(client)
    link = confirmation_link(smtp)
    Subscription.objects.update(
        confirmation_sent_at=timezone.now() - subscriptions.CONFIRM_WITHIN - dt.timedelta(1)
    )
    assert "no longer works" in client.post(link).content.decode()
    assert Subscription.objects.get().state == "pending"


def test_unknown_or_malformed_tokens_are_not_found(client, db):
    for page in ["confirm", "manage", "unsubscribe"]:
        for token in ["nope", "a" * 65, "..%2f"]:
            assert client.get(f"/en/digest/{page}/{token}/").status_code == 404
        assert client.get(f"/en/digest/{page}/%00/").status_code == 400


def test_change_choices_from_the_manage_link(client, categories):
    reader = subscriber("reader@example.org")
    url = f"/en/digest/manage/{reader.token}/"
    assert "reader@example.org" in client.get(url).content.decode()
    response = client.post(
        url, {"language": "zh-hant", "frequency": "weekly", "categories": [categories[0].pk]}
    )
    assert "Your choices are saved." in response.content.decode()
    reader.refresh_from_db()
    assert (reader.language, reader.frequency) == ("zh-hant", "weekly")
    assert list(reader.categories.all()) == [categories[0]]
    assert reader.email == "reader@example.org"


def test_unsubscribe_page_asks_then_the_button_unsubscribes(client, db):
    reader = subscriber("reader@example.org")
    url = f"/en/digest/unsubscribe/{reader.token}/"
    assert "<button" in client.get(url).content.decode()
    assert Subscription.objects.get().state == "active"
    response = client.post(url)
    assert "You are unsubscribed" in response.content.decode()
    assert Subscription.objects.get().state == "unsubscribed"
    assert client.post(url).status_code == 200  # again: still unsubscribed, no error


def test_csrf_is_off_for_the_unsubscribe_endpoint_alone(db):
    reader = subscriber("reader@example.org")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/en/digest/", {"email": "x@example.org"}).status_code == 403
    manage = strict.post(f"/en/digest/manage/{reader.token}/", {"frequency": "weekly"})
    assert manage.status_code == 403
    assert strict.post(f"/en/digest/unsubscribe/{reader.token}/").status_code == 200


def test_subscriptions_are_limited_per_address_and_the_form_is_not(settings, unique_address, smtp):
    settings.NEWSBRIEF_THROTTLE_SUBSCRIBE = "1/hour"
    reader = Client(REMOTE_ADDR=unique_address)
    assert subscribe(reader).status_code == 302
    refused = subscribe(reader, email="someone@example.org")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 59 * 60
    assert smtp.to("someone@example.org") == []
    assert reader.get("/en/digest/").status_code == 200
