"""One Phorum message as the archive's records (``formats.jsonl``), so that a Phorum board
comes in through ``formats.importer.import_units`` like any archive.

A message's body is read the way the seed-format importer reads a page (``seed.parse``):
its BBCode made Markdown first, its subject the heading when the body does not open with
one, so the board's conventions (``[Category]`` tags, the ``(Chinese Version)`` link, the
*Related Historical Messages* and *Further Information* sections, the source and date line,
the footer) become data the same way. A body that does not read as a page is kept whole,
under its subject. Links to ``read.php`` become the message's old address on this board's
root, which answers with a redirect to its brief whichever came in first.

Identities are derived from Phorum's ids, so converting again gives the same records: a
brief's uid from its ``message_id``, a version key from the message that a version link
names (or that names it: messages arrive in ``message_id`` order, so the later one joins
the earlier one's key).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable

from newsbrief.briefs.content import BriefContent
from newsbrief.briefs.dates import format_datetime
from newsbrief.formats import jsonl, seed
from newsbrief.formats.errors import FormatError

from . import bbcode
from .records import APPROVED, HELD, HIDDEN, Attachment, Forum, Message, User

NAMESPACE = uuid.UUID("0b7a3f52-8e8e-4c52-9d1b-4d6a1f0c9e21")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
#: Phorum's language settings for Traditional Chinese (a pack's file name, or a locale).
CHINESE = re.compile(r"^(zh|tchinese|chinese_?trad|big5|traditional)", re.I)
ENGLISH = re.compile(r"^(en|english)", re.I)
#: An internal link: ``read.php?F,T`` or ``read.php?F,T,M`` (any host or folder before it).
READ_LINK = re.compile(
    r"(?:https?://[^\s()<>]*/|[^\s()<>:]*/)?read\.php\?(\d+),(\d+)(?:,(\d+))?[^\s()<>]*"
)
_TARGET = re.compile(r"\]\(([^()\s]*)\)")
_BRIEF_TARGET = re.compile(r"\]\(" + re.escape(seed.BRIEF_URN) + r"([0-9a-f-]{36})\)")
STATUSES = {APPROVED: "published", HELD: "review", HIDDEN: "draft"}


def message_uid(message_id: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"message:{message_id}")


def version_key(message_id: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"versions:{message_id}")


def language_of(forum: Forum | None) -> str | None:
    """The briefs' language a forum's ``language`` names; None: read it from each page."""
    setting = (forum.language if forum else "").strip()
    if CHINESE.match(setting):
        return "zh-hant"
    if ENGLISH.match(setting):
        return "en"
    return None


def account_name(username: str, user_id: int) -> str:
    """An account name for a Phorum user: its username, spaces made ``_`` (an editor's
    name in an edit trail cannot hold one)."""
    return "_".join(username.split()) or f"phorum-user-{user_id}"


def is_picture(attachment: Attachment) -> bool:
    """Whether an attachment becomes a picture of its brief: named as one and a picture
    newsbrief accepts. A damaged or mislabelled one stays a file (served as it was), so
    that the picture importer never refuses it and the run never fails on it."""
    from django.conf import settings

    from newsbrief.pictures.processing import PictureRefused, open_checked

    if not attachment.filename.lower().endswith(IMAGE_SUFFIXES):
        return False
    try:
        open_checked(
            attachment.data,
            max_bytes=settings.NEWSBRIEF_PICTURE_MAX_BYTES,
            max_pixels=settings.NEWSBRIEF_PICTURE_MAX_PIXELS,
        )
    except PictureRefused:
        return False
    return True


@dataclasses.dataclass(frozen=True)
class Known:
    """A message already in the archive, as a later message's links need it."""

    pk: int
    translation_key: uuid.UUID
    language: str


@dataclasses.dataclass(frozen=True)
class Mapping:
    """The operator's choices: which forums become boards (the others are categories),
    whether e-mail addresses and IPs are kept, the board's time zone."""

    boards: frozenset[int] = frozenset()
    keep_private: bool = False
    tz: dt.tzinfo = dt.UTC


@dataclasses.dataclass
class Converted:
    """A message made records, and what the report says about it."""

    message: Message
    status: str
    units: list[jsonl.Record]
    orphan: bool = False
    stub: bool = False
    old_text: str = ""
    new_text: str = ""
    unknown_tags: set[str] = dataclasses.field(default_factory=set)
    linked: set[int] = dataclasses.field(default_factory=set)  # the messages it links
    problems: list[str] = dataclasses.field(default_factory=list)
    attachments: list[Attachment] = dataclasses.field(default_factory=list)
    pictures: set[int] = dataclasses.field(default_factory=set)  # attachments made pictures

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.new_text.encode()).hexdigest()[:32]

    @property
    def matches(self) -> bool:
        return self.old_text == self.new_text


class Converter:
    """Makes records of a board's messages, in ``message_id`` order. ``known(message_id)``
    finds a message already in the archive; ``claimed`` holds the version key and language
    of every brief in it (by uid), which converting adds to; ``taken`` holds the names of
    accounts that can sign in, which no guest's name may take."""

    def __init__(
        self,
        forums: list[Forum],
        users: dict[int, User],
        mapping: Mapping,
        known: Callable[[int], Known | None],
        claimed: dict[tuple[uuid.UUID, str], uuid.UUID] | None = None,
        taken: set[str] = frozenset(),
        seen: set[int] | None = None,
    ):
        self.forums = {f.forum_id: f for f in forums}
        self.users = users
        self.mapping = mapping
        self.known = known
        self.claimed = claimed if claimed is not None else {}
        self.names = {account_name(u.username, u.user_id).casefold() for u in users.values()}
        self.names |= {name.casefold() for name in taken}
        self.seen = seen if seen is not None else set()
        self.keys: dict[int, tuple[uuid.UUID, str]] = {}  # this run's: message -> key, language
        self.users_written: set[str] = set()

    # -- who ----------------------------------------------------------------------------

    def author(self, message: Message) -> str:
        user = self.users.get(message.user_id) if message.user_id else None
        if user is not None:
            return account_name(user.username, user.user_id)
        return self.guest(message.author)

    def guest(self, name: str) -> str:
        """A guest's posted name; ``NAME (guest)`` where it is a registered user's name or
        an account that signs in, so a guest never writes as someone else."""
        name = " ".join(name.split()) or "guest"
        return f"{name} (guest)" if name.casefold() in self.names else name

    def editor(self, user_id: int, name: str, fallback: str) -> str:
        user = self.users.get(user_id) if user_id else None
        if user is not None:
            return account_name(user.username, user.user_id)
        return account_name(name, user_id) if name.strip() else fallback

    def _user_records(self, *user_ids: int) -> list[jsonl.UserRecord]:
        records = []
        for user_id in user_ids:
            user = self.users.get(user_id)
            if user is None:
                continue
            name = account_name(user.username, user.user_id)
            if name in self.users_written:
                continue
            self.users_written.add(name)
            shown = (user.display_name or user.real_name).strip()
            if shown and shown != name:
                first, _sep, last = shown[:300].partition(" ")
                records.append(jsonl.UserRecord(name, first[:150], last[:150]))
            else:
                records.append(jsonl.UserRecord(name))
        return records

    # -- what ---------------------------------------------------------------------------

    def convert(self, message: Message, attachments: list[Attachment] = ()) -> Converted:
        forum = self.forums.get(message.forum_id)
        orphan = bool(message.parent_id) and message.parent_id not in self.seen
        self.seen.add(message.message_id)
        if message.moved:
            return Converted(message, "stub", [], stub=True)
        status = STATUSES.get(message.status, "draft")
        problems = list(message.problems)
        if message.status not in STATUSES:
            problems.append(f"unknown status {message.status}: kept as a draft")
        if status == "published" and forum is not None and not forum.active:
            status = "draft"
            problems.append("its forum is not active: kept as a draft")
        author = self.author(message)
        language = language_of(forum)
        page = self._page(message, message.subject, message.body, author, language, status)
        content = page.content
        revisions = self._revisions(message, author, language, status, content)
        uid = content.uid
        record = jsonl.BriefRecord(
            content=content,
            status=status,
            created_at=message.posted_at,
            updated_at=message.edited_at or message.posted_at,
            revisions=tuple(revisions),
            legacy_urls=(f"/read.php?{message.forum_id},{message.thread},{message.message_id}",),
        )
        editors = [message.edited_by_id, *(v.editor_id for v in message.versions)]
        units: list[jsonl.Record] = [*self._user_records(message.user_id, *editors), record]
        pictures = []
        for attachment in attachments:
            if is_picture(attachment):
                pictures.append(attachment)
            elif attachment.filename.lower().endswith(IMAGE_SUFFIXES):
                problems.append(
                    f"attachment {attachment.file_id}: not a picture newsbrief accepts: "
                    "kept as a file"
                )
        for position, attachment in enumerate(pictures):
            digest = hashlib.sha256(attachment.data).hexdigest()
            units.append(
                jsonl.PictureRecord(uid, position, attachment.filename, "", digest, attachment.data)
            )
        if len(message.versions) - 1 > message.edit_count:
            problems.append(
                f"{len(message.versions) - 1} tracked edits, meta.edit_count {message.edit_count}"
            )
        self.keys[message.message_id] = (content.translation_key, content.language)
        return Converted(
            message, status, units, orphan=orphan, old_text=page.old_text,
            new_text=page.new_text, unknown_tags=page.unknown, linked=page.pending,
            problems=problems + page.problems, attachments=list(attachments),
            pictures={a.file_id for a in pictures},
        )  # fmt: skip

    def _revisions(self, message, author, language, status, current) -> list:
        """Every version a revision: numbered so that the last is ``meta.edit_count`` (where
        tracking began late, the first tracked one is not 0), by its editor at its time; the
        last one's time and editor as ``meta`` has them."""
        versions = message.versions or ()
        last = max(message.edit_count, len(versions) - 1)
        records = []
        for i, version in enumerate(versions):
            number = last - (len(versions) - 1 - i)
            final = i == len(versions) - 1
            if final:
                content = current
            else:
                content = self._page(
                    message, version.subject, version.body, author, language, status,
                    compared=False,
                ).content  # fmt: skip
            at, editor = version.at, self.editor(version.editor_id, version.editor_name, author)
            if number == 0:
                at, editor = message.posted_at, author
            elif final and message.edited_at:
                at = message.edited_at
                editor = self.editor(message.edited_by_id, message.edited_by, editor)
            records.append(jsonl.RevisionRecord(number, at, editor, "import", content.to_json()))
        return records

    def _page(self, message, subject, body, author, language, status, compared=True) -> _Page:
        """The page a text makes; ``compared``: with the two texts the checksum compares
        (the current version's only: the report is about what the reader sees now)."""
        converted = bbcode.to_markdown(body)
        problems: list[str] = []
        markdown, links, key = self._links(converted.markdown)
        first = markdown.split("\n", 1)[0].strip()
        opens_with_heading = seed._VERSION.search(first) is not None or first == " ".join(
            subject.split()
        )
        heading = "" if opens_with_heading else " ".join(subject.split()) or "(no subject)"
        when = format_datetime(message.posted_at.astimezone(self.mapping.tz), "en")
        text = f"x / {when}\n\n{heading}\n\n{markdown}" if heading else f"x / {when}\n\n{markdown}"
        try:
            content = seed.parse(text, self.mapping.tz)
        except FormatError as exc:
            problems.append(f"conventions not read ({exc.message}): kept whole")
            tags, title = seed.split_tags(" ".join(subject.split()) or "(no subject)")
            content = BriefContent(
                language="en", title=title, tags=tags, body=markdown or title, author=author,
                published_at=None,
            )  # fmt: skip
        uid = message_uid(message.message_id)
        language = language or (content.language if content.language in seed.LABELS else "en")
        translation_key = self._version(message, key, language, problems)
        forum = self.forums.get(message.forum_id)
        tags = content.tags
        board = content.board
        if forum is not None and forum.forum_id in self.mapping.boards:
            board = forum.name
        elif forum is not None:
            tags = tuple(dict.fromkeys((" ".join(forum.name.split()), *tags)))
        shown = dataclasses.replace(
            content, uid=uid, author=author, language=language,
            translation_key=translation_key if key is not None else None,
            published_at=message.posted_at, trail=None,
        )  # fmt: skip
        old_text = new_text = ""
        if compared:
            new_text = bbcode.normalized(seed.render(shown, self.mapping.tz).split("\n\n", 2)[2])
            old_text = bbcode.normalized(
                (f"{subject}\n" if heading else "") + bbcode.without_targets(converted.markdown)
            )
        final = dataclasses.replace(
            shown, board=board, tags=tags, translation_key=translation_key,
            body=self._addresses(content.body, links),
            published_at=message.posted_at if status == "published" else None,
        )  # fmt: skip
        pending = {m for m, _a in links.values()}
        return _Page(final, old_text, new_text, converted.unknown, pending, problems)

    def _links(self, markdown: str) -> tuple[str, dict[uuid.UUID, tuple[int, str]], int | None]:
        """Internal links made the uid of the brief they lead to (so that related entries
        name it, as a page this board wrote does); the version link's message, if any."""
        links: dict[uuid.UUID, tuple[int, str]] = {}  # uid -> message, its old arguments
        key = None
        version = None
        for line in markdown.split("\n")[:3]:
            version = version or seed._VERSION.search(line)
        found = version and READ_LINK.fullmatch(version["target"])
        if found and version["label"] in seed.VERSION_LABELS:
            key = int(found[3] or found[2])
            markdown = markdown.replace(
                version.group(), version.group().replace(version["target"], "#"), 1
            )

        def to_uid(match: re.Match) -> str:
            found = READ_LINK.fullmatch(match[1])
            if not found:
                return match.group()
            target = int(found[3] or found[2])
            uid = message_uid(target)
            links[uid] = (target, ",".join(g for g in found.groups() if g))
            return f"]({seed.BRIEF_URN}{uid})"

        return _TARGET.sub(to_uid, markdown), links, key

    def _version(self, message: Message, linked: int | None, language: str, problems) -> uuid.UUID:
        """The version key: an earlier message's that the version link names, a later one's
        own (which that message will have), else this message's own; a key another brief of
        this language holds already is not shared. Decided from the ids alone and what came
        before, so a second run, or a resumed one, decides the same."""
        key = version_key(message.message_id)
        if linked is not None and linked != message.message_id:
            if linked > message.message_id:
                key = version_key(linked)
            elif (theirs := self.keys.get(linked)) is not None:
                key = theirs[0]
            elif (known := self.known(linked)) is not None:
                key = known.translation_key
        uid = message_uid(message.message_id)
        if self.claimed.get((key, language), uid) != uid:
            problems.append("its version key is another brief's in the same language")
            key = uuid.uuid5(NAMESPACE, f"own-versions:{message.message_id}")
        self.claimed[(key, language)] = uid
        return key

    @staticmethod
    def _addresses(body: str, links: dict[uuid.UUID, tuple[int, str]]) -> str:
        """Links to messages, on this board's root: the old address answers with a redirect
        to the brief's page, whichever order the two came in, so a body never has to be
        rewritten again when its target arrives (a second run changes nothing)."""

        def address(match: re.Match) -> str:
            link = links.get(uuid.UUID(match[1]))
            return f"](/read.php?{link[1]})" if link else match.group()

        return _BRIEF_TARGET.sub(address, body)


@dataclasses.dataclass
class _Page:
    content: BriefContent
    old_text: str
    new_text: str
    unknown: set[str]
    pending: set[int]
    problems: list[str]
