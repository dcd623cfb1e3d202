"""What the API reads and writes. Response fields that can be empty are declared nullable,
so the OpenAPI schema says exactly what a client gets.

Request bodies are typed strictly: a number where the schema says text, text or a boolean
where it says a number, a number where it says a date is a 422, never quietly converted
(``"based_on": "0"``, ``"title": true``). ninja validates a body as the Python objects JSON
decodes to, where pydantic's strict mode would refuse dates written as text too; so the
strictness is per type (``StrictStr``, ``StrictInt``, ISO text for dates). Query parameters
arrive as text and are converted as before.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    AliasChoices,
    AwareDatetime,
    BeforeValidator,
    Field,
    StrictInt,
    StrictStr,
)

from newsbrief.briefs import limits

Language = Literal["en", "zh-hant"]
Status = Literal["draft", "review", "published"]
EntityKind = Literal["country", "organization", "field"]
Decision = Literal["proposed", "confirmed", "added", "removed"]


def _storable(text: str) -> str:
    """Text the database can hold: no NUL or other control characters but tab and line
    breaks, no unpaired surrogates."""
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        raise ValueError("control characters are not allowed")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode") from None
    return text


def Text(max_length: int, min_length: int = 0):
    return Annotated[
        StrictStr, Field(min_length=min_length, max_length=max_length), AfterValidator(_storable)
    ]


def _iso_text(value):
    """Dates and times as ISO 8601 text, not numbers (which pydantic reads as timestamps)."""
    if not isinstance(value, str):
        raise ValueError("must be ISO 8601 text")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_text)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
BriefNumber = Annotated[StrictInt, Field(ge=1, le=2**53)]
RevisionNumber = Annotated[StrictInt, Field(ge=0, le=2**31)]


# -- responses --------------------------------------------------------------------------


class TagOut(Schema):
    slug: str
    name: str = Field(description="The category's name in the brief's language.")


class SourceOut(Schema):
    name: str
    date: dt.date | None


class LinkOut(Schema):
    label: str
    url: str = Field(description="Empty when the archive did not keep the address.")
    date: dt.date | None


class BriefRef(Schema):
    id: int
    language: Language
    title: str
    url: str
    published_at: dt.datetime | None


class RelatedOut(Schema):
    """A "Related Historical Message" as the brief cites it; ``brief`` is the cited brief,
    null while the archive does not hold it (or it is not public)."""

    title: str
    tags: list[str]
    date: dt.date | None
    brief: BriefRef | None


class ProposalOut(Schema):
    """A brief newsbrief proposes, with its ranking score and why."""

    brief: BriefRef
    score: float
    reasons: list[str]


class TagSuggestionOut(TagOut):
    confidence: float = Field(ge=0, le=1)


class ProposalsOut(Schema):
    related: list[ProposalOut] = Field(description="Earlier briefs, best first.")
    tags: list[TagSuggestionOut] = Field(description="Likely category tags, best first.")
    counterparts: list[ProposalOut] = Field(
        description="Likely other-language versions; empty once the brief has one."
    )


class TrailOut(Schema):
    """``Edited 2 time(s). Last edit at ... by techman.``"""

    count: int
    last_edit_at: dt.datetime
    by: str


class BriefSummary(Schema):
    id: int
    uid: str
    language: Language
    title: str
    tags: list[TagOut]
    author: str
    status: Status
    published_at: dt.datetime | None
    source: SourceOut
    url: str = Field(description="The brief's page on the board.")


class PictureSize(Schema):
    url: str = Field(description="Absolute; the file never changes while it exists.")
    type: Literal["image/webp", "image/jpeg"]
    width: int
    height: int
    bytes: int


class PictureOut(Schema):
    id: int
    position: int = Field(description="Its place among the brief's pictures, from 0.")
    alt: str
    caption: str
    width: int
    height: int
    sizes: list[PictureSize] = Field(description="Every size in WebP and JPEG, narrowest first.")


class PictureEdit(Schema):
    alt: Text(300, 1)
    caption: Text(500) = ""


class BriefDetail(BriefSummary):
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="The body as the page shows it, sanitized.")
    links: list[LinkOut]
    versions: list[BriefRef] = Field(description="The brief's other-language versions.")
    related: list[RelatedOut]
    pictures: list[PictureOut] = Field(description="Shown after the body, in this order.")
    trail: TrailOut | None = Field(
        description="Null until the brief is edited after its first save."
    )
    revision: int | None = Field(
        description="The latest revision's number: send it as based_on to edit the brief."
    )
    updated_at: dt.datetime


class BriefPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[BriefSummary]


class EntityRef(Schema):
    slug: str
    kind: EntityKind
    name_en: str
    name_zh_hant: str
    acronym: str


class EntityOut(EntityRef):
    code: str = Field(description="ISO 3166 for a country, the taxonomy's for a field.")
    parent: str | None = Field(description="The broader entity's slug.")


class EntityPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[EntityOut]


class AliasOut(Schema):
    text: str
    language: str = Field(description="en, zh-hant, or empty when the same in both.")
    kind: Literal["name", "acronym", "learned"]


class EntityDetail(EntityOut):
    merged_into: str | None = Field(
        description="The slug of the entity it was merged into (then use that one)."
    )
    aliases: list[AliasOut]
    briefs: dict[str, int] = Field(
        description="Published briefs naming it, by language, as readers see them."
    )


class BriefEntityOut(Schema):
    entity: EntityRef
    decision: Decision
    confidence: float
    evidence: str = Field(description="The words that named it; empty when an editor added it.")
    decided_by: str | None
    decided_at: dt.datetime | None
    shown: bool = Field(description="Whether readers see it (decided, or proposed sure enough).")


class EntityDecisionIn(Schema):
    entity: Text(120, 1) = Field(description="The entity's slug.")


class CategoryOut(Schema):
    slug: str
    name_en: str
    name_zh_hant: str
    briefs: int = Field(description="How many published briefs it tags.")


class VersionOut(Schema):
    """Another published language version of a hit's news item."""

    id: int
    language: Language
    title: str
    url: str


class HitOut(Schema):
    id: int
    language: Language
    title: str
    title_html: str = Field(description="The title with the matching words marked, as HTML.")
    highlights: list[str] = Field(description="Matching passages of the body, as HTML.")
    published_at: dt.datetime | None
    url: str
    score: float
    versions: list[VersionOut] = Field(
        description="The item's other published language versions (not only those found)."
    )


class FacetValue(Schema):
    value: str
    count: int


class FacetsOut(Schema):
    """The query's matches under the filters given, counted; most first."""

    language: list[FacetValue]
    category: list[FacetValue] = Field(description="By category slug.")
    year: list[FacetValue] = Field(description="By year of publication (board time).")


class SearchPage(Schema):
    total: int
    limit: int
    offset: int
    complete: int | None = Field(
        description="When few briefs have every word of the query, briefs with most of them "
        "follow: this is then how many have them all (0: none); null otherwise."
    )
    facets: FacetsOut | None = Field(
        None,
        description="Only when asked for with facets=true (empty lists when nothing "
        "matched); null otherwise.",
    )
    items: list[HitOut]


# -- requests ---------------------------------------------------------------------------


class Paging(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)
    page: int | None = Field(None, ge=1, le=1000, description="Instead of offset: 1, 2, ...")


class BriefFilters(Paging):
    language: Language | None = None
    category: Text(120) | None = Field(None, description="A category's slug.")
    author: Text(150) | None = Field(None, description="The author's user name.")
    date_from: dt.date | None = Field(None, description="Published on or after (board time).")
    date_to: dt.date | None = Field(None, description="Published on or before (board time).")
    status: Status | None = Field(
        None,
        description="Editors with a token: drafts or briefs in review they may see. Without "
        "it, the published briefs.",
    )
    entity: list[Text(120)] = Field(
        default_factory=list,
        description="An entity's slug (repeat it: briefs that name every one), as readers "
        "see a brief's entities.",
    )


class EntityFilters(Paging):
    kind: EntityKind | None = None
    q: Text(200) | None = Field(None, description="In a name, the acronym or an alias.")


class SearchParams(Paging):
    q: Text(1000, min_length=1) = Field(description="The query, as the search page takes it.")
    language: Language | None = None
    category: Text(120) | None = None
    author: Text(150) | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    facets: bool = Field(False, description="Count the matches by language, category and year.")


class SourceIn(Schema):
    name: Text(limits.SOURCE_NAME) = ""
    date: IsoDate | None = None


class LinkIn(Schema):
    label: Text(limits.LINK_LABEL, min_length=1)
    url: Text(limits.LINK_URL) = Field("", description="http(s); empty when unknown.")
    date: IsoDate | None = None


class BriefIn(Schema):
    language: Language
    title: Text(limits.TITLE, min_length=1)
    body: Text(limits.BODY, min_length=1) = Field(description="Markdown.")
    tags: list[Text(limits.TAG, min_length=1)] = Field(
        [], max_length=limits.MAX_TAGS, description="In order."
    )
    source: SourceIn = SourceIn()
    links: list[LinkIn] = Field([], max_length=limits.MAX_LINKS)
    version_of: BriefNumber | None = Field(
        None, description="The id of the brief this one is the other version of."
    )


class BriefEdit(BriefIn):
    """A whole brief, replacing what it was (leave out version_of to unlink a version)."""

    based_on: RevisionNumber = Field(description="The revision the edit started from.")


class BriefPatch(Schema):
    """Only the fields sent change."""

    based_on: RevisionNumber = Field(description="The revision the edit started from.")
    language: Language | None = None
    title: Text(limits.TITLE, min_length=1) | None = None
    body: Text(limits.BODY, min_length=1) | None = None
    tags: list[Text(limits.TAG, min_length=1)] | None = Field(None, max_length=limits.MAX_TAGS)
    source: SourceIn | None = None
    links: list[LinkIn] | None = Field(None, max_length=limits.MAX_LINKS)
    version_of: BriefNumber | None = None


class PublishIn(Schema):
    published_at: IsoDateTime | None = Field(
        None,
        # ``at``: the name it had before.
        validation_alias=AliasChoices("published_at", "at"),
        description="When to publish; empty: now. An earlier time dates the brief in the past "
        "(old news, 1900 at the earliest); a later time schedules it.",
    )
