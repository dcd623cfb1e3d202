"""A real SMTP server (aiosmtpd) on loopback that keeps what it accepts, subscriptions and
briefs to send."""

import asyncio
import datetime as dt
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from newsbrief.digest.models import Subscription
from tests.factories import make_brief

BASE_URL = "https://news.example.org"


class Mailbox:
    """The aiosmtpd handler: keeps every accepted message; ``refuse`` maps an address to the
    reply its RCPT gets; ``hold("RCPT" or "DATA", n)`` stops the n-th such step (DATA: after
    the message's end has arrived, before the answer) until ``release()``."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: dict[str, str] = {}
        self.counts = {"RCPT": 0, "DATA": 0}
        self.hold_at: tuple[str, int] | None = None
        self.held, self.released = threading.Event(), threading.Event()

    def hold(self, step: str, n: int) -> None:
        self.hold_at = (step, n)

    def release(self) -> None:
        self.released.set()

    async def _step(self, step: str) -> None:
        self.counts[step] += 1
        if self.hold_at == (step, self.counts[step]):
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        await self._step("RCPT")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        await self._step("DATA")
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["X-Envelope-To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """The mailbox of an SMTP server on loopback that the board's mail goes to."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    mailbox.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "digest@news.example.org"
    settings.NEWSBRIEF_BASE_URL = BASE_URL
    yield mailbox
    mailbox.release()
    controller.stop()


def local_midnight(days_ago: int = 0) -> dt.datetime:
    today = timezone.localdate()
    return dt.datetime.combine(
        today - dt.timedelta(days=days_ago), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def publish(title: str, *, at: dt.datetime, **fields):
    """``make_brief``: a brief published ``at``, from CENS.com that day, in Energy unless
    ``tags`` says otherwise."""
    fields = {"body": f"{title}: the body.", "author": "techman", "tags": ("Energy",), **fields}
    return make_brief(
        title, published_at=at, source_name="CENS.com", source_date=at.date(), **fields
    )


def subscriber(email_address: str, *, language="en", frequency="daily", categories=(), **fields):
    fields.setdefault("state", Subscription.State.ACTIVE)
    if fields["state"] == Subscription.State.ACTIVE:
        fields.setdefault("confirmed_at", local_midnight(days_ago=10))
    subscription = Subscription.objects.create(
        email=email_address, language=language, frequency=frequency, **fields
    )
    subscription.categories.set(categories)
    return subscription
