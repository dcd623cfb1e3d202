"""``digest send``: what a digest holds, whom it reaches, and the ledger, through the SMTP
server in ``conftest``."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from newsbrief.briefs.models import Board, Brief, Category
from newsbrief.briefs.publishing import set_status
from newsbrief.digest import sending
from newsbrief.digest.models import MAX_BOUNCES, Delivery, Subscription

from .conftest import BASE_URL, local_midnight, publish, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    """The run's time: an hour after midnight today, board time (so, for the first hour of
    the day, ahead of the clock)."""
    return local_midnight() + dt.timedelta(hours=1)


@pytest.fixture
def yesterday():
    return local_midnight(days_ago=1) + dt.timedelta(hours=12)


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_a_digest_lists_the_new_briefs_of_its_language_and_categories(smtp, now, yesterday):
    energy = publish("Offshore wind farm opens", at=yesterday, tags=("Energy", "Taiwan"))
    publish("Chip plant expands", at=yesterday, tags=("Semiconductors",))
    publish("離岸風場啟用", at=yesterday, language="zh-hant", tags=("Energy",))
    publish("Today's news", at=now - dt.timedelta(minutes=30))
    publish("Before the subscription", at=yesterday - dt.timedelta(days=20))
    draft = publish("A draft", at=yesterday)
    set_status(draft, Brief.Status.DRAFT)
    reader = subscriber("reader@example.org", categories=[Category.objects.get(name_en="Energy")])

    report = sending.send_due(now)

    assert (report.sent, report.bounced, report.deferred) == (1, 0, 0)
    [message] = smtp.to("reader@example.org")
    text, html = parts(message)
    assert "[Energy][Taiwan] Offshore wind farm opens" in text
    assert f"CENS.com ({yesterday:%Y/%m/%d})" in text
    assert f"{BASE_URL}/en/briefs/{energy.pk}/" in text
    for absent in ["Chip plant", "離岸", "Today's news", "Before the subscription", "A draft"]:
        assert absent not in text and absent not in html
    assert f'<a href="{BASE_URL}/en/briefs/{energy.pk}/">Offshore wind farm opens</a>' in html
    assert "<strong>[Energy]</strong><strong>[Taiwan]</strong>" in html
    assert message["Subject"] == f"Sci-Tech Newsbrief digest, {yesterday:%Y/%m/%d}"
    unsubscribe = f"{BASE_URL}/en/digest/unsubscribe/{reader.token}/"
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and f"{BASE_URL}/en/digest/manage/{reader.token}/" in text
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.briefs, delivery.end) == ("sent", 1, local_midnight())
    assert message["Message-ID"] == delivery.message_id


def test_a_digest_in_chinese_links_the_chinese_pages(smtp, now, yesterday):
    brief = publish("離岸風場啟用", at=yesterday, language="zh-hant", tags=("Energy",))
    Board.objects.update(name_zh_hant="科技看板")
    reader = subscriber("zh@example.org", language="zh-hant")
    sending.send_due(now)
    [message] = smtp.to("zh@example.org")
    text, html = parts(message)
    assert "離岸風場啟用" in text and f"{BASE_URL}/zh-hant/briefs/{brief.pk}/" in text
    assert message["Subject"].startswith("科技看板") and "<h1>科技看板</h1>" in html
    assert message["List-Unsubscribe"].strip() == (
        f"<{BASE_URL}/zh-hant/digest/unsubscribe/{reader.token}/>"
    )


def test_each_period_once_and_the_next_digest_starts_where_the_last_ended(
    smtp, now, yesterday, time_machine
):
    # At 00:30 the clock is behind the run's time (01:00): the hour this test once failed in.
    time_machine.move_to((now - dt.timedelta(minutes=30)).astimezone(dt.UTC))
    publish("First", at=yesterday)
    subscriber("reader@example.org")
    assert sending.send_due(now).sent == 1
    assert sending.send_due(now + dt.timedelta(hours=5)).sent == 0
    publish("Second", at=now)  # today: in tomorrow's digest
    tomorrow = now + dt.timedelta(days=1)
    assert sending.send_due(tomorrow).sent == 1
    first, second = smtp.to("reader@example.org")
    assert "First" in parts(first)[0] and "Second" not in parts(first)[0]
    assert "Second" in parts(second)[0] and "First" not in parts(second)[0]


def test_a_run_given_its_time_does_not_read_the_clock(smtp, now):
    """A run two days ahead of the clock lists what its period published, which for the
    clock is still to come."""
    publish("Tomorrow's news", at=now + dt.timedelta(days=1))
    subscriber("reader@example.org")
    assert sending.send_due(now + dt.timedelta(days=2)).sent == 1
    assert "Tomorrow's news" in parts(smtp.to("reader@example.org")[0])[0]


def test_no_mail_for_a_period_without_briefs_and_the_next_digest_covers_it(smtp, now, yesterday):
    subscriber("reader@example.org")
    report = sending.send_due(now - dt.timedelta(days=1))
    assert (report.sent, report.empty) == (0, 1) and not Delivery.objects.exists()
    publish("Late import, dated the day before yesterday", at=yesterday - dt.timedelta(days=1))
    assert sending.send_due(now).sent == 1
    assert "Late import" in parts(smtp.to("reader@example.org")[0])[0]


def test_weekly_digests_end_on_monday(smtp, now):
    monday = sending.period_end("weekly", now)
    publish("News", at=monday - dt.timedelta(days=2))
    subscriber("weekly@example.org", frequency="weekly")
    sending.send_due(now)
    end = timezone.localtime(Delivery.objects.get().end)
    assert end == monday and end.weekday() == 0 and end.time() == dt.time.min
    assert end <= now < end + dt.timedelta(days=7)


def test_only_confirmed_subscriptions_get_digests(smtp, now, yesterday):
    publish("News", at=yesterday)
    for state in ["pending", "unsubscribed", "disabled"]:
        subscriber(f"{state}@example.org", state=state)
    assert sending.send_due(now).sent == 0
    assert smtp.messages == []


def test_hard_bounces_count_and_disable_and_the_run_goes_on(smtp, now, yesterday):
    subscriber("gone@example.org")
    subscriber("reader@example.org")
    smtp.refuse["gone@example.org"] = "550 5.1.1 No such user"
    for days_ago in reversed(range(MAX_BOUNCES)):
        publish(f"News {days_ago}", at=yesterday - dt.timedelta(days=days_ago))
        report = sending.send_due(now - dt.timedelta(days=days_ago))
        assert (report.sent, report.bounced) == (1, 1)
    gone = Subscription.objects.get(email="gone@example.org")
    assert gone.state == "disabled" and gone.bounces == MAX_BOUNCES
    assert "550 5.1.1 No such user" in gone.last_error
    assert Delivery.objects.filter(subscription=gone, state="bounced").count() == MAX_BOUNCES
    assert len(smtp.to("reader@example.org")) == MAX_BOUNCES


def test_a_delivery_resets_the_bounce_count(smtp, now, yesterday):
    publish("News", at=yesterday)
    reader = subscriber("reader@example.org", bounces=2)
    sending.send_due(now)
    reader.refresh_from_db()
    assert reader.bounces == 0 and reader.state == "active"


def test_an_address_no_server_takes_is_disabled_at_once(smtp, now, yesterday):
    publish("News", at=yesterday)
    subscriber("broken@@example.org")
    subscriber("reader@example.org")
    report = sending.send_due(now)
    assert (report.sent, report.bounced) == (1, 1)
    assert Subscription.objects.get(email="broken@@example.org").state == "disabled"


def test_a_temporary_refusal_is_sent_again_by_the_next_run(smtp, now, yesterday):
    publish("News", at=yesterday)
    subscriber("busy@example.org")
    smtp.refuse["busy@example.org"] = "450 4.2.1 Try again later"
    report = sending.send_due(now)
    assert (report.sent, report.deferred) == (0, 1)
    delivery = Delivery.objects.get()
    assert delivery.state == "sending" and "450" in delivery.error
    del smtp.refuse["busy@example.org"]
    assert sending.send_due(now).sent == 1
    [message] = smtp.to("busy@example.org")
    assert message["Message-ID"] == delivery.message_id
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)


def test_a_failing_server_stops_the_run_and_the_next_run_sends(smtp, now, yesterday, settings):
    publish("News", at=yesterday)
    subscriber("reader@example.org")
    settings.EMAIL_PORT = 1  # nothing listens there
    with pytest.raises(CommandError, match="mail server failed"):
        call_command("digest", "send", stdout=io.StringIO(), stderr=io.StringIO())
    assert Delivery.objects.get().state == "sending"
    settings.EMAIL_PORT = smtp.port
    out = io.StringIO()
    call_command("digest", "send", stdout=out, stderr=io.StringIO())
    assert "sent 1," in out.getvalue()
    assert len(smtp.to("reader@example.org")) == 1


def test_dry_run_sends_and_writes_nothing(smtp, yesterday):
    publish("News", at=yesterday)
    subscriber("reader@example.org")
    out = io.StringIO()
    call_command("digest", "send", "--dry-run", stdout=out)
    assert "would send reader@example.org: 1 briefs" in out.getvalue()
    assert "would send 1 digests" in out.getvalue()
    assert smtp.messages == [] and not Delivery.objects.exists()


def test_one_click_unsubscribe_from_the_header_stops_the_digests(smtp, now, yesterday):
    publish("News", at=yesterday)
    subscriber("reader@example.org")
    sending.send_due(now)
    [message] = smtp.to("reader@example.org")
    url = message["List-Unsubscribe"].strip().strip("<>").removeprefix(BASE_URL)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscription.objects.get().state == "unsubscribed"
    publish("More news", at=now)
    assert sending.send_due(now + dt.timedelta(days=1)).sent == 0


def test_a_claim_whose_subscription_ended_is_dropped(smtp, now, yesterday):
    publish("News", at=yesterday)
    reader = subscriber("reader@example.org")
    Delivery.objects.create(
        subscription=reader, start=yesterday, end=now, message_id="<left@example.org>"
    )
    reader.unsubscribe()
    assert sending.send_due(now).sent == 0
    assert not Delivery.objects.exists() and smtp.messages == []


def test_bounces_reported_later_are_recorded_by_address(db):
    reader = subscriber("reader@example.org", bounces=MAX_BOUNCES - 2)
    out, err = io.StringIO(), io.StringIO()
    addresses = ["READER@example.org", "who@example.org"]
    call_command("digest", "bounce", *addresses, stdout=out, stderr=err)
    assert "recorded 1, unknown 1" in out.getvalue() and "who@example.org" in err.getvalue()
    reader.refresh_from_db()
    assert (reader.bounces, reader.state) == (MAX_BOUNCES - 1, "active")
    call_command("digest", "bounce", "reader@example.org", "--reason", "5.2.1 disabled", stdout=out)
    reader.refresh_from_db()
    assert (reader.state, reader.last_error) == ("disabled", "5.2.1 disabled")
