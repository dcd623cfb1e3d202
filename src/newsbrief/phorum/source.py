"""A live Phorum 5 database, read-only, as ``records``: ``open("mysql://user:pass@host/db")``.

Every query is a SELECT inside a ``READ ONLY`` transaction with one consistent snapshot
(InnoDB tables), so nothing is ever written there and a long read sees one state of the
board. Text columns are read as the bytes stored (``CAST(... AS BINARY)``) and decoded value
by value by ``charsets``; ``meta`` and the edit-track diffs by the tolerant ``serialized``
reader; every older version rebuilt by ``history``. Messages come in batches by
``message_id`` (keyset: ``WHERE message_id > last``), so 100k messages never sit in memory
and a resumed run starts where it stopped.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import urllib.parse
from collections.abc import Iterable, Iterator

import pymysql

from . import charsets, history
from .records import Attachment, Forum, Message, User, Version
from .serialized import SerializedError, as_list, unserialize

BATCH = 2000
_MESSAGE_TEXT = ("author", "subject", "body", "email", "ip", "meta")
_MESSAGE_NUMBERS = (
    "message_id",
    "forum_id",
    "thread",
    "parent_id",
    "user_id",
    "status",
    "sort",
    "moved",
    "closed",
    "datestamp",
    "modifystamp",
)


def _binary(columns: Iterable[str]) -> str:
    return ", ".join(f"CAST({c} AS BINARY) AS {c}" for c in columns)


def _time(epoch: int | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch else None


def connect(url: str):
    """A PyMySQL connection for ``mysql://user:pass@host:port/db`` (bytes for binary)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("mysql", "mariadb"):
        raise ValueError(f"not a mysql:// address: {parts.scheme}://")
    query = dict(urllib.parse.parse_qsl(parts.query))
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=urllib.parse.unquote(parts.username or "root"),
        password=urllib.parse.unquote(parts.password or ""),
        database=parts.path.lstrip("/") or None,
        unix_socket=query.get("unix_socket"),
        charset="utf8mb4",
        autocommit=False,
    )


def open(url: str, prefix: str = "phorum_") -> PhorumSource:
    return PhorumSource(connect(url), prefix)


class PhorumSource:
    """``records.Source`` over a PyMySQL connection. ``notes`` collects what was repaired
    outside messages (users' names) for the report."""

    def __init__(self, connection, prefix: str = "phorum_"):
        if not prefix.replace("_", "").isalnum() and prefix:
            raise ValueError(f"not a table prefix: {prefix!r}")
        self.connection = connection
        self.prefix = prefix
        self.notes: list[str] = []
        self._users: dict[int, User] | None = None
        #: Whether the server itself refuses writes in this session (MySQL before 5.6.5 and
        #: MariaDB before 10.0 know no read-only transactions: only SELECTs are sent there).
        self.read_only = True
        with connection.cursor() as cursor:
            try:
                cursor.execute("SET SESSION TRANSACTION READ ONLY")
                cursor.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
            except pymysql.err.ProgrammingError:
                self.read_only = False
                self.notes.append("server: no read-only transactions; reading with SELECTs only")
                cursor.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")

    def close(self) -> None:
        self.connection.rollback()
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _select(self, sql: str, arguments=()) -> list[dict]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql.replace("{p}", self.prefix), arguments)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _text(self, raw: bytes | None, field: str, repairs: list[str], problems: list[str]):
        fixed = charsets.repair(raw)
        if fixed.repaired:
            repairs.append(f"{field}: {fixed.encoding}")
        if fixed.problem:
            problems.append(f"{field}: {fixed.problem}")
        return fixed

    # -- forums and users ----------------------------------------------------------------
    def forums(self) -> list[Forum]:
        rows = self._select(
            "SELECT forum_id, folder_flag, parent_id, vroot, active, display_order, "
            f"{_binary(('name', 'description', 'language'))} FROM {{p}}forums ORDER BY forum_id"
        )
        found = []
        for row in rows:
            text = {}
            for field in ("name", "description", "language"):
                fixed = charsets.repair(row[field])
                self._note(f"forum {row['forum_id']} {field}", fixed)
                text[field] = fixed.text
            found.append(
                Forum(
                    row["forum_id"],
                    text["name"],
                    text["description"],
                    bool(row["folder_flag"]),
                    row["parent_id"],
                    row["vroot"],
                    text["language"],
                    bool(row["active"]),
                    row["display_order"],
                )
            )
        return found

    def _note(self, where: str, fixed: charsets.Repaired) -> None:
        if fixed.repaired:
            self.notes.append(f"{where}: {fixed.encoding}")
        if fixed.problem:
            self.notes.append(f"{where}: {fixed.problem}")

    def users(self) -> dict[int, User]:
        if self._users is None:
            rows = self._select(
                "SELECT user_id, active, admin, "
                f"{_binary(('username', 'display_name', 'real_name', 'email'))} "
                "FROM {p}users ORDER BY user_id"
            )
            self._users = {}
            for row in rows:
                text = {}
                for field in ("username", "display_name", "real_name", "email"):
                    fixed = charsets.repair(row[field])
                    self._note(f"user {row['user_id']} {field}", fixed)
                    text[field] = fixed.text
                self._users[row["user_id"]] = User(
                    row["user_id"],
                    text["username"],
                    text["display_name"],
                    text["real_name"],
                    text["email"],
                    bool(row["active"]),
                    bool(row["admin"]),
                )
        return self._users

    # -- messages ------------------------------------------------------------------------
    def _forum_filter(self, forum_ids: Iterable[int] | None) -> tuple[str, list[int]]:
        if forum_ids is None:
            return "", []
        ids = [int(i) for i in forum_ids]
        if not ids:
            return " AND 1 = 0", []
        return f" AND forum_id IN ({', '.join(['%s'] * len(ids))})", ids

    def count(self, forum_ids: Iterable[int] | None = None) -> int:
        where, arguments = self._forum_filter(forum_ids)
        rows = self._select(
            f"SELECT COUNT(*) AS n FROM {{p}}messages WHERE 1 = 1{where}", arguments
        )
        return rows[0]["n"]

    def messages(
        self, forum_ids: Iterable[int] | None = None, after: int = 0, batch: int = BATCH
    ) -> Iterator[Message]:
        where, arguments = self._forum_filter(forum_ids)
        users = self.users()
        while True:
            rows = self._select(
                f"SELECT {', '.join(_MESSAGE_NUMBERS)}, {_binary(_MESSAGE_TEXT)} "
                f"FROM {{p}}messages WHERE message_id > %s{where} ORDER BY message_id LIMIT %s",
                [after, *arguments, batch],
            )
            if not rows:
                return
            ids = [row["message_id"] for row in rows]
            tracks, files = self._tracks(ids), self._files(ids)
            for row in rows:
                yield self._message(row, tracks.get(row["message_id"], []), files, users)
            after = ids[-1]

    def _tracks(self, ids: list[int]) -> dict[int, list[dict]]:
        found: dict[int, list[dict]] = {}
        rows = self._select(
            "SELECT track_id, message_id, user_id, time, "
            f"{_binary(('diff_body', 'diff_subject'))} FROM {{p}}messages_edittrack "
            f"WHERE message_id IN ({', '.join(['%s'] * len(ids))}) ORDER BY message_id, track_id",
            ids,
        )
        for row in rows:
            found.setdefault(row["message_id"], []).append(row)
        return found

    def _files(self, ids: list[int]) -> dict[int, bytes]:
        rows = self._select(
            f"SELECT file_id, {_binary(('filename',))} FROM {{p}}files "
            f"WHERE message_id IN ({', '.join(['%s'] * len(ids))}) AND link = 'message'",
            ids,
        )
        return {row["file_id"]: row["filename"] for row in rows}

    def _message(self, row, tracks, files, users) -> Message:
        repairs: list[str] = []
        problems: list[str] = []
        text = {
            field: self._text(row[field], field, repairs, problems)
            for field in ("subject", "author", "body")
        }
        email, ip = charsets.repair(row["email"]).text, charsets.repair(row["ip"]).text
        meta = self._meta(row["meta"], repairs, problems)
        edit_count = meta.get("edit_count") if isinstance(meta.get("edit_count"), int) else 0
        edited_by = ""
        if isinstance(meta.get("edit_username"), bytes):
            edited_by = self._text(meta["edit_username"], "edit_username", repairs, problems).text
        edited_by_id = meta.get("edit_user_id") if isinstance(meta.get("edit_user_id"), int) else 0
        edited_at = _time(meta.get("edit_date")) if isinstance(meta.get("edit_date"), int) else None
        posted_at = _time(row["datestamp"]) or dt.datetime.fromtimestamp(0, dt.UTC)

        def name(user_id: int, fallback: str = "") -> str:
            return users[user_id].display_name if user_id in users else fallback

        current = Version(
            _newlines(text["subject"].text),
            _newlines(text["body"].text),
            posted_at,
            row["user_id"],
            text["author"].text,
        )
        if tracks and (text["subject"].problem or text["body"].problem):
            problems.append("history: not rebuilt, the current text could not be decoded")
            versions = None
        elif tracks:
            versions = self._history(row, text, tracks, repairs, problems, name, edited_by)
            if versions and len(tracks) != edit_count:
                problems.append(f"history: {edit_count} edits counted, {len(tracks)} tracked")
                if len(tracks) < edit_count:
                    versions[0] = Version(versions[0].subject, versions[0].body, posted_at, 0, "")
        else:
            versions = None
        if versions is None:
            if edit_count:
                current = Version(
                    current.subject,
                    current.body,
                    edited_at or posted_at,
                    edited_by_id,
                    name(edited_by_id, edited_by),
                )
            versions = [current]

        attachment_ids = []
        for entry in as_list(meta.get("attachments")):
            file_id = entry.get("file_id") if isinstance(entry, dict) else None
            if not isinstance(file_id, int):
                continue
            if file_id in files:
                attachment_ids.append(file_id)
                fixed = charsets.repair(files[file_id])
                if fixed.repaired:
                    repairs.append(f"attachment {file_id} filename: {fixed.encoding}")
            else:
                problems.append(f"attachment {file_id}: listed in meta, not in files")
        return Message(
            message_id=row["message_id"],
            forum_id=row["forum_id"],
            thread=row["thread"],
            parent_id=row["parent_id"],
            user_id=row["user_id"],
            author=text["author"].text,
            subject=versions[-1].subject,
            body=versions[-1].body,
            status=row["status"],
            sort=row["sort"],
            moved=bool(row["moved"]),
            closed=bool(row["closed"]),
            posted_at=posted_at,
            modified_at=_time(row["modifystamp"]),
            email=email,
            ip=ip,
            edit_count=edit_count,
            edited_at=edited_at,
            edited_by=edited_by,
            edited_by_id=edited_by_id,
            versions=tuple(versions),
            attachment_ids=tuple(attachment_ids),
            repairs=tuple(repairs),
            problems=tuple(problems),
        )

    def _meta(self, raw: bytes | None, repairs: list[str], problems: list[str]) -> dict:
        if not raw:
            return {}
        try:
            value, notes = unserialize(raw)
        except SerializedError:
            problems.append("meta: not PHP serialized data")
            return {}
        if notes:
            repairs.append("meta: string lengths recovered")
        return value if isinstance(value, dict) else {}

    def _history(
        self, row, text, tracks, repairs, problems, name, edited_by
    ) -> list[Version] | None:
        """Every version, oldest first, walking back from the current text through each
        tracked edit (newest first). The diffs count bytes of the text as it was written:
        a double-encoded row's are undone of the conversion first."""
        double = any(fixed.encoding == charsets.DOUBLE for fixed in text.values())
        recovered = False

        def entries(raw: bytes | None) -> list[bytes]:
            nonlocal recovered
            if not raw:
                return []
            value, notes = unserialize(raw)
            recovered = recovered or bool(notes)
            found = [v for v in as_list(value) if isinstance(v, bytes)]
            if double:
                found = [charsets.undouble(v) or v for v in found]
            return found

        subject = history.normalise(text["subject"].original)
        body = history.normalise(text["body"].original)
        texts = [(subject, body)]
        try:
            for track in reversed(tracks):
                body = history.unpatch(body, entries(track["diff_body"]))
                subject = history.unpatch(subject, entries(track["diff_subject"]))
                texts.append((subject, body))
        except (history.PatchError, SerializedError) as error:
            problems.append(f"history: edit {track['track_id']} does not apply ({error})")
            return None
        if recovered:
            repairs.append("edittrack: string lengths recovered")
        texts.reverse()
        stamps = [(_time(row["datestamp"]), row["user_id"], text["author"].text)] + [
            (_time(t["time"]), t["user_id"], name(t["user_id"])) for t in tracks
        ]
        if not stamps[-1][2]:  # the last editor is gone from users: meta's name for them
            stamps[-1] = (*stamps[-1][:2], edited_by)
        versions = []
        for (subject, body), (at, editor_id, editor_name) in zip(texts, stamps, strict=True):
            versions.append(
                Version(
                    _newlines(charsets.repair(subject).text),
                    _newlines(charsets.repair(body).text),
                    at,
                    editor_id,
                    editor_name,
                )
            )
        return versions

    def attachment(self, file_id: int) -> Attachment | None:
        rows = self._select(
            f"SELECT file_id, message_id, add_datetime, {_binary(('filename', 'file_data'))} "
            "FROM {p}files WHERE file_id = %s",
            [file_id],
        )
        if not rows:
            return None
        row = rows[0]
        try:
            data = base64.b64decode(row["file_data"] or b"", validate=False)
        except binascii.Error:
            data = b""
            self.notes.append(f"file {file_id}: file_data is not base64")
        return Attachment(
            row["file_id"],
            row["message_id"],
            charsets.repair(row["filename"]).text,
            data,
            _time(row["add_datetime"]),
        )


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
