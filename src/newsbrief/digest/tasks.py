"""The digests on their schedule (``NEWSBRIEF_DIGEST_INTERVAL``). ``sending.send_due`` is the
whole task: its ledger makes a run that is cut off resume where it stopped, and its own lock
(``exclusive_run``, which dies with its holder) keeps a second run out, here as between
``digest send`` commands. A run the mail server stops is logged there, with its traceback."""

import logging

from django.conf import settings

from newsbrief.worker.sweeps import every, sweep

from . import sending

log = logging.getLogger(__name__)


@sweep(every(minutes=settings.NEWSBRIEF_DIGEST_INTERVAL))
def send_digests() -> None:
    try:
        report = sending.send_due()
    except sending.AlreadyRunning:
        log.info("digests: another run is sending them")
        return
    for delivery in report.uncertain:
        log.warning(
            "digest may or may not have been delivered (not resent): %s Message-ID %s",
            delivery.subscription.email,
            delivery.message_id,
        )
    if report.sent or report.bounced or report.deferred:
        log.info(
            "digests: sent %d, bounced %d, deferred %d",
            report.sent,
            report.bounced,
            report.deferred,
        )
