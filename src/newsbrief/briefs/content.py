"""``BriefContent``: a brief as plain data, independent of storage and of any file format.

Every way into the archive (the importer today, the desk and the API later) hands one of
these to ``publishing.save_brief``; a revision stores its JSON form, and the JSON Lines
format is that same form, so there is one shape of "a brief" everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any


class InvalidContent(ValueError):
    """Content that storage cannot hold; the message names the field."""


@dataclasses.dataclass(frozen=True)
class Link:
    """A "Further Information" source link."""

    label: str
    url: str = ""
    date: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class Citation:
    """A "Related Historical Messages" entry as a page shows it; ``uid`` when known."""

    title: str
    tags: tuple[str, ...] = ()
    date: dt.date | None = None
    uid: uuid.UUID | None = None


@dataclasses.dataclass(frozen=True)
class EditTrail:
    """The seed's ``Edited N time(s). Last edit at ... by NAME.``"""

    count: int
    at: dt.datetime
    by: str


@dataclasses.dataclass(frozen=True)
class BriefContent:
    language: str
    title: str
    body: str
    author: str
    published_at: dt.datetime | None
    tags: tuple[str, ...] = ()
    source_name: str = ""
    source_date: dt.date | None = None
    links: tuple[Link, ...] = ()
    related: tuple[Citation, ...] = ()
    uid: uuid.UUID | None = None
    translation_key: uuid.UUID | None = None
    board: str = ""
    trail: EditTrail | None = None

    def validate(self) -> None:
        """Raise ``InvalidContent`` naming the first field that storage cannot hold."""
        limits = [("title", self.title, 500), ("author", self.author, 150)]
        limits += [("source", self.source_name, 200)]
        limits += [("tag", tag, 120) for tag in self.tags]
        limits += [("link label", x.label, 300) for x in self.links]
        limits += [("link address", x.url, 2000) for x in self.links]
        limits += [("related title", c.title, 500) for c in self.related]
        for name, value, limit in limits:
            if len(value) > limit:
                raise InvalidContent(
                    f"the {name} is {len(value)} characters, over the {limit} limit"
                )
        if not self.title.strip() or not self.body.strip() or not self.author.strip():
            raise InvalidContent("a brief needs a title, a body and an author")
        for link in self.links:
            if link.url and not link.url.lower().startswith(("http://", "https://")):
                raise InvalidContent(f"a source link must be http(s), found {link.url[:80]!r}")
        if any(not tag.strip() for tag in self.tags):
            raise InvalidContent("a category tag is empty")
        if self.trail and (not self.trail.by or any(c.isspace() for c in self.trail.by)):
            raise InvalidContent(f"the editor {self.trail.by!r} is not an account name")

    def to_json(self) -> dict[str, Any]:
        """The brief's content as JSON: what a revision stores and JSON Lines carries."""
        return {
            "uid": _str(self.uid),
            "translation_key": _str(self.translation_key),
            "board": self.board,
            "language": self.language,
            "author": self.author,
            "published_at": _iso(self.published_at),
            "title": self.title,
            "tags": list(self.tags),
            "source": {"name": self.source_name, "date": _iso(self.source_date)},
            "body": self.body,
            "links": [{"label": x.label, "url": x.url, "date": _iso(x.date)} for x in self.links],
            "related": [
                {"title": c.title, "tags": list(c.tags), "date": _iso(c.date), "uid": _str(c.uid)}
                for c in self.related
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], trail: EditTrail | None = None) -> BriefContent:
        """The inverse of ``to_json``; raises ``KeyError``/``ValueError`` on a bad object."""
        source = data.get("source") or {}
        return cls(
            uid=_uuid(data.get("uid")),
            translation_key=_uuid(data.get("translation_key")),
            board=str(data.get("board") or ""),
            language=str(data["language"]),
            author=str(data["author"]),
            published_at=_datetime(data.get("published_at")),
            title=str(data["title"]),
            tags=tuple(str(t) for t in data.get("tags") or ()),
            source_name=str(source.get("name") or ""),
            source_date=_date(source.get("date")),
            body=str(data["body"]),
            links=tuple(
                Link(str(x["label"]), str(x.get("url") or ""), _date(x.get("date")))
                for x in data.get("links") or ()
            ),
            related=tuple(
                Citation(
                    str(c["title"]),
                    tuple(str(t) for t in c.get("tags") or ()),
                    _date(c.get("date")),
                    _uuid(c.get("uid")),
                )
                for c in data.get("related") or ()
            ),
            trail=trail,
        )


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


def _iso(value: dt.date | None) -> str | None:
    """ISO 8601; datetimes in UTC so that equal instants compare equal as text."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC)
    return None if value is None else value.isoformat()


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"datetime without a time zone: {value!r}")
    return parsed
