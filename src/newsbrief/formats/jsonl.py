"""JSON Lines, newsbrief's own archive format: one JSON object a line.

Version 2 (what ``newsbrief export`` writes) opens with the header
``{"format": "newsbrief", "version": 2}`` and carries a whole board, in this order:

- ``{"kind": "board", "name", "footer", "languages"}``, and the board's words in Chinese:
  ``name_zh_hant``, ``tagline``, ``tagline_zh_hant``, ``footer_zh_hant`` (optional: an
  archive written before them reads them as empty)
- ``{"kind": "category", "slug", "name": {"en", "zh-hant"}}``
- ``{"kind": "user", "username", "first_name", "last_name"}``: the authors and editors the
  briefs name (no passwords, no addresses: an imported account cannot sign in until an
  admin gives it a password)
- ``{"kind": "entity", "slug", "type", "code", "name": {"en", "zh-hant"}, "acronym",
  "aliases": [{"text", "language", "kind"}], "parent", "merged_into"}``: the entity registry
  (``type``: country, organization or field; ``parent`` and ``merged_into`` are slugs or null)
- ``{"kind": "picture", "brief", "position", "alt", "caption", "digest", "data"}``: after
  its brief (``brief`` its uid), the picture's clean full-size file in base64 and the sha256
  of the file first uploaded (which an import matches, so importing again adds nothing)
- ``{"kind": "brief", ...}``: ``BriefContent.to_json()``, each related entry with its
  ``origin``, plus ``trail`` (the seed format's edit trail, or null), ``status``,
  ``created_at``, ``updated_at``, ``revisions`` (every save: ``number``, ``created_at``,
  ``editor``, ``origin`` and the ``content`` it stored), ``legacy_urls`` (the addresses
  the brief had on an older board) and ``entities`` (``entity`` slug, ``decision``,
  ``confidence``, ``evidence``, ``decided_by``, ``decided_at``: what it names and what editors
  decided).

Entity records and a brief's ``entities`` came later within version 2: an archive without
them imports as before, and leaves the entities a brief has alone.

Version 1 files (no header) hold only category and brief records with ``trail``; every
field that version 2 added is optional, so they read as they always did. Records are parsed
here and nothing else: no database, no HTTP.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json
import re
import uuid
from typing import Any

from newsbrief.briefs.content import BriefContent, EditTrail

from .errors import FormatError

FORMAT = "newsbrief"
VERSION = 2


@dataclasses.dataclass(frozen=True)
class Header:
    version: int

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": self.version}


@dataclasses.dataclass(frozen=True)
class BoardRecord:
    name: str
    footer: str = ""
    languages: tuple[str, ...] = ()
    name_zh_hant: str = ""
    tagline: str = ""
    tagline_zh_hant: str = ""
    footer_zh_hant: str = ""

    #: The board's words besides its name (the key a board is found by).
    WORDS = ("footer", "name_zh_hant", "tagline", "tagline_zh_hant", "footer_zh_hant")

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "board",
            "name": self.name,
            "languages": list(self.languages),
            **{field: getattr(self, field) for field in self.WORDS},
        }


@dataclasses.dataclass(frozen=True)
class CategoryRecord:
    slug: str
    name_en: str = ""
    name_zh_hant: str = ""

    def to_json(self) -> dict[str, Any]:
        names = {"en": self.name_en, "zh-hant": self.name_zh_hant}
        return {"kind": "category", "slug": self.slug, "name": names}


@dataclasses.dataclass(frozen=True)
class UserRecord:
    username: str
    first_name: str = ""
    last_name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "user",
            "username": self.username,
            "first_name": self.first_name,
            "last_name": self.last_name,
        }


@dataclasses.dataclass(frozen=True)
class RevisionRecord:
    number: int
    created_at: dt.datetime
    editor: str
    origin: str
    content: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "created_at": _utc(self.created_at),
            "editor": self.editor,
            "origin": self.origin,
            "content": self.content,
        }


@dataclasses.dataclass(frozen=True)
class EntityRecord:
    slug: str
    type: str
    name_en: str
    name_zh_hant: str = ""
    code: str = ""
    acronym: str = ""
    #: (text, language, kind) each.
    aliases: tuple[tuple[str, str, str], ...] = ()
    parent: str | None = None
    merged_into: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "entity",
            "slug": self.slug,
            "type": self.type,
            "code": self.code,
            "name": {"en": self.name_en, "zh-hant": self.name_zh_hant},
            "acronym": self.acronym,
            "aliases": [{"text": t, "language": lang, "kind": k} for t, lang, k in self.aliases],
            "parent": self.parent,
            "merged_into": self.merged_into,
        }


@dataclasses.dataclass(frozen=True)
class BriefEntityRecord:
    """An entity a brief names, with the extractor's confidence and the editor's decision."""

    entity: str
    decision: str
    confidence: float
    evidence: str = ""
    decided_by: str | None = None
    decided_at: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "decision": self.decision,
            "confidence": self.confidence,
            "evidence": self.evidence,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at and _utc(self.decided_at),
        }


@dataclasses.dataclass(frozen=True)
class BriefRecord:
    """A brief; fields a version 1 record lacks are None or empty."""

    content: BriefContent
    status: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    revisions: tuple[RevisionRecord, ...] = ()
    legacy_urls: tuple[str, ...] = ()
    related_origins: tuple[str | None, ...] = ()
    #: None: the record does not say (an older archive), which leaves a brief's alone.
    entities: tuple[BriefEntityRecord, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        record = {"kind": "brief", **self.content.to_json()}
        for entry, origin in zip(record["related"], self.related_origins, strict=False):
            entry["origin"] = origin
        trail = self.content.trail
        record["trail"] = trail and {"count": trail.count, "at": _utc(trail.at), "by": trail.by}
        record |= {
            "status": self.status,
            "created_at": self.created_at and _utc(self.created_at),
            "updated_at": self.updated_at and _utc(self.updated_at),
            "revisions": [r.to_json() for r in self.revisions],
            "legacy_urls": list(self.legacy_urls),
        }
        if self.entities is not None:
            record["entities"] = [e.to_json() for e in self.entities]
        return record


@dataclasses.dataclass(frozen=True)
class PictureRecord:
    brief: uuid.UUID
    position: int
    alt: str
    caption: str
    digest: str
    data: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "picture",
            "brief": str(self.brief),
            "position": self.position,
            "alt": self.alt,
            "caption": self.caption,
            "digest": self.digest,
            "data": base64.b64encode(self.data).decode("ascii"),
        }


Record = (
    Header | BoardRecord | PictureRecord | CategoryRecord | UserRecord | EntityRecord
    | BriefRecord
)  # fmt: skip


def write(record: Record) -> str:
    """One line (without its newline)."""
    return json.dumps(record.to_json(), ensure_ascii=False)


def parse_record(line: str) -> Record:
    """One line as a record; ``FormatError`` saying what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(record, dict):
        raise FormatError("a record must be a JSON object")
    try:
        if "format" in record and "kind" not in record:
            return _header(record)
        kind = record.get("kind", "brief")
        if kind not in _READERS:
            raise ValueError(f"unknown kind {kind!r}")
        return _READERS[kind](record)
    except KeyError as exc:
        raise FormatError(f"missing field {exc.args[0]!r}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise FormatError(f"bad record: {exc}") from None


def _header(record: dict) -> Header:
    version = record.get("version")
    if record["format"] != FORMAT or not isinstance(version, int):
        raise ValueError('the header must be {"format": "newsbrief", "version": N}')
    if not 1 <= version <= VERSION:
        raise ValueError(f"version {version} is not one this newsbrief reads (1 to {VERSION})")
    return Header(version)


def _board(record: dict) -> BoardRecord:
    name = _text(record["name"])
    if not name.strip():
        raise ValueError("a board needs a name")
    languages = record.get("languages") or []
    words = {field: _text(record.get(field) or "") for field in BoardRecord.WORDS}
    return BoardRecord(name, languages=tuple(map(_text, languages)), **words)


def _category(record: dict) -> CategoryRecord:
    names = record.get("name") or {}
    if not record.get("slug") or not isinstance(names, dict):
        raise ValueError("a category needs a slug and names")
    return CategoryRecord(
        _text(record["slug"]), _text(names.get("en") or ""), _text(names.get("zh-hant") or "")
    )


def _user(record: dict) -> UserRecord:
    username = _text(record["username"])
    if not username or any(c.isspace() for c in username):
        raise ValueError(f"{username!r} is not an account name")
    return UserRecord(
        username, _text(record.get("first_name") or ""), _text(record.get("last_name") or "")
    )


def _brief(record: dict) -> BriefRecord:
    trail = record.get("trail")
    if trail:
        trail = EditTrail(count=int(trail["count"]), at=_time(trail["at"]), by=str(trail["by"]))
    content = BriefContent.from_json(record, trail=trail or None)
    if content.language not in {"en", "zh-hant"}:
        raise ValueError(f"unknown language {content.language!r}")
    legacy = record.get("legacy_urls") or []
    if record.get("legacy_url"):
        legacy = [record["legacy_url"], *legacy]
    if not isinstance(legacy, list):
        raise ValueError("legacy_urls must be a list")
    return BriefRecord(
        content=content,
        status=record.get("status") and _text(record["status"]),
        created_at=record.get("created_at") and _time(record["created_at"]),
        updated_at=record.get("updated_at") and _time(record["updated_at"]),
        revisions=tuple(_revision(r) for r in record.get("revisions") or ()),
        legacy_urls=tuple(map(_text, legacy)),
        related_origins=tuple(c.get("origin") for c in record.get("related") or ()),
        entities=_brief_entities(record["entities"]) if "entities" in record else None,
    )


def _brief_entities(entries) -> tuple[BriefEntityRecord, ...]:
    if not isinstance(entries, list):
        raise ValueError("entities must be a list")
    found = []
    for entry in entries:
        confidence = entry.get("confidence", 1.0)
        if isinstance(confidence, bool) or not isinstance(confidence, int | float):
            raise ValueError(f"bad entity confidence {confidence!r}")
        decided_by = entry.get("decided_by")
        found.append(
            BriefEntityRecord(
                _text(entry["entity"]),
                _text(entry.get("decision") or "proposed"),
                float(confidence),
                _text(entry.get("evidence") or ""),
                _text(decided_by) if decided_by else None,
                _time(entry["decided_at"]) if entry.get("decided_at") else None,
            )
        )
    return tuple(found)


def _entity(record: dict) -> EntityRecord:
    names = record.get("name") or {}
    slug = _text(record["slug"])
    if not slug or not isinstance(names, dict) or not names.get("en"):
        raise ValueError("an entity needs a slug and an English name")
    aliases = record.get("aliases") or []
    if not isinstance(aliases, list):
        raise ValueError("aliases must be a list")

    def slug_or_none(field):
        value = record.get(field)
        return _text(value) if value else None

    return EntityRecord(
        slug, _text(record["type"]), _text(names["en"]), _text(names.get("zh-hant") or ""),
        _text(record.get("code") or ""), _text(record.get("acronym") or ""),
        tuple(
            (_text(a["text"]), _text(a.get("language") or ""), _text(a.get("kind") or "name"))
            for a in aliases
        ),
        slug_or_none("parent"), slug_or_none("merged_into"),
    )  # fmt: skip


def _revision(record: dict) -> RevisionRecord:
    content = record["content"]
    if not isinstance(content, dict):
        raise ValueError("a revision's content must be an object")
    BriefContent.from_json(content)  # a revision must read back as a brief
    number = record["number"]
    if not isinstance(number, int) or number < 0:
        raise ValueError(f"bad revision number {number!r}")
    return RevisionRecord(
        number, _time(record["created_at"]), _text(record["editor"]),
        _text(record.get("origin") or "import"), content,
    )  # fmt: skip


_DIGEST = re.compile(r"[0-9a-f]{64}")


def _picture(record: dict) -> PictureRecord:
    digest, position = _text(record["digest"]), record.get("position", 0)
    if not _DIGEST.fullmatch(digest):
        raise ValueError("a picture's digest is 64 hexadecimal digits")
    if not isinstance(position, int) or position < 0:
        raise ValueError(f"bad picture position {position!r}")
    try:
        data = base64.b64decode(_text(record["data"]), validate=True)
    except binascii.Error:
        raise ValueError("a picture's data must be base64") from None
    return PictureRecord(
        uuid.UUID(_text(record["brief"])), position, _text(record["alt"]),
        _text(record.get("caption") or ""), digest, data,
    )  # fmt: skip


_READERS = {
    "picture": _picture,
    "board": _board,
    "category": _category,
    "user": _user,
    "entity": _entity,
    "brief": _brief,
}


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, found {type(value).__name__}")
    return value


def _time(value: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(_text(value))
    if at.tzinfo is None:
        raise ValueError(f"datetime without a time zone: {value!r}")
    return at


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()
