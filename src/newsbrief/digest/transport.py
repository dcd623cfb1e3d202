"""Handing one message to the mail server, telling the caller the moment it can no longer be
taken back.

An SMTP server accepts a message when it receives the line that ends its data (``.``) and
answers 250; a connection that drops before that line delivers nothing (RFC 5321, 4.1.1.4).
``SmtpTransport`` therefore speaks SMTP itself (over the connection Django's backend opens,
with its TLS and login settings) and calls ``handing_over`` just before it sends that line.
Until then a failure certainly delivered nothing and the digest can be sent again; after it,
only the server's answer says, and a run that dies waiting for it cannot know (the window
RFC 1047 describes: milliseconds, against the seconds the rest of the conversation takes).

Other e-mail backends (the console in development) have no such moment: ``BackendTransport``
hands over before calling them.
"""

import re
import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address


class InvalidAddress(ValueError):
    """The address cannot be written in an SMTP envelope."""


class TemporaryFailure(Exception):
    """The server refused for now (4xx); nothing was delivered, try again later."""


class Refused(Exception):
    """The server refused for good (5xx): a hard bounce."""


class ServerError(Exception):
    """The server cannot be reached or will not take mail from us (down, timed out,
    disconnected, sender or DATA refused): no digest can go now."""


def envelope_address(address: str) -> str:
    """``address`` as the envelope needs it (punycode domain); ``InvalidAddress`` if it
    cannot be written in ASCII."""
    try:
        envelope = sanitize_address(address, settings.DEFAULT_CHARSET)
    except ValueError as error:
        raise InvalidAddress(str(error)) from None
    if not envelope.isascii() or "@" not in envelope:
        raise InvalidAddress(f"not an address an SMTP server takes: {address!r}")
    return envelope


def _data(message: EmailMessage) -> bytes:
    """The message as SMTP DATA: CRLF line ends, leading dots doubled, no final ``.``."""
    raw = message.message().as_bytes(linesep="\r\n")
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", raw)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _check(reply: tuple[int, bytes], expected: tuple[int, ...], step: str) -> None:
    code, text = reply
    if code in expected:
        return
    why = f"{step}: {code} {text.decode(errors='replace')}"
    raise (TemporaryFailure if 400 <= code < 500 else Refused)(why)


class SmtpTransport:
    def __init__(self):
        self.backend = get_connection()

    def send(self, message: EmailMessage, handing_over: Callable[[], None]) -> None:
        try:
            sender = envelope_address(message.from_email)
        except InvalidAddress as error:
            raise ImproperlyConfigured(f"NEWSBRIEF_FROM_EMAIL: {error}") from None
        recipients = [envelope_address(a) for a in message.recipients()]
        data = _data(message)
        try:
            self.backend.open()
            smtp = self.backend.connection
            smtp.ehlo_or_helo_if_needed()
            try:
                code, text = smtp.mail(sender)
                if code != 250:
                    raise ServerError(f"MAIL FROM: {code} {text.decode(errors='replace')}")
                for recipient in recipients:
                    _check(smtp.rcpt(recipient), (250, 251), f"RCPT TO {recipient}")
                code, text = smtp.docmd("DATA")
                if code != 354:
                    raise ServerError(f"DATA: {code} {text.decode(errors='replace')}")
            except (TemporaryFailure, Refused, ServerError):
                smtp.rset()
                raise
            smtp.send(data)
            handing_over()
            smtp.send(b".\r\n")
            _check(smtp.getreply(), (250,), "end of data")
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise ServerError(f"{type(error).__name__}: {error}") from error

    def close(self) -> None:
        self.backend.close()


class BackendTransport:
    def __init__(self):
        self.backend = get_connection()

    def send(self, message: EmailMessage, handing_over: Callable[[], None]) -> None:
        envelope_address(message.to[0])
        handing_over()
        self.backend.send_messages([message])

    def close(self) -> None:
        self.backend.close()


def open_transport() -> SmtpTransport | BackendTransport:
    """The transport for ``EMAIL_BACKEND``."""
    if isinstance(get_connection(), SmtpBackend):
        return SmtpTransport()
    return BackendTransport()
