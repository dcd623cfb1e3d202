"""A Phorum 5.2 board made up from a seed: the fixture of the import tests and the benchmark.

``generate(seed, messages)`` yields the board thread by thread: the rows of each table, as the
bytes Phorum would have stored, and the records (``records.Message`` ...) a faithful reader
must hand out for them, the *truth* the round-trip tests compare against. ``fill(connection,
...)`` creates the tables (``schema.sql``) and writes them.

The board is the seed page's: an English forum and a Chinese one (forum ``language``) whose
briefs link each other by ``(Chinese Version)`` / ``(英文版)`` links, with the seed's
conventions in the bodies (bracketed ``[Category]`` tags, the source and date line, *Related
Historical Messages*, *Further Information*), BBCode and some HTML, and an archive forum
threads were moved to (stubs left behind). It holds what real boards hold and importers lose:
replies (some to deleted parents), sticky and announcement threads, held and hidden
messages, guests, edits tracked in ``messages_edittrack`` (diffs made by Phorum's own
``phorum_diff``) and untracked ones (``meta`` only, some without ``edit_username``, some
tracked only from a later edit on), attachments (base64 in ``files``), and the Chinese rows
in every encoding such a board mixes in its latin1 tables: UTF-8, Big5, UTF-8 double-encoded
by a later conversion (whose ``s:N`` lengths in ``meta`` and the diffs no longer match), and a
few values whose bytes nothing can read. The first threads carry every feature, so a small
board has them all.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import random
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

from . import charsets, history
from .records import APPROVED, HELD, HIDDEN, Attachment, Forum, Message, User, Version
from .serialized import serialize

SCHEMA = Path(__file__).with_name("schema.sql")
HOST = "http://nscnews.example/phorum"
FOLDER, ENGLISH, CHINESE, ARCHIVE = 1, 2, 3, 4
#: Forums whose edits were tracked (the archive had tracking off).
TRACKED = {ENGLISH, CHINESE}
START = 1199145600  # 2008-01-01 00:00 UTC
#: ``messages.subject`` is ``varchar(255)`` in a latin1 table: bytes.
SUBJECT_BYTES = 255
#: The share of messages edited at least once (the benchmark's 20 %).
EDITED = 0.2

CATEGORIES = [
    ("International Cooperation", "國際合作"),
    ("Metal Industry", "金屬工業"),
    ("Biotechnology", "生物科技"),
    ("Semiconductors", "半導體"),
    ("Green Energy", "綠色能源"),
    ("Information Technology", "資訊科技"),
]
SOURCES = ["CENS.com", "Taipei Times", "DigiTimes", "CNA"]
ZH_SOURCES = ["中央社", "經濟日報", "工商時報", "聯合報"]
EN_WORDS = [
    "Taiwan",
    "Japan",
    "industrial",
    "cooperation",
    "office",
    "research",
    "development",
    "production",
    "marketing",
    "ministry",
    "bureau",
    "agreement",
    "framework",
    "market",
    "enterprise",
    "technology",
    "components",
    "parts",
    "machinery",
    "optics",
    "medical",
    "devices",
    "pharmaceutical",
    "semiconductor",
    "wafer",
    "energy",
    "solar",
    "battery",
    "network",
    "science",
    "council",
    "program",
    "university",
    "laboratory",
    "investment",
    "export",
]
ZH_WORDS = [
    "臺灣",
    "日本",
    "產業",
    "合作",
    "辦公室",
    "研發",
    "生產",
    "行銷",
    "經濟部",
    "工業局",
    "協議",
    "架構",
    "市場",
    "企業",
    "技術",
    "零組件",
    "機械",
    "光學",
    "醫療",
    "器材",
    "製藥",
    "半導體",
    "晶圓",
    "能源",
    "太陽能",
    "電池",
    "網路",
    "科學",
    "委員會",
    "計畫",
    "大學",
    "實驗室",
    "投資",
    "出口",
    "國際",
    "發展",
    "推動",
    "成立",
    "提升",
    "政府",
    "未來",
    "目前",
    "全球",
    "中國大陸",
]
EN_NAMES = ["techman", "editor", "lin", "chen", "wang", "reader", "huang", "admin2"]
ZH_NAMES = ["技術員", "編輯", "林小姐", "陳先生", "王大明", "讀者", "黃教授"]
GUESTS = ["visitor", "Mike", "訪客", "路人甲", "A reader"]

#: Features each of the first threads carries, so every board has them all.
FORCED = [
    {"sticky", "edits", "attach", "file", "html"},
    {"big5", "edits", "replies", "guest"},
    {"double", "edits", "attach", "replies"},
    {"moved", "edits", "replies"},
    {"orphan", "replies", "held", "crlf"},
    {"announcement", "hidden", "big5", "edits", "partial"},
    {"broken", "replies", "guest", "attach", "file", "missing_file"},
    {"double", "edits", "untracked", "nousername", "replies"},
]


@dataclasses.dataclass
class Chunk:
    """One thread pair's rows (table -> rows, text as stored bytes) and truth."""

    rows: dict[str, list[dict]]
    messages: list[Message]
    attachments: list[Attachment]


def epoch(moment: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(moment, dt.UTC)


def forums() -> list[Forum]:
    return [
        # A virtual root: the folder and its forums carry its id in ``vroot``.
        Forum(FOLDER, "科技新聞簡訊 Sci-Tech Newsbrief", "", True, 0, FOLDER, "", True, 0),
        Forum(
            ENGLISH,
            "International Cooperation Sci-Tech Newsbrief",
            "National Science Council",
            False,
            FOLDER,
            FOLDER,
            "english",
            True,
            1,
        ),
        Forum(
            CHINESE,
            "國際合作科技新聞簡訊",
            "國科會國際合作處",
            False,
            FOLDER,
            FOLDER,
            "zh_TW",
            True,
            2,
        ),
        Forum(ARCHIVE, "Archive 舊聞", "Moved threads", False, FOLDER, FOLDER, "english", True, 3),
    ]


def _forum_row(forum: Forum) -> dict:
    return {
        "forum_id": forum.forum_id,
        "name": forum.name.encode(),
        "description": forum.description.encode(),
        "folder_flag": int(forum.folder),
        "parent_id": forum.parent_id,
        "vroot": forum.vroot,
        "language": forum.language.encode(),
        "active": int(forum.active),
        "display_order": forum.display_order,
        "pub_perms": 1,
        "reg_perms": 15,
        "template_settings": b"",
        "forum_path": serialize({0: "Sci-Tech Newsbrief", forum.forum_id: forum.name}),
    }


def encode(text: str, encoding: str) -> bytes:
    """``text`` as a row in ``encoding`` stores it (a latin1 column holds the bytes)."""
    if encoding == "big5":
        return text.encode("cp950")
    raw = text.encode("utf-8")
    return convert(raw) if encoding == "double" else raw


def convert(raw: bytes) -> bytes:
    """What converting a latin1 column holding UTF-8 bytes to utf8 does to them."""
    return charsets.from_latin1(raw).encode("utf-8")


def _label(text: str, encoding: str) -> str:
    """The repair ``charsets.repair`` reports for ``text`` stored in ``encoding``."""
    if text.isascii():
        return ""
    return {"big5": charsets.BIG5, "double": charsets.DOUBLE}.get(encoding, "")


class _Board:
    def __init__(self, seed: int, messages: int):
        self.random = random.Random(seed)
        self.limit = messages
        self.next_id = 1
        self.next_file = 1
        self.next_track = 1
        self.clock = START
        self.users = self._users()
        self.made = 0
        #: Briefs so far by language (the last 500): what later ones cite as related.
        self.earlier: dict[bool, list[tuple[int, int, str, str]]] = {False: [], True: []}

    # -- users ---------------------------------------------------------------------------
    def _users(self) -> dict[int, tuple[User, bytes]]:
        """Users and the encoding their display name was stored in."""
        found = {}
        count = max(8, self.limit // 200)
        for user_id in range(1, count + 1):
            english = EN_NAMES[(user_id - 1) % len(EN_NAMES)]
            username = english if user_id <= len(EN_NAMES) else f"{english}{user_id}"
            chinese = user_id % 3 == 0
            display = ZH_NAMES[user_id % len(ZH_NAMES)] + (
                "" if user_id <= len(ZH_NAMES) else str(user_id)
            )
            display = display if chinese else username
            encoding = ["utf8", "big5", "double"][user_id % 9 // 3] if chinese else "utf8"
            user = User(
                user_id,
                username,
                display,
                display if chinese else username.title(),
                f"{username}@nsc.example",
                user_id % 17 != 5,
                user_id == 1,
            )
            found[user_id] = (user, encoding)
        return found

    def user_rows(self) -> list[dict]:
        return [
            {
                "user_id": user.user_id,
                "username": user.username.encode(),
                "display_name": encode(user.display_name, encoding),
                "real_name": encode(user.real_name, encoding),
                "email": user.email.encode(),
                "active": int(user.active),
                "admin": int(user.admin),
                "date_added": START - 86400 * user.user_id,
                "date_last_active": START,
                "signature": b"",
                "moderator_data": b"",
                "settings_data": b"",
            }
            for user, encoding in self.users.values()
        ]

    def user_notes(self) -> list[str]:
        notes = []
        for user, encoding in self.users.values():
            for field in ("display_name", "real_name"):
                label = _label(getattr(user, field), encoding)
                if label:
                    notes.append(f"user {user.user_id} {field}: {label}")
        return notes

    # -- text ----------------------------------------------------------------------------
    def words(self, chinese: bool, count: int) -> str:
        pick = [self.random.choice(ZH_WORDS if chinese else EN_WORDS) for _ in range(count)]
        return "".join(pick) if chinese else " ".join(pick)

    def sentence(self, chinese: bool) -> str:
        text = self.words(chinese, self.random.randint(6, 14))
        return text + "。" if chinese else text[0].upper() + text[1:] + "."

    def paragraph(self, chinese: bool) -> str:
        return ("" if chinese else " ").join(
            self.sentence(chinese) for _ in range(self.random.randint(2, 4))
        )

    def day(self, moment: int) -> str:
        return epoch(moment).strftime("%Y/%m/%d")

    def brief(self, chinese: bool, tags: list[int], title: str, other: str, html: bool):
        """A brief's body as the seed page shows it, in BBCode (or the HTML a module let in)."""
        source = self.random.choice(ZH_SOURCES if chinese else SOURCES)
        when = self.day(self.clock - 86400)
        label = "英文版" if chinese else "Chinese Version"
        subject = "".join(f"[{CATEGORIES[t][1 if chinese else 0]}]" for t in tags) + " " + title
        link = f"{HOST}/read.php?{other}"
        if html:
            first = f'<b>{subject}</b> (<a href="{link}">{label}</a>)'
        else:
            first = f"[b]{subject}[/b] ([url={link}]{label}[/url])"
        paragraphs = [first, f"{source} ({when}) {self.paragraph(chinese)}"]
        paragraphs += [self.paragraph(chinese) for _ in range(self.random.randint(0, 2))]
        if html:
            paragraphs[-1] = paragraphs[-1].replace(" ", " <i>", 1) + "</i><br>"
        if self.earlier[chinese]:
            paragraphs.append("相關歷史訊息：" if chinese else "Related Historical Messages:")
        # Earlier briefs in the same language, by their read.php address (a moved one's old
        # address, as it was when cited), each title with its tags and date.
        earlier = self.earlier[chinese]
        for forum_id, thread, title, day in self.random.sample(
            earlier, min(len(earlier), self.random.randint(1, 2))
        ):
            paragraphs.append(
                f"[url={HOST}/read.php?{forum_id},{thread},{thread}]{title} {day}[/url]"
            )
        paragraphs.append("延伸資訊：" if chinese else "Further Information:")
        paragraphs.append(f"[url=http://www.cens.example/news/{self.clock}]{source} {when}[/url]")
        return subject, "\n\n".join(paragraphs)

    def reply(self, chinese: bool, parent_subject: str, quote: str) -> tuple[str, str]:
        subject = parent_subject if parent_subject.startswith("Re: ") else "Re: " + parent_subject
        # The parent's words, not its title line or its own quote.
        quote = re.sub(r"\[quote\].*?\[/quote\]\n?", "", quote, flags=re.S).split("\n\n")
        quote = quote[1] if len(quote) > 1 else quote[0]
        body = f"[quote]{quote[:80]}[/quote]\n{self.sentence(chinese)}"
        if self.random.random() < 0.3:
            body += f"\n[color=red]{self.sentence(chinese)}[/color]"
        return subject, body

    def edited(self, chinese: bool, subject: str, body: str) -> tuple[str, str]:
        """The text after one edit that changes something, as editors edit: a sentence of
        prose rewritten, an update added after the prose, a typo fixed in it, or the
        subject's tag changed. The title line, the source line, the section labels and links
        stay as they are."""
        lines = body.split("\n")
        running = [i for i, line in enumerate(lines) if _prose(line)] or [len(lines) - 1]
        prose = running[1:] or running
        while True:
            kind = self.random.randrange(4)
            new_subject, new_lines = subject, list(lines)
            at = self.random.choice(prose)
            # The source line keeps its source and date: its text may change after them.
            keep = lines[at].find(") ") + 2 if at == running[0] else 0
            if kind == 0 and not keep:
                new_lines[at] = self.sentence(chinese)
            elif kind in (0, 1):
                update = ("更新：" if chinese else "Update: ") + self.sentence(chinese)
                new_lines[prose[-1]] += "\n\n" + update
            elif kind == 2 and len(lines[at]) > keep:
                where = self.random.randrange(keep, len(lines[at]))
                letter = self.random.choice(ZH_WORDS if chinese else EN_WORDS)[0]
                new_lines[at] = lines[at][:where] + letter + lines[at][where + 1 :]
            else:
                tag = CATEGORIES[self.random.randrange(len(CATEGORIES))][1 if chinese else 0]
                new_subject = f"[{tag}]" + subject
                if len(encode(new_subject, "double")) > SUBJECT_BYTES:
                    continue  # the column would not hold it, in any encoding: edit the body
            new_body = "\n".join(new_lines)
            if (new_subject, new_body) != (subject, body):
                return new_subject, new_body

    # -- threads -------------------------------------------------------------------------
    def features(self, index: int) -> set[str]:
        if index < len(FORCED):
            return set(FORCED[index])
        r = self.random.random
        found = set()
        for name, chance in [
            ("edits", EDITED),
            ("replies", 0.5),
            ("sticky", 0.02),
            ("announcement", 0.005),
            ("moved", 0.03),
            ("orphan", 0.03),
            ("held", 0.03),
            ("hidden", 0.02),
            ("guest", 0.15),
            ("attach", 0.04),
            ("file", 0.5),
            ("html", 0.1),
            ("crlf", 0.05),
            ("untracked", 0.03),
            ("nousername", 0.01),
            ("partial", 0.01),
            ("broken", 0.002),
            ("missing_file", 0.002),
        ]:
            if r() < chance:
                found.add(name)
        roll = r()
        if roll < 0.25:
            found.discard("broken")
            found.add("big5")
        elif roll < 0.37:
            found.discard("broken")
            found.add("double")
        return found

    def chunks(self) -> Iterator[Chunk]:
        index = 0
        while self.made < self.limit:
            yield self.pair(index, self.features(index))
            index += 1

    def pair(self, index: int, features: set[str]) -> Chunk:
        """An English brief's thread and its Chinese version's, linked to each other."""
        chunk = Chunk(
            {
                "messages": [],
                "messages_edittrack": [],
                "files": [],
                "search": [],
                "subscribers": [],
            },
            [],
            [],
        )
        tags = self.random.sample(range(len(CATEGORIES)), self.random.choice([1, 1, 2]))
        english_id, chinese_id = self.take_id(), self.take_id()
        english_forum = ARCHIVE if "moved" in features else ENGLISH
        self.thread(
            chunk,
            features - {"big5", "double", "broken"},
            english_forum,
            False,
            tags,
            (english_id, f"{CHINESE},{chinese_id},{chinese_id}"),
        )
        self.thread(
            chunk,
            features - {"moved"},
            CHINESE,
            True,
            tags,
            (chinese_id, f"{english_forum},{english_id},{english_id}"),
        )
        if "moved" in features:
            self.stub(chunk, english_id)
        return chunk

    def take_id(self) -> int:
        found, self.next_id = self.next_id, self.next_id + 1
        return found

    def tick(self) -> int:
        self.clock += self.random.randint(60, 3 * 3600)
        return self.clock

    def author(self, guest: bool, chinese: bool) -> tuple[int, User | None, str]:
        if guest:
            names = [g for g in GUESTS if (not g.isascii()) == chinese] or GUESTS
            return 0, None, self.random.choice(names)
        user, _ = self.users[self.random.randint(1, len(self.users))]
        return user.user_id, user, user.display_name

    def thread(self, chunk, features, forum_id, chinese, tags, ids):
        top_id, other = ids
        encoding = "big5" if "big5" in features else "double" if "double" in features else "utf8"
        title = self.words(chinese, self.random.randint(4, 8))
        if not chinese:
            title = title.title()
        subject, body = self.brief(chinese, tags, title, other, "html" in features)
        if "crlf" in features:
            body = body.replace("\n", "\r\n")
        sort = 1 if "sticky" in features else 0 if "announcement" in features else 2
        closed = int(self.random.random() < 0.1)
        posts = [
            dict(
                message_id=top_id,
                parent_id=0,
                subject=subject,
                body=body,
                status=HIDDEN if "hidden" in features and not chinese else APPROVED,
                guest=False,
                edits="edits" in features,
                attach="attach" in features,
                broken="broken" in features and chinese,
            )
        ]
        if "replies" in features:
            for number in range(self.random.randint(1, 4)):
                parent = self.random.choice(posts)
                reply_subject, reply_body = self.reply(chinese, parent["subject"], parent["body"])
                status = APPROVED
                if number == 0 and "held" in features:
                    status = HELD
                elif number == 1 and "hidden" in features:
                    status = HIDDEN
                post = dict(
                    message_id=None,
                    parent_id=parent["message_id"],
                    subject=reply_subject,
                    body=reply_body,
                    status=status,
                    guest="guest" in features and self.random.random() < 0.6,
                    edits=self.random.random() < EDITED,
                    attach=False,
                    broken=False,
                )
                posts.append(post)
                post["message_id"] = self.take_id()
            if "orphan" in features:
                # A reply whose parent was deleted: its id is taken and never written.
                gone = self.take_id()
                reply_subject, reply_body = self.reply(chinese, subject, body)
                posts.append(
                    dict(
                        message_id=self.take_id(),
                        parent_id=gone,
                        subject=reply_subject,
                        body=reply_body,
                        status=APPROVED,
                        guest=True,
                        edits=False,
                        attach=False,
                        broken=False,
                    )
                )
        thread_ids = [post["message_id"] for post in posts]
        times = {}
        for post in posts:
            times[post["message_id"]] = self.tick()
        last = max(times.values())
        cited = self.earlier[chinese]
        cited.append(
            (ENGLISH if forum_id == ARCHIVE else forum_id, top_id, subject, self.day(times[top_id]))
        )
        del cited[:-500]
        for post in posts:
            self.message(
                chunk,
                post,
                features,
                forum_id,
                chinese,
                top_id,
                encoding,
                sort,
                closed,
                times[post["message_id"]],
                last if post["parent_id"] == 0 else times[post["message_id"]],
                thread_ids if post["parent_id"] == 0 else [],
            )

    def message(
        self,
        chunk,
        post,
        features,
        forum_id,
        chinese,
        thread,
        encoding,
        sort,
        closed,
        posted,
        modified,
        thread_ids,
    ):
        user_id, user, author = self.author(post["guest"], chinese)
        subject, body = post["subject"], post["body"]
        versions = [(subject, body, posted, user_id, author)]
        tracked = forum_id in TRACKED and "untracked" not in features
        if post["edits"]:
            editors = [u for u, _ in self.users.values() if u.user_id <= 3] + (
                [user] if user else []
            )
            written = "utf8" if encoding == "double" else encoding
            at = posted
            for _ in range(3 if "partial" in features else self.random.randint(1, 3)):
                # Edits phorum_diff records faithfully (see history.faithful): its quirk would
                # leave a history that even Phorum shows wrong, and no truth to compare.
                while True:
                    new_subject, new_body = self.edited(chinese, subject, body)
                    old, new = encode(body, written), encode(new_body, written)
                    old_s, new_s = encode(subject, written), encode(new_subject, written)
                    if history.faithful(old, new, history.diff(old, new)) and history.faithful(
                        old_s, new_s, history.diff(old_s, new_s)
                    ):
                        break
                subject, body = new_subject, new_body
                editor = self.random.choice(editors)
                if "double" in features and self.random.random() < 0.7:
                    editor = next(u for u, _ in self.users.values() if not u.display_name.isascii())
                at += self.random.randint(60, 86400)
                versions.append((subject, body, at, editor.user_id, editor.display_name))
        untracked_edits = 0
        if post["edits"] and "partial" in features and len(versions) > 2:
            untracked_edits = 1
        edit_count = len(versions) - 1
        # The bytes as Phorum wrote them; a double-encoded row's were converted afterwards.
        written = "utf8" if encoding == "double" else encoding
        meta: dict = {}
        if thread_ids:
            meta["message_ids"] = thread_ids
            meta["message_ids_moderator"] = thread_ids
        files = []
        if post["attach"]:
            for number in range(2 if "file" in features else 1):
                # The first a picture; a second one a file named as a picture that is none
                # (a damaged upload: it stays a file).
                data = (
                    _png(self.random)
                    if number == 0
                    else bytes(
                        self.random.randrange(256) for _ in range(self.random.randint(40, 400))
                    )
                )
                name = f"chart{number}.png" if not chinese else f"圖表{number}.png"
                files.append((self.next_file, name, data))
                self.next_file += 1
            meta["attachments"] = [
                {"file_id": f, "name": encode(n, written), "size": len(d)} for f, n, d in files
            ]
        meta["show_signature"] = "1"
        edited_by, edited_by_id, edited_at = "", 0, None
        if edit_count:
            *_, last_at, last_id, last_name = versions[-1]
            meta["edit_count"] = edit_count
            meta["edit_date"] = last_at
            no_username = "nousername" in features
            if not no_username:
                meta["edit_username"] = encode(last_name, written)
                edited_by = last_name
            meta["edit_user_id"] = last_id
            edited_by_id, edited_at = last_id, epoch(last_at)
        meta_raw = serialize(meta)
        if encoding == "double":
            meta_raw = convert(meta_raw)

        repairs, problems = [], []
        stored = {}
        for field, text in (("subject", subject), ("author", author), ("body", body)):
            stored[field] = encode(text, encoding)
            label = _label(text, encoding)
            if label:
                repairs.append(f"{field}: {label}")
        if post["broken"]:
            # A value mangled beyond repair (bytes of no encoding), kept and reported.
            stored["body"] = stored["body"] + b"\x80\x80\x80"
            problems.append("body: bytes that are neither UTF-8, Big5 nor latin1")
        if encoding == "double" and not meta_raw.isascii():
            repairs.append("meta: string lengths recovered")
        if edited_by and _label(edited_by, encoding):
            repairs.append(f"edit_username: {_label(edited_by, encoding)}")

        message_id = post["message_id"]
        track_rows = []
        truth_versions: list[Version] = []
        if edit_count and tracked and not post["broken"]:
            for older, newer in zip(
                versions[untracked_edits:], versions[untracked_edits + 1 :], strict=False
            ):
                diff_body = history.diff(encode(older[1], written), encode(newer[1], written))
                diff_subject = history.diff(encode(older[0], written), encode(newer[0], written))
                body_raw, subject_raw = serialize(diff_body), serialize(diff_subject)
                if encoding == "double":
                    body_raw, subject_raw = convert(body_raw), convert(subject_raw)
                track_rows.append(
                    {
                        "track_id": self.next_track,
                        "message_id": message_id,
                        "user_id": newer[3],
                        "time": newer[2],
                        "diff_body": body_raw,
                        "diff_subject": subject_raw,
                    }
                )
                self.next_track += 1
            if encoding == "double" and any(
                not (r["diff_body"] + r["diff_subject"]).isascii() for r in track_rows
            ):
                repairs.append("edittrack: string lengths recovered")
            for number, (v_subject, v_body, at, editor_id, editor_name) in enumerate(
                versions[untracked_edits:]
            ):
                if number == 0 and untracked_edits:
                    at, editor_id, editor_name = posted, 0, ""
                truth_versions.append(
                    Version(v_subject, _newlines(v_body), epoch(at), editor_id, editor_name)
                )
            if untracked_edits:
                problems.append(
                    f"history: {edit_count} edits counted, {edit_count - untracked_edits} tracked"
                )
        elif edit_count:
            truth_versions = [
                Version(
                    subject,
                    _newlines(body),
                    edited_at,
                    edited_by_id,
                    self._name(edited_by_id, edited_by),
                )
            ]
        else:
            truth_versions = [Version(subject, _newlines(body), epoch(posted), user_id, author)]
        if post["broken"]:
            broken_body = _newlines(stored["body"].decode("utf-8", errors="replace"))
            truth_versions = [dataclasses.replace(truth_versions[-1], body=broken_body)]
            body = broken_body

        attachment_ids = tuple(f for f, _, _ in files)
        if "missing_file" in features and files:
            problems.append(f"attachment {files[-1][0]}: listed in meta, not in files")
            attachment_ids = attachment_ids[:-1]
        for file_id, name, data in files:
            if "missing_file" in features and file_id == files[-1][0]:
                continue
            chunk.rows["files"].append(
                {
                    "file_id": file_id,
                    "user_id": user_id,
                    "filename": encode(name, encoding),
                    "filesize": len(data),
                    "file_data": base64.b64encode(data),
                    "add_datetime": posted,
                    "message_id": message_id,
                    "link": b"message",
                }
            )
            chunk.attachments.append(Attachment(file_id, message_id, name, data, epoch(posted)))
            if _label(name, encoding):
                repairs.append(f"attachment {file_id} filename: {_label(name, encoding)}")

        chunk.rows["messages_edittrack"] += track_rows
        # Phorum's search table: "author | subject | body", in a utf8 MyISAM FULLTEXT table.
        chunk.rows["search"].append(
            {
                "message_id": message_id,
                "forum_id": forum_id,
                "search_text": f"{author} | {subject} | {body}".encode(),
            }
        )
        if user_id and not post["parent_id"]:
            chunk.rows["subscribers"].append(
                {"user_id": user_id, "forum_id": forum_id, "sub_type": 1, "thread": thread}
            )
        chunk.rows["messages"].append(
            {
                "message_id": message_id,
                "forum_id": forum_id,
                "thread": thread,
                "parent_id": post["parent_id"],
                "user_id": user_id,
                "author": stored["author"],
                "subject": stored["subject"],
                "body": stored["body"],
                "email": b"" if user_id else f"guest{message_id}@mail.example".encode(),
                "ip": f"140.112.{message_id % 250}.{message_id % 199}".encode(),
                "status": post["status"],
                "msgid": f"<{message_id}@nscnews.example>".encode(),
                "modifystamp": modified,
                "thread_count": len(thread_ids),
                "moderator_post": 0,
                "sort": sort,
                "datestamp": posted,
                "meta": meta_raw,
                "closed": closed,
                "moved": 0,
                "recent_author": b"",
            }
        )
        chunk.messages.append(
            Message(
                message_id=message_id,
                forum_id=forum_id,
                thread=thread,
                parent_id=post["parent_id"],
                user_id=user_id,
                author=author,
                subject=subject,
                body=_newlines(body),
                status=post["status"],
                sort=sort,
                moved=False,
                closed=bool(closed),
                posted_at=epoch(posted),
                modified_at=epoch(modified),
                email="" if user_id else f"guest{message_id}@mail.example",
                ip=f"140.112.{message_id % 250}.{message_id % 199}",
                edit_count=edit_count,
                edited_at=edited_at,
                edited_by=edited_by,
                edited_by_id=edited_by_id,
                versions=tuple(truth_versions),
                attachment_ids=attachment_ids,
                repairs=tuple(repairs),
                problems=tuple(problems),
            )
        )
        self.made += 1

    def _name(self, user_id: int, meta_name: str) -> str:
        """The name ``source`` gives an edit's editor: the user's display name, else meta's."""
        if user_id in self.users:
            return self.users[user_id][0].display_name
        return meta_name

    def stub(self, chunk: Chunk, thread: int) -> None:
        """The stub a moved thread left in the English forum: it points at the thread."""
        top = next(m for m in chunk.messages if m.message_id == thread)
        message_id = self.take_id()
        meta = serialize({"show_signature": "1"})
        chunk.rows["messages"].append(
            {
                "message_id": message_id,
                "forum_id": ENGLISH,
                "thread": thread,
                "parent_id": 0,
                "user_id": top.user_id,
                "author": top.author.encode(),
                "subject": top.subject.encode(),
                "body": b"",
                "email": b"",
                "ip": b"",
                "status": APPROVED,
                "msgid": b"",
                "modifystamp": self.clock,
                "thread_count": 0,
                "moderator_post": 0,
                "sort": 2,
                "datestamp": self.clock,
                "meta": meta,
                "closed": 0,
                "moved": 1,
                "recent_author": b"",
            }
        )
        chunk.messages.append(
            Message(
                message_id=message_id,
                forum_id=ENGLISH,
                thread=thread,
                parent_id=0,
                user_id=top.user_id,
                author=top.author,
                subject=top.subject,
                body="",
                status=APPROVED,
                sort=2,
                moved=True,
                closed=False,
                posted_at=epoch(self.clock),
                modified_at=epoch(self.clock),
                email="",
                ip="",
                edit_count=0,
                edited_at=None,
                edited_by="",
                edited_by_id=0,
                versions=(Version(top.subject, "", epoch(self.clock), top.user_id, top.author),),
                attachment_ids=(),
            )
        )
        self.made += 1


_LABELS = {"Related Historical Messages:", "Further Information:", "相關歷史訊息：", "延伸資訊："}


def _prose(line: str) -> bool:
    """A line of a body's running text (the first such is the source line)."""
    line = line.rstrip("\r")
    return bool(line) and line not in _LABELS and not line.startswith(("[", "<"))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _png(rng: random.Random, width: int = 48, height: int = 32) -> bytes:
    """A small PNG of one colour, written without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixel = bytes(rng.randrange(256) for _ in range(3))
    rows = b"".join(b"\x00" + pixel * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclasses.dataclass
class Board:
    """What ``fill`` wrote, and what reading it back must give."""

    forums: list[Forum]
    users: dict[int, User]
    user_notes: list[str]
    messages: list[Message]  # by message_id; empty when ``fill`` kept no truth
    attachments: dict[int, Attachment]
    count: int


def create_schema(connection, prefix: str = "phorum_") -> None:
    with connection.cursor() as cursor:
        for statement in SCHEMA.read_text().replace("{prefix}", prefix).split(";\n"):
            if "CREATE" in statement:
                cursor.execute(statement)
    connection.commit()


def _insert(cursor, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    cursor.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
        [tuple(row[c] for c in columns) for row in rows],
    )


def fill(
    connection,
    seed: int = 0,
    messages: int = 200,
    prefix: str = "phorum_",
    truth: bool = True,
    batch: int = 2000,
) -> Board:
    """Create Phorum's tables in ``connection``'s database and write a generated board."""
    create_schema(connection, prefix)
    board = _Board(seed, messages)
    kept: list[Message] = []
    files: dict[int, Attachment] = {}
    pending: dict[str, list[dict]] = {
        table: [] for table in ("messages", "messages_edittrack", "files", "search", "subscribers")
    }
    with connection.cursor() as cursor:
        _insert(cursor, prefix + "forums", [_forum_row(f) for f in forums()])
        _insert(cursor, prefix + "users", board.user_rows())
        for chunk in board.chunks():
            for table, rows in chunk.rows.items():
                pending[table] += rows
            if truth:
                kept += chunk.messages
                files |= {a.file_id: a for a in chunk.attachments}
            if len(pending["messages"]) >= batch:
                for table, rows in pending.items():
                    _insert(cursor, prefix + table, rows)
                    rows.clear()
        for table, rows in pending.items():
            _insert(cursor, prefix + table, rows)
    connection.commit()
    kept.sort(key=lambda m: m.message_id)
    return Board(
        forums(),
        {user_id: user for user_id, (user, _) in board.users.items()},
        board.user_notes(),
        kept,
        files,
        board.made,
    )
