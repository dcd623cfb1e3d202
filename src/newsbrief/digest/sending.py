"""Sending the due digests, each once, through the send ledger (``Delivery``).

**Periods.** A daily digest's period ends at midnight, board time (``TIME_ZONE``), a weekly one
at Monday 00:00; a digest is due once its period has ended. It lists the briefs published
after the end of the subscription's previous digest (or its confirmation) up to the period's
end, in its language and categories. With none, nothing is sent and nothing recorded, so the
next digest covers that time too.

**The ledger.** For each digest a run

1. claims it: commits a ``Delivery`` row (state ``sending``) with the digest's period and its
   Message-ID, unique per subscription and period, before it talks to the mail server;
2. sends it, and just before handing over the end of the data (``transport``), commits the
   state ``committing``;
3. commits ``sent`` when the server answers 250 (or ``bounced`` / back to ``sending``).

Only one run works at a time (``exclusive_run``), so a row that a run finds in ``sending`` or
``committing`` was left by a run that died. What it left is resolved like this:

- ``sending``: the server never got the end of the data, so it delivered nothing (RFC 5321);
  the digest is sent now, same period and same Message-ID. Never skipped, never twice.
- ``committing``: the run died between handing over the end of the data and reading the
  server's answer, the few milliseconds in which no SMTP client can know whether the message
  was accepted (RFC 1047). Sending again could deliver it twice; not sending could skip it.
  The issue ranks a duplicate as the failure to rule out, so such a row becomes
  ``uncertain``: counted as sent, not resent, and reported (address and Message-ID) so an
  operator can check the mail server's log. This is at-most-once for that window only; every
  crash anywhere else is exactly-once. Had we resent instead, the same Message-ID would let
  mail clients that collapse duplicates show it once, but the server log would show two.

A temporary refusal (4xx) leaves the row ``sending`` for the next run; a permanent one (5xx,
or an address no SMTP server takes) marks it ``bounced`` and counts a hard bounce against the
subscription, which is disabled after ``MAX_BOUNCES`` in a row; the run goes on either way. A
server that fails (cannot be reached, refuses our sender) stops the run; every row it had not
finished stays ``sending``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import logging
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from newsbrief.briefs import dates
from newsbrief.briefs.context_processors import board_words
from newsbrief.briefs.models import Board, Brief

from .models import Delivery, Subscription
from .transport import InvalidAddress, Refused, ServerError, TemporaryFailure, open_transport

logger = logging.getLogger(__name__)

LOCK_KEY = 0x6E657773  # "news": the advisory lock of the digest run on PostgreSQL


class AlreadyRunning(Exception):
    """Another ``digest send`` is running on this database."""


@contextlib.contextmanager
def exclusive_run() -> Iterator[None]:
    """Hold the digest run's lock; ``AlreadyRunning`` if another process holds it. The lock
    goes with the process (a PostgreSQL session lock, a file lock beside the SQLite file),
    so a run that is killed never blocks the next one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise AlreadyRunning
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        return
    with open(f"{connection.settings_dict['NAME']}.digest-lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning from None
        yield


def period_end(frequency: str, now: dt.datetime) -> dt.datetime:
    """The end of the latest period of ``frequency`` that has ended by ``now``."""
    local = timezone.localtime(now)
    day = local.date()
    if frequency == Subscription.Frequency.WEEKLY:
        day -= dt.timedelta(days=day.weekday())
    return dt.datetime.combine(day, dt.time.min, tzinfo=local.tzinfo)


@dataclasses.dataclass
class Digest:
    subscription: Subscription
    start: dt.datetime
    end: dt.datetime
    delivery: Delivery | None = None  # set when resending a claimed digest

    def briefs(self):
        """What was published in the period, as of its end: the same whenever it is sent
        (not the wall clock's view, which a run given its ``now`` must not read)."""
        briefs = Brief.objects.published(at=self.end).filter(
            board=Board.current(),
            language=self.subscription.language,
            published_at__gt=self.start,
        )
        categories = list(self.subscription.categories.all())
        if categories:
            briefs = briefs.filter(brief_tags__category__in=categories).distinct()
        return briefs.for_listing()


def due(now: dt.datetime) -> list[Digest]:
    """The digests to send at ``now``: first those a dead run claimed but did not hand over,
    then each active subscription's whose period has ended since its last digest."""
    digests = [
        Digest(d.subscription, d.start, d.end, d)
        for d in Delivery.objects.filter(
            state=Delivery.State.SENDING, subscription__state=Subscription.State.ACTIVE
        ).select_related("subscription")
    ]
    active = Subscription.objects.filter(state=Subscription.State.ACTIVE).annotate(
        last_end=Max("deliveries__end")
    )
    for subscription in active.prefetch_related("categories"):
        end = period_end(subscription.frequency, now)
        start = max(filter(None, [subscription.last_end, subscription.confirmed_at]))
        if start < end:
            digests.append(Digest(subscription, start, end))
    return digests


def message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<digest.{uuid.uuid4().hex}@{domain}>"


def compose(digest: Digest, briefs: list[Brief], message_id: str) -> EmailMultiAlternatives:
    """The digest e-mail, in the subscription's language: plain text and HTML, with the
    one-click unsubscribe headers of RFC 8058."""
    subscription = digest.subscription
    base = settings.NEWSBRIEF_BASE_URL
    with translation.override(subscription.language):
        name = board_words(Board.current(), subscription.language)["board_name"]
        last_day = timezone.localtime(digest.end) - dt.timedelta(days=1)
        context = {
            "board_name": name,
            "subscription": subscription,
            "briefs": briefs,
            "base_url": base,
            "start": digest.start,
            "end": digest.end,
            "unsubscribe_url": base + subscription.link("unsubscribe"),
            "manage_url": base + subscription.link("manage"),
        }
        for brief in briefs:
            brief.digest_url = base + brief.get_absolute_url()
        subject = _("%(board)s digest, %(date)s") % {
            "board": name,
            "date": dates.format_date(last_day.date()),
        }
        text = render_to_string("digest/email/digest.txt", context)
        html = render_to_string("digest/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[subscription.email],
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclasses.dataclass
class Report:
    sent: int = 0
    empty: int = 0
    bounced: int = 0
    deferred: int = 0
    uncertain: list[Delivery] = dataclasses.field(default_factory=list)
    stopped: str = ""


def _claim(digest: Digest, count: int) -> Delivery | None:
    """Commit the ledger row for ``digest`` (or reuse a dead run's); None if it exists."""
    if digest.delivery:
        return digest.delivery
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                subscription=digest.subscription,
                start=digest.start,
                end=digest.end,
                message_id=message_id(),
                briefs=count,
            )
    except IntegrityError:
        return None


def _bounce(delivery: Delivery, why: str, invalid: bool = False) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.BOUNCED, error=why[:500])
    delivery.subscription.record_bounce(why, invalid=invalid)


def send_one(transport, digest: Digest, report: Report) -> None:
    briefs = list(digest.briefs())
    if not briefs:
        if digest.delivery:  # its briefs were unpublished since a dead run claimed it
            digest.delivery.delete()
        report.empty += 1
        return
    delivery = _claim(digest, len(briefs))
    if delivery is None:
        return
    ledger = Delivery.objects.filter(pk=delivery.pk)
    ledger.update(attempts=F("attempts") + 1)

    def handing_over() -> None:
        ledger.update(state=Delivery.State.COMMITTING)

    try:
        transport.send(compose(digest, briefs, delivery.message_id), handing_over)
    except InvalidAddress as error:
        _bounce(delivery, str(error), invalid=True)
        report.bounced += 1
    except Refused as error:
        _bounce(delivery, str(error))
        report.bounced += 1
    except TemporaryFailure as error:
        ledger.update(state=Delivery.State.SENDING, error=str(error)[:500])
        report.deferred += 1
    except ServerError as error:
        handed_over = ledger.filter(state=Delivery.State.COMMITTING).update(
            state=Delivery.State.UNCERTAIN, error=str(error)[:500]
        )
        if handed_over:
            delivery.refresh_from_db()
            report.uncertain.append(delivery)
        else:
            ledger.update(error=str(error)[:500])
        raise
    else:
        ledger.update(state=Delivery.State.SENT, sent_at=timezone.now(), error="")
        Subscription.objects.filter(pk=digest.subscription.pk).update(bounces=0, last_error="")
        report.sent += 1


def recover() -> list[Delivery]:
    """Mark the digests a dead run was handing over as ``uncertain`` (see the module's
    docstring) and return them."""
    left = list(
        Delivery.objects.filter(state=Delivery.State.COMMITTING).select_related("subscription")
    )
    Delivery.objects.filter(pk__in=[d.pk for d in left]).update(
        state=Delivery.State.UNCERTAIN,
        error="the run stopped between handing the digest over and the server's answer",
    )
    return left


def send_due(now: dt.datetime | None = None, progress: bool = False) -> Report:
    """Send every due digest (see the module's docstring); one run at a time."""
    report = Report()
    with exclusive_run():
        report.uncertain = recover()
        # Claims of subscriptions that are no longer active are dropped: nothing was sent.
        Delivery.objects.filter(state=Delivery.State.SENDING).exclude(
            subscription__state=Subscription.State.ACTIVE
        ).delete()
        transport = open_transport()
        try:
            for digest in tqdm(due(now or timezone.now()), disable=not progress, unit="digest"):
                send_one(transport, digest, report)
        except ServerError as error:
            logger.exception("digests stopped, the rest go next time")
            report.stopped = str(error)
        finally:
            transport.close()
    return report
