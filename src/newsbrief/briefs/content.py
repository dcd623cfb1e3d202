"""``BriefContent``: a brief as plain data, independent of storage and of any file format.

Every way into the archive (the importer today, the desk and the API later) hands one of
these to ``publishing.save_brief``; a revision stores its JSON form, and the JSON Lines
format is that same form, so there is one shape of "a brief" everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .errors import InvalidContent

#: What separates tags where they are typed as one text (so no tag may hold one).
TAG_SEPARATORS = re.compile(r"[,，、]")
#: Characters that no feed (XML), page or file can carry: C0 controls but tab, line feed and
#: carriage return, DEL, lone surrogates and the non-characters U+FFFE and U+FFFF.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
#: What an import turns into spaces in a one-line field (a title, a tag, a name, a label).
LINE_BREAKS = re.compile("[\t\n\r]")
check_url = URLValidator(schemes=["http", "https"])


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

    def validate(self, typed: bool = False) -> None:
        """Raise ``InvalidContent`` naming every field that breaks a limit (``limits``: the
        storage's lengths and the product's counts) or a rule of what a brief is. ``typed``:
        the content comes from a person, whose tags must also survive being typed as one
        text on the desk (no separators in a tag); an archive brings what it has."""
        from . import limits

        fields: dict[str, list[str]] = {}

        def fault(field: str, message: str) -> None:
            fields.setdefault(field, []).append(message)

        def too_long(field: str, value: str, limit: int) -> None:
            if len(value) > limit:
                fault(
                    field,
                    _("%(length)s characters, over the limit of %(limit)s.")
                    % {"length": len(value), "limit": limit},
                )

        too_long("title", self.title, limits.TITLE)
        too_long("author", self.author, limits.AUTHOR)
        too_long("source_name", self.source_name, limits.SOURCE_NAME)
        too_long("body", self.body, limits.BODY)
        for name, value in [("title", self.title), ("body", self.body), ("author", self.author)]:
            if not value.strip():
                fault(name, _("This cannot be empty."))
        for name, value in self._texts():
            found = CONTROLS.search(value)
            if found:
                fault(
                    name,
                    _("This holds a control character (U+%(code)04X).")
                    % {"code": ord(found.group())},
                )
        years = {"first": limits.YEARS.start, "last": limits.YEARS.stop - 1}
        for name, value in self._dates():
            if value is None or value.year in limits.YEARS:
                continue
            if name == "published_at":  # no form holds it: say what to do
                fault(
                    name,
                    _(
                        "The publication time must fall in the years %(first)s to %(last)s: "
                        "publish the brief again at such a time."
                    )
                    % years,
                )
            else:
                fault(name, _("A date must fall in the years %(first)s to %(last)s.") % years)
        if len(self.tags) > limits.MAX_TAGS:
            fault("tags", _("At most %(n)s tags.") % {"n": limits.MAX_TAGS})
        for tag in self.tags:
            too_long("tags", tag, limits.TAG)
            if not tag.strip():
                fault("tags", _("A category tag is empty."))
            if typed and TAG_SEPARATORS.search(tag):
                fault("tags", _("A tag cannot hold a comma."))
        if len(self.links) > limits.MAX_LINKS:
            fault("links", _("At most %(n)s links.") % {"n": limits.MAX_LINKS})
        for n, link in enumerate(self.links):
            too_long(f"links.{n}.label", link.label, limits.LINK_LABEL)
            too_long(f"links.{n}.url", link.url, limits.LINK_URL)
            if not link.label.strip():
                fault(f"links.{n}.label", _("A link needs a label."))
            if link.url:
                try:
                    check_url(link.url)
                except ValidationError:
                    fault(
                        f"links.{n}.url",
                        _("A source link must be an http(s) address, found %(url)r.")
                        % {"url": link.url[:80]},
                    )
        if len(self.related) > limits.MAX_RELATED:
            fault("related", _("At most %(n)s related messages.") % {"n": limits.MAX_RELATED})
        for citation in self.related:
            too_long("related", citation.title, limits.RELATED_TITLE)
        if self.trail and (not self.trail.by or any(c.isspace() for c in self.trail.by)):
            fault(
                "trail", _("The editor %(name)r is not an account name.") % {"name": self.trail.by}
            )
        if fields:
            first = next(iter(fields.items()))
            raise InvalidContent(f"{first[0]}: {first[1][0]}", fields)

    def _texts(self) -> list[tuple[str, str]]:
        """Every text field, by the name ``validate`` gives its faults."""
        return [
            ("title", self.title),
            ("body", self.body),
            ("author", self.author),
            ("source_name", self.source_name),
            *(("tags", tag) for tag in self.tags),
            *((f"links.{n}.label", x.label) for n, x in enumerate(self.links)),
            *((f"links.{n}.url", x.url) for n, x in enumerate(self.links)),
            *(("related", c.title) for c in self.related),
            *(("related", tag) for c in self.related for tag in c.tags),
        ]

    def _dates(self) -> list[tuple[str, dt.date | None]]:
        return [
            ("published_at", self.published_at),
            ("source_date", self.source_date),
            *((f"links.{n}.date", x.date) for n, x in enumerate(self.links)),
            *(("related", c.date) for c in self.related),
            ("trail", self.trail.at if self.trail else None),
        ]

    def without_controls(self) -> BriefContent:
        """The content with what ``validate`` refuses as control characters taken out (in
        one-line fields a line break or tab becomes a space): how an archive's text that a
        feed could not carry is brought in."""

        def line(text: str) -> str:
            return CONTROLS.sub("", LINE_BREAKS.sub(" ", text))

        return dataclasses.replace(
            self,
            title=line(self.title),
            body=CONTROLS.sub("", self.body),
            author=line(self.author),
            source_name=line(self.source_name),
            tags=tuple(line(t) for t in self.tags),
            links=tuple(
                dataclasses.replace(x, label=line(x.label), url=line(x.url)) for x in self.links
            ),
            related=tuple(
                dataclasses.replace(c, title=line(c.title), tags=tuple(line(t) for t in c.tags))
                for c in self.related
            ),
        )

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
