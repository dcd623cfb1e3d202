"""A Phorum 5 board as read from its database, text repaired: what ``source`` hands to the
importer. Times are aware (UTC); text is ``str`` in NFC."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Protocol

#: ``messages.status``
APPROVED, HELD, HIDDEN = 2, -1, -2


@dataclasses.dataclass(frozen=True)
class Forum:
    forum_id: int
    name: str
    description: str
    folder: bool  # ``folder_flag``: holds forums, not messages
    parent_id: int
    vroot: int
    language: str  # Phorum's language setting as stored ("english", "zh_TW"...), or ""
    active: bool
    display_order: int = 0


@dataclasses.dataclass(frozen=True)
class User:
    user_id: int
    username: str
    display_name: str
    real_name: str
    email: str  # private
    active: bool
    admin: bool


@dataclasses.dataclass(frozen=True)
class Attachment:
    file_id: int
    message_id: int
    filename: str
    data: bytes
    added_at: dt.datetime | None


@dataclasses.dataclass(frozen=True)
class Version:
    """One text a message had: from its posting, or an edit (``editor_id`` 0: unknown)."""

    subject: str
    body: str
    at: dt.datetime
    editor_id: int
    editor_name: str


@dataclasses.dataclass(frozen=True)
class Message:
    message_id: int
    forum_id: int
    thread: int
    parent_id: int
    user_id: int  # 0: a guest
    author: str  # the name shown; a guest's only record
    subject: str
    body: str
    status: int  # APPROVED, HELD, HIDDEN
    sort: int  # 1 sticky, 2 normal, 0 announcement (5.1)
    moved: bool  # a stub left where a thread was moved from
    closed: bool
    posted_at: dt.datetime  # ``datestamp``
    modified_at: dt.datetime | None  # ``modifystamp``
    email: str  # private
    ip: str  # private
    #: ``meta.edit_count`` and the last edit's time and editor (as ``meta`` has them; the
    #: name may be blank in older messages).
    edit_count: int
    edited_at: dt.datetime | None
    edited_by: str
    edited_by_id: int
    #: Every text the message had, oldest first, the last one its current text: rebuilt from
    #: ``messages_edittrack`` where tracking was on, else only the current text.
    versions: tuple[Version, ...]
    attachment_ids: tuple[int, ...]
    #: What was repaired on the way ("body: Big5"), and what could not be ("subject: bytes
    #: that are neither UTF-8 nor Big5"), for the report.
    repairs: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


class Source(Protocol):
    """A Phorum 5 board to read, read-only (``source.open(url)``; tests may pass their own)."""

    def forums(self) -> list[Forum]: ...

    def users(self) -> dict[int, User]: ...

    def count(self, forum_ids: Iterable[int] | None = None) -> int: ...

    def messages(self, forum_ids: Iterable[int] | None = None, after: int = 0) -> Iterator[Message]:
        """Messages by ascending ``message_id`` above ``after`` (a resumed run)."""
        ...

    def attachment(self, file_id: int) -> Attachment | None: ...
