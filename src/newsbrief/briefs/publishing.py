"""The one place that decides what saving a brief means.

Whatever brings a brief in (the importer, later the desk, the API and ingestion) calls
``save_brief``. In one transaction it writes the brief, its tags, sources and related links,
records a revision, links pending references in both directions, and after commit announces
the change through ``signals.brief_saved``. ``set_status`` moves a brief through review and
publication the same way.

An archive's import saves its briefs ``batch``-wise: the same ``save_brief``, many in one
transaction (a commit per brief is what limits an import), with the rows every save of the
batch looks up (boards, accounts, categories) read once and the listing counts added once;
followers hear each brief and then the whole batch (``signals.briefs_saved``).

Status is read and written under the brief's row lock only: a move checks where the brief
is on the locked row, and an edit (``status=KEEP``) keeps whatever status and publication
time the row has then, so neither can undo the other when they overlap.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import dataclasses
import enum
import functools
from collections.abc import Callable, Iterable, Iterator

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import listing
from .content import BriefContent, Citation, EditTrail, Link
from .errors import RevisionConflict, WrongState
from .models import Board, Brief, BriefTag, Category, RelatedLink, Revision, SourceLink
from .rendering import render_body
from .signals import batching, brief_saved, briefs_saved
from .text import normalize_title

DEFAULT_BOARD_NAME = "Sci-Tech Newsbrief"

#: "As the brief has it": ``save_brief(status=KEEP)`` keeps the status and publication time
#: of the brief's row as read under its lock (an edit's), ``version=KEEP`` of an edit action
#: its link to the other-language version.
KEEP = object()


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclasses.dataclass(frozen=True)
class SaveResult:
    brief: Brief
    outcome: Outcome


@dataclasses.dataclass
class _Batch:
    """What the saves of one ``batch`` share: the rows they looked up or made, the listing
    counts' changes (added at the end) and the briefs saved, announced whole after commit."""

    found: dict = dataclasses.field(default_factory=dict)
    counts: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    saved: list[Brief] = dataclasses.field(default_factory=list)
    held: dict = dataclasses.field(default_factory=dict)  # {uid: Brief or None}, read ahead


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("batch", default=None)


@contextlib.contextmanager
def batch(uids: Iterable = ()) -> Iterator[None]:
    """Run the saves within in one transaction, the way each would run alone, but with one
    commit. A failure of any undoes them all (no save has a savepoint of its own, and a lost
    race is not retried here): the caller saves them again one by one. ``uids``: the briefs
    the saves are of, locked and read at the start in a few queries instead of each in its
    save."""
    if _batch.get() is not None:
        raise RuntimeError("batches do not nest")
    state = _Batch()
    token, flag = _batch.set(state), batching.set(True)
    try:
        with transaction.atomic():
            wanted = sorted(set(uids))  # locked in one order, as two batches at once must
            state.held = dict.fromkeys(wanted)
            for start in range(0, len(wanted), 500):
                for brief in _lockable().filter(uid__in=wanted[start : start + 500]):
                    state.held[brief.uid] = brief
            yield
            listing.add(state.counts)
            if state.saved:
                saved = list(state.saved)
                transaction.on_commit(
                    lambda: briefs_saved.send(sender=Brief, briefs=saved), robust=True
                )
    finally:
        _batch.reset(token)
        batching.reset(flag)


def atomic():
    """The transaction of one save: a savepoint within a caller's transaction, except in a
    ``batch``, which is undone whole when any of its saves fails."""
    return transaction.atomic(savepoint=_batch.get() is None)


def _found(key: tuple, find: Callable):
    """``find()``, once per batch for each ``key`` (every time outside a batch)."""
    state = _batch.get()
    if state is None:
        return find()
    if key not in state.found:
        state.found[key] = find()
    return state.found[key]


def account(name: str):
    """The user called ``name``; authors known only from an archive get an account that
    cannot sign in until an admin gives it a password."""
    return _found(("account", name[:150]), lambda: _account(name))


def _account(name: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=name[:150])
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def board_named(name: str) -> Board:
    return _found(("board", name), lambda: _board_named(name))


def _board_named(name: str) -> Board:
    if name:
        return Board.objects.get_or_create(name=name)[0]
    return Board.current() or Board.objects.create(name=DEFAULT_BOARD_NAME)


def source_line(brief_or_content) -> str:
    """``CENS.com (2012/03/19)``: how a body names its source."""
    name, date = brief_or_content.source_name, brief_or_content.source_date
    if date:
        return f"{name} ({date:%Y/%m/%d})".strip()
    return name


def content_of(brief: Brief, rows: tuple | None = None) -> BriefContent:
    """The brief as ``BriefContent``: what a revision stores and what the formats export.
    Related entries are given as cited, with the uid of the brief they resolved to. ``rows``:
    its tag names, source links and related links, when the caller has just written them."""
    tags, links, related = rows or (
        brief.tag_names(),
        brief.source_links.all(),
        brief.related_links.all(),
    )
    return BriefContent(
        uid=brief.uid,
        translation_key=brief.translation_key,
        board=brief.board.name,
        language=brief.language,
        author=brief.author.get_username(),
        published_at=brief.published_at,
        title=brief.title,
        tags=tuple(tags),
        source_name=brief.source_name,
        source_date=brief.source_date,
        body=brief.body,
        links=tuple(Link(x.label, x.url, x.date) for x in links),
        related=tuple(
            Citation(r.cited_title, tuple(r.cited_tags), r.cited_date, r.target_uid)
            for r in related
        ),
    )


def _find_cited(citation: Citation, citing: BriefContent) -> Brief | None:
    """The archived brief a citation names: by uid when the page gave one, otherwise by
    title and (when given) publication date; never the citing brief itself."""
    candidates = Brief.objects.all()
    if citing.uid:
        candidates = candidates.exclude(uid=citing.uid)
    if citation.uid:
        return candidates.filter(uid=citation.uid).first()
    for brief in candidates.filter(title_key=normalize_title(citation.title)).order_by("pk"):
        if citation.date is None or brief.local_published_date == citation.date:
            return brief
    return None


def _resolve(content: BriefContent) -> tuple[BriefContent, list[Brief | None]]:
    targets = [_find_cited(c, content) for c in content.related]
    related = tuple(
        dataclasses.replace(c, uid=t.uid) if t else c
        for c, t in zip(content.related, targets, strict=True)
    )
    return dataclasses.replace(content, related=related), targets


def _comparable(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in {"uid", "translation_key"}}


@dataclasses.dataclass(frozen=True)
class Prepared:
    """Content checked and its body rendered: the part of a save that needs no database and
    takes time in proportion to the body, done before any transaction begins (on SQLite a
    transaction holds the write lock from its first statement, and every other save waits)."""

    content: BriefContent
    body_html: str


def prepare(content: BriefContent, *, typed: bool = False) -> Prepared:
    """``InvalidContent`` if storage cannot hold the content (``typed``: or if a person typed
    what the desk could not show them again, see ``BriefContent.validate``) or its body
    cannot be rendered; else the content ready for ``save_brief``. An action that saves
    inside a transaction of its own prepares first."""
    content.validate(typed=typed)
    return Prepared(content, render_body(content.body, source_line(content)))


#: How often a save runs before a clash of unique keys is taken for a real fault.
SAVE_ATTEMPTS = 3


def _again_if_raced(save):
    """Run ``save`` in a transaction (a savepoint within one), again from the start when it
    loses a race to insert a row another writer inserted first: the brief itself, a category
    or an account its page names (two imports of one archive at once). PostgreSQL lets both
    look, finds nothing, and refuses the second insert once the first commits; run again,
    the save sees the other's rows and updates them, or finds them unchanged. (SQLite runs
    one writer at a time, so there it never loses.)"""

    @functools.wraps(save)
    def run(*args, **kwargs):
        attempts = SAVE_ATTEMPTS if _batch.get() is None else 1
        for attempt in range(1, attempts + 1):
            try:
                with atomic():
                    return save(*args, **kwargs)
            except IntegrityError:
                if attempt == attempts:
                    raise

    return run


def save_brief(
    content: BriefContent | Prepared,
    *,
    editor: str | None = None,
    origin: str = Revision.Origin.EDITOR,
    status=Brief.Status.PUBLISHED,
    based_on: int | None = None,
    typed: bool = False,
) -> SaveResult:
    """Create or update the brief ``content`` describes (matched by ``content.uid``), in
    ``status``; ``KEEP``: in the status and at the publication time its row has (the
    content's ``published_at`` is not used), ``WrongState`` if there is no row any more.
    Content not yet ``prepare``d is prepared first (with ``typed``), so it is refused before
    anything is written.

    ``based_on`` is the revision number an editor started from: if the brief has moved on
    since, ``RevisionConflict`` is raised instead of overwriting the newer text (the brief's
    row is locked, so two saves of the same revision cannot both pass)."""
    prepared = content if isinstance(content, Prepared) else prepare(content, typed=typed)
    return _store(prepared, editor, origin, status, based_on)


@_again_if_raced
def _store(
    prepared: Prepared, editor: str | None, origin: str, status: str, based_on: int | None
) -> SaveResult:
    content = prepared.content
    board = board_named(content.board)
    content, targets = _resolve(dataclasses.replace(content, board=board.name))
    brief = _locked(content.uid) if content.uid else None
    if status is KEEP:
        if brief is None:
            _deleted()
        status = brief.status
        content = dataclasses.replace(content, published_at=brief.published_at)
    latest = brief.latest_revision() if brief else None
    trail: EditTrail | None = content.trail
    if brief is not None:
        same = (
            brief.status == status
            and content.translation_key in (None, brief.translation_key)
            and _comparable(content_of(brief).to_json()) == _comparable(content.to_json())
        )
        if same and (trail is None or (latest and latest.number >= trail.count)):
            return SaveResult(brief, Outcome.UNCHANGED)
        if based_on is not None and latest is not None and latest.number != based_on:
            raise RevisionConflict(brief, latest)

    before = listing.footprint(brief)
    created = brief is None
    if not created:
        brief._prefetched_objects_cache = {}  # its parts as read: about to be written anew
    now = timezone.now()
    if created:
        brief = Brief(uid=content.uid) if content.uid else Brief()
        brief.created_at = now
    if content.translation_key:
        brief.translation_key = content.translation_key
    brief.board = board
    brief.language = content.language
    brief.title = content.title
    brief.body = content.body
    brief.source_name = content.source_name
    brief.source_date = content.source_date
    brief.body_html = prepared.body_html
    brief.author = account(content.author)
    brief.published_at = content.published_at
    brief.status = status
    brief.updated_at = now
    brief.save()

    if not created:
        brief.brief_tags.all().delete()
    categories = dict.fromkeys(_category(name, content.language) for name in content.tags)
    BriefTag.objects.bulk_create(
        BriefTag(brief=brief, category=category, position=i, **listing.copied(brief))
        for i, category in enumerate(categories)
    )
    state = _batch.get()
    listing.follow(
        brief,
        before,
        tags_copied=True,
        categories=[c.pk for c in categories],
        into=state.counts if state else None,
    )
    if not created:
        brief.source_links.all().delete()
    links = SourceLink.objects.bulk_create(
        SourceLink(brief=brief, position=i, label=x.label, url=x.url, date=x.date)
        for i, x in enumerate(content.links)
    )
    if not created:
        brief.related_links.all().delete()
    related = [
        RelatedLink(
            brief=brief,
            rank=rank,
            target=target,
            target_uid=citation.uid,
            cited_title=citation.title,
            cited_tags=list(citation.tags),
            cited_date=citation.date,
        )
        for rank, (citation, target) in enumerate(zip(content.related, targets, strict=True))
    ]
    for link in related:
        link.save()
    _link_pending_references(brief)
    rows = ([c.name_for(brief.language) for c in categories], links, related)

    if trail is not None:
        number = max(trail.count, latest.number + 1 if latest else 0)
        at, by = trail.at, trail.by
    else:
        number = latest.number + 1 if latest else 0
        at, by = (now if latest else (content.published_at or now)), editor or content.author
    _write_revision(brief, number, at, by, origin, rows)
    _announce(brief, created, origin)
    return SaveResult(brief, Outcome.CREATED if created else Outcome.UPDATED)


def _lockable():
    """Briefs to be read under their row locks (their own rows only), with what
    ``content_of`` reads, for a save to compare with."""
    return (
        Brief.objects.select_for_update(of=("self",))
        .select_related("board", "author")
        .prefetch_related(
            Prefetch("brief_tags", BriefTag.objects.select_related("category")),
            "source_links",
            "related_links",
        )
        .order_by("uid")
    )


def _locked(uid) -> Brief | None:
    """The brief ``uid``, locked: as its batch read it ahead (once: a second save of it in the
    batch reads what the first wrote), else read now."""
    state = _batch.get()
    if state is not None and uid in state.held:
        return state.held.pop(uid)
    return _lockable().filter(uid=uid).first()


def _category(name: str, language: str) -> Category:
    return _found(("category", name, language), lambda: Category.for_name(name, language))


def _write_revision(
    brief: Brief, number: int, at, by: str, origin: str, rows: tuple | None = None
) -> Revision:
    """Revision ``number``: the brief's content as its rows now stand (``rows``: as just
    written, see ``content_of``)."""
    return Revision.objects.create(
        brief=brief,
        number=number,
        created_at=at,
        editor=account(by),
        origin=origin,
        content=content_of(brief, rows).to_json(),
    )


@transaction.atomic
def record_revision(brief: Brief, editor: str | None) -> Revision:
    """A revision of the brief as its rows now stand, for a change written to the rows
    directly (curating related messages keeps who chose each link, which content does not
    carry); announced after commit like any save."""
    latest = brief.latest_revision()
    revision = _write_revision(
        brief,
        latest.number + 1 if latest else 0,
        timezone.now(),
        editor or brief.author.get_username(),
        Revision.Origin.EDITOR,
    )
    Brief.objects.filter(pk=brief.pk).update(updated_at=revision.created_at)
    _announce(brief, created=False, origin=Revision.Origin.EDITOR)
    return revision


@transaction.atomic
def set_status(
    brief: Brief,
    status: str,
    published_at=None,
    *,
    check: Callable[[Brief], object] = lambda brief: None,
) -> Brief:
    """Move a brief through the workflow (draft, in review, published) without touching its
    content, so no revision is recorded. Publishing with a future ``published_at`` schedules
    the brief: ``Brief.objects.published()`` shows it from then on. Leaving "published"
    clears the time, so publishing again stamps a new one.

    ``check`` is given the brief as its locked row has it, not as ``brief`` was read, and
    refuses a move that no longer applies by raising (an unpublish that came first)."""
    brief = Brief.objects.select_for_update().filter(pk=brief.pk).first() or _deleted()
    check(brief)
    before = listing.footprint(brief)
    brief.status = status
    if status == Brief.Status.PUBLISHED:
        brief.published_at = published_at or timezone.now()
    else:
        brief.published_at = None
    brief.updated_at = timezone.now()
    brief.save(update_fields=["status", "published_at", "updated_at"])
    listing.follow(brief, before)
    _announce(brief, created=False)
    return brief


def _deleted():
    """A change of a brief someone deleted since it was read (a race the delete won)."""
    raise WrongState(_("The brief was deleted meanwhile."))


def _announce(brief: Brief, created: bool, origin: str | None = None) -> None:
    """Every change to the archive ends here: followers hear of it once it is committed
    (in a batch, ``batched``: the whole batch is announced next)."""
    state = _batch.get()
    if state is not None:
        state.saved.append(brief)
    transaction.on_commit(
        lambda: brief_saved.send(
            sender=Brief, brief=brief, created=created, origin=origin, batched=state is not None
        ),
        robust=True,
    )


def _link_pending_references(brief: Brief) -> None:
    """Link references, on pages imported earlier, that name this brief."""
    named = Q(target_uid=brief.uid) | Q(target_uid=None, cited_title_key=brief.title_key) & (
        Q(cited_date=None) | Q(cited_date=brief.local_published_date)
    )
    RelatedLink.objects.filter(target=None).filter(named).exclude(brief=brief).update(
        target=brief, target_uid=brief.uid
    )
