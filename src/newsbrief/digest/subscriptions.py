"""Subscribing, confirming and the confirmation e-mail.

The subscribe page answers every address the same way, so it never tells whether an
address is subscribed; only the address's owner learns anything, by e-mail.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from newsbrief.briefs.context_processors import board_words
from newsbrief.briefs.models import Board

from .models import Subscription, new_token

log = logging.getLogger(__name__)

#: A confirmation link works this long.
CONFIRM_WITHIN = dt.timedelta(days=7)
#: At most one confirmation e-mail per address this often, so the form cannot flood an inbox.
RESEND_AFTER = dt.timedelta(minutes=10)


def request(email: str, language: str, frequency: str, categories) -> None:
    """Record a subscription request and e-mail its confirmation link.

    A new address, or one that unsubscribed or was disabled, waits for confirmation under a
    new token (links in old digests stop working). An active subscription is left as it is:
    its owner changes it from the link in every digest, not a stranger from this form."""
    try:
        subscription = _record(email, language, frequency, categories)
    except IntegrityError:  # a concurrent request for the same address won: start from it
        subscription = _record(email, language, frequency, categories)
    if subscription is None:
        return
    sent = subscription.confirmation_sent_at
    if sent and timezone.now() - sent < RESEND_AFTER:
        return
    send_confirmation(subscription)


@transaction.atomic
def _record(email: str, language: str, frequency: str, categories) -> Subscription | None:
    """The pending subscription for ``email``, or None if it is active."""
    subscription = Subscription.objects.select_for_update().filter(email__iexact=email).first()
    if subscription and subscription.state == Subscription.State.ACTIVE:
        return None
    subscription = subscription or Subscription(email=email)
    if subscription.state != Subscription.State.PENDING:
        subscription.token = new_token()
    subscription.state = Subscription.State.PENDING
    subscription.language, subscription.frequency = language, frequency
    subscription.save()
    subscription.categories.set(categories)
    return subscription


def send_confirmation(subscription: Subscription) -> None:
    """The confirmation e-mail, in the subscription's language. A failure is logged, not
    raised: the page must answer as it does for any address."""
    with translation.override(subscription.language):
        name = board_words(Board.current(), subscription.language)["board_name"]
        context = {
            "board_name": name,
            "subscription": subscription,
            "confirm_url": settings.NEWSBRIEF_BASE_URL + subscription.link("confirm"),
            "days": CONFIRM_WITHIN.days,
        }
        subject = _("Confirm your %(board)s digest") % {"board": name}
        body = render_to_string("digest/email/confirm.txt", context)
    try:
        EmailMessage(subject, body, to=[subscription.email]).send()
    except Exception:
        log.exception("could not send the digest confirmation to %s", subscription.email)
        return
    Subscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())


def expired(subscription: Subscription) -> bool:
    """Whether a pending subscription's confirmation link is too old to use."""
    sent = subscription.confirmation_sent_at or subscription.created_at
    return timezone.now() - sent > CONFIRM_WITHIN
