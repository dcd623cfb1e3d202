"""The JSON API at ``/api/``: briefs, categories, search and related messages for everyone;
writing for editors with a token.

Reading shows what the board shows: published briefs whose time has come, of the board this
site serves. With a token, editors also see what the desk shows them (their drafts, briefs in
review, scheduled ones; chief editors everything). Writing is the desk's actions
(``briefs.actions``), called as the desk calls them: their refusals become 403, 409 and 422
in the API's error body (``errors.refusal``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, UploadedFile
from ninja.responses import Status

from newsbrief.briefs import actions, roles
from newsbrief.briefs.content import BriefContent, Link
from newsbrief.briefs.models import Board, Brief, Category, RelatedLink
from newsbrief.briefs.publishing import content_of
from newsbrief.entities import actions as entity_actions
from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity
from newsbrief.pictures import actions as picture_actions
from newsbrief.pictures.models import Picture, url_of
from newsbrief.pictures.processing import MEDIA_TYPES
from newsbrief.related import proposals
from newsbrief.search.backends import get_backend

from . import auth
from .errors import ApiError, responses
from .schemas import (
    BriefDetail,
    BriefEdit,
    BriefEntityOut,
    BriefFilters,
    BriefIn,
    BriefPage,
    BriefPatch,
    CategoryOut,
    EntityDecisionIn,
    EntityDetail,
    EntityFilters,
    EntityPage,
    Paging,
    PictureEdit,
    PictureOut,
    ProposalsOut,
    PublishIn,
    RelatedOut,
    SearchPage,
    SearchParams,
)

router = Router()
BriefId = Annotated[int, Path(ge=1, le=2**63 - 1)]
READ = {"auth": auth.public, "openapi_extra": auth.OPTIONAL_TOKEN}
# Dates a filter may name are kept where every clock and database can count them.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9000, 1, 1)


# -- what a user may see -------------------------------------------------------------------


def visible(user):
    """The briefs ``user`` may read now."""
    return roles.visible_briefs(user, timezone.now())


def _visible_brief(request, pk: int) -> Brief:
    brief = (
        visible(request.auth)
        .select_related("author", "board")
        .prefetch_related(
            "brief_tags__category",
            "source_links",
            "pictures",
            Prefetch("related_links", RelatedLink.objects.select_related("target")),
        )
        .filter(pk=pk)
        .first()
    )
    if brief is None:
        raise ApiError(404, _("There is no brief with that id."))
    return brief


def _window(paging: Paging) -> tuple[int, int]:
    """``(limit, offset)``: ``page`` or ``offset``, not both."""
    fields = paging.model_fields_set
    if "page" in fields and "offset" in fields and paging.page is not None:
        message = _("Give page or offset, not both.")
        raise ApiError(422, message, fields={"page": [message]})
    if paging.page is not None:
        return paging.limit, (paging.page - 1) * paging.limit
    return paging.limit, paging.offset


def _day_start(day: dt.date) -> dt.datetime:
    day = min(max(day, EARLIEST), LATEST)
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


# -- how a brief reads -----------------------------------------------------------------------


def _url(request: HttpRequest, brief: Brief) -> str:
    return _page(request, brief.pk, brief.language)


def _page(request: HttpRequest, pk: int, language: str) -> str:
    """The brief's page, in its own language's part of the site."""
    with translation.override(language):
        return request.build_absolute_uri(reverse("briefs:detail", args=[pk]))


def _ref(request, brief: Brief) -> dict:
    return {
        "id": brief.pk,
        "language": brief.language,
        "title": brief.title,
        "url": _url(request, brief),
        "published_at": brief.published_at,
    }


def _summary(request, brief: Brief) -> dict:
    return {
        **_ref(request, brief),
        "uid": str(brief.uid),
        "tags": [{"slug": c.slug, "name": c.name_for(brief.language)} for c in brief.tags],
        "author": brief.author.get_username(),
        "status": brief.status,
        "source": {"name": brief.source_name, "date": brief.source_date},
    }


def _related(request, brief: Brief) -> list[dict]:
    links = list(brief.related_links.all())
    targets = {r.target_id for r in links if r.target_id}
    shown = set(visible(request.auth).filter(pk__in=targets).values_list("pk", flat=True))
    return [
        {
            "title": r.cited_title,
            "tags": list(r.cited_tags),
            "date": r.cited_date,
            "brief": _ref(request, r.target) if r.target_id in shown else None,
        }
        for r in links
    ]


def _picture(request, picture: Picture) -> dict:
    return {
        "id": picture.pk,
        "position": picture.position,
        "alt": picture.alt,
        "caption": picture.caption,
        "width": picture.width,
        "height": picture.height,
        "sizes": [
            {
                "url": request.build_absolute_uri(url_of(v["name"])),
                "type": MEDIA_TYPES[v["kind"]],
                "width": v["width"],
                "height": v["height"],
                "bytes": v["bytes"],
            }
            for v in sorted(picture.variants, key=lambda v: (v["width"], v["kind"]))
        ],
    }


def _detail(request, brief: Brief) -> dict:
    latest = brief.latest_revision()
    trail = None
    if latest is not None and latest.number:
        trail = {
            "count": latest.number,
            "last_edit_at": latest.created_at,
            "by": latest.editor.get_username(),
        }
    versions = (
        visible(request.auth)
        .filter(translation_key=brief.translation_key)
        .exclude(pk=brief.pk)
        .order_by("language")
    )
    return {
        **_summary(request, brief),
        "body": brief.body,
        "body_html": brief.body_html,
        "links": [
            {"label": x.label, "url": x.url, "date": x.date} for x in brief.source_links.all()
        ],
        "versions": [_ref(request, v) for v in versions],
        "related": _related(request, brief),
        "pictures": [_picture(request, p) for p in brief.pictures.all()],
        "trail": trail,
        "revision": latest.number if latest else None,
        "updated_at": brief.updated_at,
    }


# -- reading -------------------------------------------------------------------------------


@router.get("/briefs", response={200: BriefPage, **responses(401, 422)}, tags=["briefs"], **READ)
def list_briefs(request, filters: Query[BriefFilters]):
    """Briefs, newest first, a page at a time."""
    limit, offset = _window(filters)
    briefs = visible(request.auth)
    if filters.status is None:
        briefs = briefs.filter(status=Brief.Status.PUBLISHED, published_at__lte=timezone.now())
    else:
        briefs = briefs.filter(status=filters.status)
    if filters.language:
        briefs = briefs.filter(language=filters.language)
    if filters.category:
        briefs = briefs.filter(brief_tags__category__slug=filters.category)
    if filters.author:
        briefs = briefs.filter(author__username=filters.author)
    for slug in filters.entity:
        briefs = briefs.filter(pk__in=_naming(slug))
    if filters.date_from:
        briefs = briefs.filter(published_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        next_day = min(filters.date_to, LATEST) + dt.timedelta(days=1)
        briefs = briefs.filter(published_at__lt=_day_start(next_day))
    total = briefs.count()
    page = (
        briefs.for_listing()
        .order_by(F("published_at").desc(nulls_last=True), "-updated_at", "-pk")
        [offset : offset + limit]
    )  # fmt: skip
    items = [_summary(request, b) for b in page]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get(
    "/briefs/{brief_id}",
    response={200: BriefDetail, **responses(401, 404, 422)},
    tags=["briefs"],
    **READ,
)
def get_brief(request, brief_id: BriefId):
    """One brief, whole: tags in order, body, sources, versions, related messages, trail."""
    return _detail(request, _visible_brief(request, brief_id))


@router.get(
    "/briefs/{brief_id}/related",
    response={200: list[RelatedOut], **responses(401, 404, 422)},
    tags=["briefs"],
    **READ,
)
def related_messages(request, brief_id: BriefId):
    """The brief's "Related Historical Messages", in the order the brief gives them."""
    return _related(request, _visible_brief(request, brief_id))


@router.get(
    "/briefs/{brief_id}/proposals",
    response={200: ProposalsOut, **responses(401, 403, 404, 422)},
    tags=["editing"],
    auth=auth.editor,
)
def proposals_for(request, brief_id: BriefId, limit: int = Query(10, ge=1, le=50)):
    """What newsbrief proposes for a brief, as the desk shows it: related earlier briefs,
    category tags and, for a brief without one, its likely other-language version. For
    those who may edit the brief."""
    brief = _editable(request, brief_id)

    def proposal(p):
        return {"brief": _ref(request, p.brief), "score": p.score, "reasons": list(p.reasons)}

    tags = proposals.suggest_tags_for(brief)
    return {
        "related": [proposal(p) for p in proposals.propose_related(brief, limit)],
        "tags": [
            {"slug": c.slug, "name": c.name_for(brief.language), "confidence": min(1.0, x)}
            for c, x in tags
        ],
        "counterparts": [proposal(p) for p in proposals.propose_counterparts(brief)],
    }


@router.get(
    "/categories", response={200: list[CategoryOut], **responses(401)}, tags=["categories"], **READ
)
def list_categories(request):
    """Every category, with its names in both languages."""
    public = Brief.objects.published().filter(board=Board.current())
    categories = Category.objects.annotate(
        published=Count("briefs", filter=Q(briefs__in=public))
    ).order_by("slug")
    return [
        {
            "slug": c.slug,
            "name_en": c.name_en,
            "name_zh_hant": c.name_zh_hant,
            "briefs": c.published,
        }
        for c in categories
    ]


@router.get("/search", response={200: SearchPage, **responses(401, 422)}, tags=["search"], **READ)
def search(request, params: Query[SearchParams]):
    """Ranked published briefs, as the search page finds them (same syntax)."""
    limit, offset = _window(params)
    results = get_backend().search(
        params.q,
        language=params.language,
        categories=[params.category] if params.category else [],
        author=params.author,
        date_from=params.date_from,
        date_to=params.date_to,
        limit=limit,
        offset=offset,
        facets=params.facets,
    )
    items = [
        {
            "id": hit.brief_id,
            "language": hit.language,
            "title": hit.title,
            "title_html": str(hit.title_html or hit.title),
            "highlights": [str(h) for h in hit.highlights],
            "published_at": hit.date,
            "url": _page(request, hit.brief_id, hit.language),
            "score": hit.score,
            "versions": [
                {
                    "id": v.pk,
                    "language": v.language,
                    "title": v.title,
                    "url": _url(request, v),
                }
                for v in hit.versions
            ],
        }
        for hit in results.hits
    ]
    page = {
        "total": results.total,
        "limit": limit,
        "offset": offset,
        "complete": results.complete,
        "items": items,
    }
    if params.facets:
        page["facets"] = {
            name: [
                {"value": value, "count": count} for value, count in results.facets.get(name, [])
            ]
            for name in ("language", "category", "year")
        }
    return page


# -- writing -------------------------------------------------------------------------------

WRITE_ERRORS = responses(400, 401, 403, 404, 409, 413, 422)


@router.post(
    "/briefs",
    response={201: BriefDetail, **responses(400, 401, 403, 413, 422)},
    tags=["editing"],
    auth=auth.editor,
)
def create_brief(request, payload: BriefIn):
    """A new draft, written by the token's user."""
    brief = _save(request, None, payload.dict(), set(BriefIn.model_fields))
    return Status(201, _detail(request, brief))


@router.put(
    "/briefs/{brief_id}", response={200: BriefDetail, **WRITE_ERRORS}, tags=["editing"],
    auth=auth.editor,
)  # fmt: skip
def replace_brief(request, brief_id: BriefId, payload: BriefEdit):
    """Replace the brief's content; refused with 409 if it has moved on from ``based_on``."""
    brief = _visible_brief(request, brief_id)
    return _detail(request, _save(request, brief, payload.dict(), set(BriefEdit.model_fields)))


@router.patch(
    "/briefs/{brief_id}", response={200: BriefDetail, **WRITE_ERRORS}, tags=["editing"],
    auth=auth.editor,
)  # fmt: skip
def update_brief(request, brief_id: BriefId, payload: BriefPatch):
    """Change the fields sent; refused with 409 if the brief has moved on from ``based_on``."""
    brief = _visible_brief(request, brief_id)
    sent = payload.model_fields_set
    return _detail(request, _save(request, brief, payload.dict(), sent))


@router.post(
    "/briefs/{brief_id}/submit", response={200: BriefDetail, **WRITE_ERRORS},
    tags=["editing"], auth=auth.editor,
)  # fmt: skip
def submit_brief(request, brief_id: BriefId):
    """Put a draft in the chief editors' review queue."""
    actions.submit_for_review(request.auth, _visible_brief(request, brief_id))
    return _detail(request, _visible_brief(request, brief_id))


@router.post(
    "/briefs/{brief_id}/publish", response={200: BriefDetail, **WRITE_ERRORS},
    tags=["editing"], auth=auth.editor,
)  # fmt: skip
def publish_brief(request, brief_id: BriefId, payload: PublishIn | None = None):
    """Publish now, or at ``published_at``: a later time schedules the brief, an earlier one
    dates it in the past (old news). Chief editors."""
    brief = _visible_brief(request, brief_id)
    actions.publish(request.auth, brief, payload.published_at if payload else None)
    return _detail(request, _visible_brief(request, brief_id))


@router.post(
    "/briefs/{brief_id}/unpublish", response={200: BriefDetail, **WRITE_ERRORS},
    tags=["editing"], auth=auth.editor,
)  # fmt: skip
def unpublish_brief(request, brief_id: BriefId):
    """Make a published brief a draft again. Chief editors."""
    actions.unpublish(request.auth, _visible_brief(request, brief_id))
    return _detail(request, _visible_brief(request, brief_id))


@router.post(
    "/briefs/{brief_id}/revisions/{number}/restore", response={200: BriefDetail, **WRITE_ERRORS},
    tags=["editing"], auth=auth.editor,
)  # fmt: skip
def restore_revision(request, brief_id: BriefId, number: Annotated[int, Path(ge=0, le=2**31)]):
    """Bring back revision ``number``'s text as a new revision. Chief editors."""
    brief = _visible_brief(request, brief_id)
    revision = brief.revisions.filter(number=number).first()
    if revision is None:
        raise ApiError(404, _("The brief has no revision with that number."))
    actions.restore_revision(request.auth, brief, revision)
    return _detail(request, _visible_brief(request, brief_id))


# -- pictures ------------------------------------------------------------------------------


@router.get(
    "/briefs/{brief_id}/pictures",
    response={200: list[PictureOut], **responses(401, 404, 422)},
    tags=["pictures"],
    **READ,
)
def list_pictures(request, brief_id: BriefId):
    """The brief's pictures, in the order the page shows them."""
    return [_picture(request, p) for p in _visible_brief(request, brief_id).pictures.all()]


@router.post(
    "/briefs/{brief_id}/pictures",
    response={201: PictureOut, **WRITE_ERRORS},
    tags=["pictures"],
    auth=auth.editor,
)
def upload_picture(
    request,
    brief_id: BriefId,
    image: File[UploadedFile],
    alt: Form[str],
    caption: Form[str] = "",
):
    """Attach a picture (multipart/form-data: ``image``, a JPEG, PNG, WebP or GIF; ``alt``,
    what it shows; ``caption``), after the brief's others. It is checked,
    stripped of its metadata and written in every size; a file that is not an accepted
    picture, too large or a decompression bomb is refused (422) and nothing is stored."""
    brief = _editable(request, brief_id)
    picture = picture_actions.add_picture(request.auth, brief, image.read(), alt, caption)
    return Status(201, _picture(request, picture))


def _picture_of(request, brief_id: int, picture_id: int) -> Picture:
    brief = _editable(request, brief_id)
    picture = brief.pictures.filter(pk=picture_id).first()
    if picture is None:
        raise ApiError(404, _("The brief has no picture with that id."))
    return picture


@router.patch(
    "/briefs/{brief_id}/pictures/{picture_id}",
    response={200: PictureOut, **WRITE_ERRORS},
    tags=["pictures"],
    auth=auth.editor,
)
def update_picture(request, brief_id: BriefId, picture_id: BriefId, payload: PictureEdit):
    """Change the picture's alt text and caption."""
    picture = _picture_of(request, brief_id, picture_id)
    picture_actions.update_picture(request.auth, picture, payload.alt, payload.caption)
    return _picture(request, picture)


@router.delete(
    "/briefs/{brief_id}/pictures/{picture_id}",
    response={204: None, **WRITE_ERRORS},
    tags=["pictures"],
    auth=auth.editor,
)
def delete_picture(request, brief_id: BriefId, picture_id: BriefId):
    """Take the picture off the brief (its files go once no brief shows them)."""
    picture_actions.remove_picture(request.auth, _picture_of(request, brief_id, picture_id))
    return Status(204, None)


def _editable(request, pk: int) -> Brief:
    brief = _visible_brief(request, pk)
    if not roles.can_edit(request.auth, brief):
        raise ApiError(403, _("You may not edit this brief."))
    return brief


def _save(request, brief: Brief | None, data: dict, sent: set[str]) -> Brief:
    """The request's fields over the brief's content, saved by the create or edit action;
    a field a patch does not send keeps what the brief has."""
    before = content_of(brief) if brief else None

    def given(name):
        return name in sent and data.get(name) is not None

    def kept(name, default):
        return getattr(before, name) if before else default

    source = data["source"] if given("source") else None
    links = data["links"] if given("links") else None
    content = BriefContent(
        language=data["language"] if given("language") else brief.language,
        title=data["title"] if given("title") else brief.title,
        body=data["body"] if given("body") else brief.body,
        author=request.auth.get_username(),
        published_at=None,
        tags=tuple(dict.fromkeys(" ".join(n.split()) for n in data["tags"]))
        if given("tags")
        else kept("tags", ()),
        source_name=source["name"] if source else kept("source_name", ""),
        source_date=source["date"] if source else kept("source_date", None),
        links=tuple(Link(" ".join(x["label"].split()), x["url"], x["date"]) for x in links)
        if links is not None
        else kept("links", ()),
        related=kept("related", ()),
    )
    version = actions.KEEP
    if "version_of" in sent:
        version = None
        if data.get("version_of") is not None:
            version = visible(request.auth).filter(pk=data["version_of"]).first()
            if version is None:
                message = _("There is no other brief with that number.")
                raise ApiError(422, message, fields={"version_of": [message]})
    if brief is None:
        result = actions.create_brief(request.auth, content, version=version)
    else:
        result = actions.edit_brief(
            request.auth, brief, content, based_on=data["based_on"], version=version
        )
    return _visible_brief(request, result.brief.pk)


# -- entities ------------------------------------------------------------------------------


def _naming(slug: str):
    """The briefs that show the entity ``slug`` names (a merged slug: the one it went into)."""
    entity = Entity.objects.filter(slug=slug).first()
    if entity is None:
        return BriefEntity.objects.none().values("brief_id")
    entity = entity_actions.live(entity)
    return BriefEntity.objects.filter(counting.shown_filter(), entity=entity).values("brief_id")


def _entity_ref(entity: Entity) -> dict:
    return {
        "slug": entity.slug,
        "kind": entity.kind,
        "name_en": entity.name_en,
        "name_zh_hant": entity.name_zh_hant,
        "acronym": entity.acronym,
    }


def _entity(entity: Entity) -> dict:
    return {
        **_entity_ref(entity),
        "code": entity.code,
        "parent": entity.parent.slug if entity.parent else None,
    }


@router.get(
    "/entities", response={200: EntityPage, **responses(401, 422)}, tags=["entities"], **READ
)
def list_entities(request, filters: Query[EntityFilters]):
    """The registry's entities (none merged away), by kind and English name."""
    limit, offset = _window(filters)
    entities = entity_actions.search(filters.q or "", filters.kind or "")
    total = entities.count()
    page = entities.select_related("parent").order_by("kind", "name_en", "pk")
    items = [_entity(e) for e in page[offset : offset + limit]]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get(
    "/entities/{slug}",
    response={200: EntityDetail, **responses(401, 404, 422)},
    tags=["entities"],
    **READ,
)
def get_entity(request, slug: Annotated[str, Path(max_length=120)]):
    """One entity: its names, aliases and how many published briefs name it."""
    entity = Entity.objects.select_related("parent", "merged_into").filter(slug=slug).first()
    if entity is None:
        raise ApiError(404, _("There is no entity with that slug."))
    board, now = Board.current(), timezone.now()
    briefs = {}
    for language in ("en", "zh-hant"):
        found = counting.counts(board, [language], now, scopes=[""], entity=entity)
        briefs[language] = found.get(("", entity.pk), 0)
    return {
        **_entity(entity),
        "merged_into": entity.merged_into.slug if entity.merged_into else None,
        "aliases": list(entity.aliases.values("text", "language", "kind")),
        "briefs": briefs,
    }


def _brief_entities(request, brief: Brief) -> list[dict]:
    """The brief's entities: all of them, decisions included, for those who may edit it;
    what readers see for everyone else."""
    rows = BriefEntity.objects.filter(brief=brief).select_related("entity", "decided_by")
    shown = set(rows.filter(counting.shown_filter()).values_list("pk", flat=True))
    if not roles.can_edit(request.auth, brief):
        rows = rows.filter(pk__in=shown)
    return [
        {
            "entity": _entity_ref(r.entity),
            "decision": r.decision,
            "confidence": r.confidence,
            "evidence": r.evidence,
            "decided_by": r.decided_by.get_username() if r.decided_by else None,
            "decided_at": r.decided_at,
            "shown": r.pk in shown,
        }
        for r in rows.order_by("entity__kind", "-confidence", "entity__name_en")
    ]


@router.get(
    "/briefs/{brief_id}/entities",
    response={200: list[BriefEntityOut], **responses(401, 404, 422)},
    tags=["entities"],
    **READ,
)
def brief_entities(request, brief_id: BriefId):
    """The countries, organizations and fields the brief names. Editors who may edit it
    also see proposals readers do not, and what editors removed."""
    return _brief_entities(request, _visible_brief(request, brief_id))


def _entity_named(slug: str, field: str = "entity") -> Entity:
    entity = Entity.objects.filter(slug=slug).first()
    if entity is None:
        message = _("There is no entity with that slug.")
        raise ApiError(422, message, fields={field: [message]})
    return entity


@router.post(
    "/briefs/{brief_id}/entities",
    response={200: list[BriefEntityOut], **WRITE_ERRORS},
    tags=["entities"],
    auth=auth.editor,
)
def add_brief_entity(request, brief_id: BriefId, payload: EntityDecisionIn):
    """The brief names the entity: a proposal is confirmed, anything else added (every
    language version of the brief with it)."""
    brief = _editable(request, brief_id)
    entity_actions.add_entity(request.auth, brief, _entity_named(payload.entity))
    return _brief_entities(request, brief)


@router.delete(
    "/briefs/{brief_id}/entities/{slug}",
    response={200: list[BriefEntityOut], **WRITE_ERRORS},
    tags=["entities"],
    auth=auth.editor,
)
def remove_brief_entity(request, brief_id: BriefId, slug: Annotated[str, Path(max_length=120)]):
    """The brief does not name the entity: removed from every version, and no proposal
    shows it again."""
    brief = _editable(request, brief_id)
    entity = Entity.objects.filter(slug=slug).first()
    if entity is None:
        raise ApiError(404, _("There is no entity with that slug."))
    entity_actions.remove_entity(request.auth, brief, entity)
    return _brief_entities(request, brief)


# Last, so that it only takes what nothing above did.
@router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, auth=None
)
def unknown(request, rest: str):
    """Anything else under /api/ is a 404 in the API's error body, not the board's page."""
    raise ApiError(404, _("There is nothing at this address."))
