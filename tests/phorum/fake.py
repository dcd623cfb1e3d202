"""A Phorum 5 board in memory, behind the ``Source`` protocol that ``phorum.source`` reads a
database through, and the board the tests bring across: every case the importer has to
get right, built from records so that the same board can be written to a real database
(``BOARD`` holds the records; a MariaDB reader given the same rows must pass the same
tests)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

from newsbrief.phorum.records import (
    APPROVED,
    HELD,
    HIDDEN,
    Attachment,
    Forum,
    Message,
    User,
    Version,
)

TAIPEI = dt.timezone(dt.timedelta(hours=8))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2012, 3, day, hour, minute, tzinfo=TAIPEI).astimezone(dt.UTC)


@dataclasses.dataclass
class FakeSource:
    forum_list: list[Forum]
    user_map: dict[int, User]
    message_list: list[Message]
    files: dict[int, Attachment]
    #: Raise after handing out this many messages (a run killed mid-way).
    fail_after: int | None = None

    def forums(self):
        return list(self.forum_list)

    def users(self):
        return dict(self.user_map)

    def _selected(self, forum_ids):
        wanted = set(forum_ids) if forum_ids else None
        return [m for m in self.message_list if wanted is None or m.forum_id in wanted]

    def count(self, forum_ids=None):
        return len(self._selected(forum_ids))

    def messages(self, forum_ids=None, after=0):
        handed = 0
        for m in sorted(self._selected(forum_ids), key=lambda m: m.message_id):
            if m.message_id <= after:
                continue
            if self.fail_after is not None and handed >= self.fail_after:
                raise KeyboardInterrupt("killed")
            handed += 1
            yield m

    def attachment(self, file_id):
        return self.files.get(file_id)


def message(message_id: int, forum_id: int = 1, **fields) -> Message:
    posted = fields.pop("posted_at", at(20, 21, 20) + dt.timedelta(minutes=message_id))
    body = fields.pop("body", f"Text of message {message_id}.")
    subject = fields.pop("subject", f"Message {message_id}")
    defaults = dict(
        thread=message_id, parent_id=0, user_id=1, author="techman", subject=subject,
        body=body, status=APPROVED, sort=2, moved=False, closed=False, posted_at=posted,
        modified_at=posted, email="techman@example.org", ip="192.0.2.1", edit_count=0,
        edited_at=None, edited_by="", edited_by_id=0,
        versions=(Version(subject, body, posted, fields.get("user_id", 1), ""),),
        attachment_ids=(),
    )  # fmt: skip
    return Message(message_id=message_id, forum_id=forum_id, **(defaults | fields))


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


VERSION_LINK = "[url=http://board.example/phorum/read.php?2,20,20]Chinese Version[/url]"
ENGLISH_BODY = f"""\
[International Cooperation] Taiwan-Japan Office Opens ({VERSION_LINK})

CENS.com (2012/03/19) Taiwan and Japan opened an [b]industrial cooperation[/b] office.

Related Historical Messages:
[url=read.php?1,5,5][International Cooperation] Earlier talks 2011/09/05[/url]

Further Information:
[url=http://cens.com/a]CENS.com 2012/03/19[/url]
"""
ENGLISH_FIRST = ENGLISH_BODY.replace("opened an", "will open an")
CHINESE_BODY = """\
[國際合作] 台日產業合作辦公室成立 ([url=read.php?1,10,10]英文版[/url])

中央社 (2012/03/19) 台灣與日本成立產業合作辦公室。
"""
REPLY_BODY = """\
[quote=techman]An [i]office[/i] opens.[/quote]
Good news, see [url=/phorum/read.php?1,10,10]the brief[/url]. [marquee]Wow[/marquee]
[list][*]one[*]two[/list]"""


def board(fail_after: int | None = None) -> FakeSource:
    forums = [
        Forum(1, "International Cooperation News", "", False, 3, 0, "english", True, 1),
        Forum(2, "國際合作新聞", "", False, 3, 0, "zh_TW", True, 2),
        Forum(3, "Newsbrief", "", True, 0, 0, "", True, 0),
        Forum(4, "Staff Room", "", False, 3, 0, "english", False, 3),
    ]
    users = {
        1: User(1, "techman", "Tech Man", "", "techman@example.org", True, False),
        2: User(2, "editor one", "", "Edith One", "edith@example.org", True, True),
    }
    messages = [
        message(
            10, subject="[International Cooperation] Taiwan-Japan Office Opens", sort=1,
            body=ENGLISH_BODY, edit_count=1, edited_at=at(20, 21, 45), edited_by="editor one",
            edited_by_id=2,
            versions=(
                Version("[International Cooperation] Taiwan-Japan Office Opens", ENGLISH_FIRST,
                        at(20, 21, 30), 1, "techman"),
                Version("[International Cooperation] Taiwan-Japan Office Opens", ENGLISH_BODY,
                        at(20, 21, 45), 2, "editor one"),
            ),
        ),
        message(11, thread=10, parent_id=10, user_id=0, author="techman", subject="Re: office"),
        message(12, thread=10, parent_id=9, subject="Re: office", body=REPLY_BODY),
        message(13, status=HELD, subject="Waiting for a moderator"),
        message(14, status=HIDDEN, subject="Hidden by a moderator"),
        message(15, moved=True, thread=16, subject="Moved: a thread"),
        message(
            16, forum_id=2, subject="搬走的討論", body="內容。", user_id=0,
            author="Anonymous Reader",
        ),
        message(
            17, subject="Edited without tracking", edit_count=3, edited_at=at(21, 10, 5),
            edited_by="editor one", edited_by_id=2,
        ),
        message(18, forum_id=4, subject="Staff only"),
        message(
            20, forum_id=2, subject="[國際合作] 台日產業合作辦公室成立", body=CHINESE_BODY,
            attachment_ids=(1, 2), repairs=("body: Big5",),
        ),
        message(21, thread=21, subject="Second thread", closed=True),
    ]  # fmt: skip
    files = {
        1: Attachment(1, 20, "office.png", png(), at(20, 22)),
        2: Attachment(2, 20, "report.pdf", b"%PDF-1.4 a report", at(20, 22)),
    }
    return FakeSource(forums, users, messages, files, fail_after=fail_after)


def generated(n: int) -> FakeSource:
    """A board of ``n`` messages: threads of five, one in five edited, one in ten held."""
    source = board()
    messages = []
    for i in range(n):
        mid = 1000 + i
        thread = mid - i % 5
        edited = i % 5 == 1
        body = f"[Science] Item {i}\n\nCENS.com (2012/03/19) Body of item {i} with [b]bold[/b]."
        versions = (
            (
                Version(f"Item {i}", body.replace("Body", "First body"), at(20, 9), 1, ""),
                Version(f"Item {i}", body, at(21, 9), 2, "editor one"),
            )
            if edited
            else None
        )
        fields = dict(
            thread=thread, parent_id=0 if thread == mid else mid - 1, subject=f"Item {i}",
            body=body, status=HELD if i % 10 == 7 else APPROVED,
        )  # fmt: skip
        if versions:
            fields |= dict(
                versions=versions, edit_count=1, edited_at=at(21, 9), edited_by="editor one",
                edited_by_id=2,
            )  # fmt: skip
        messages.append(message(mid, forum_id=1 + i % 2, **fields))
    source.message_list = messages
    return source
