"""Import pages and archives into the board, and export them back.

Each page (a seed-format file, or one JSON Lines record) is read whole before anything is
written. Records are saved ``BATCH`` at a time, in one transaction (``publishing.batch``): a
commit per brief would cost more than the saving. A batch that fails is saved again record by
record, each in its own transaction, so a bad page writes nothing and the others go on
(whatever went wrong with it: each failure is reported as ``FILE:LINE: why``). Control
characters that no feed could carry are taken out of a page's text, with a note saying so.
Saving goes through ``briefs.publishing.save_brief``, which finds a page imported before by
its identity and leaves it alone when nothing changed: importing twice is harmless, and an
interrupted import (whose batches committed whole or not at all) is resumed by running it
again.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from tqdm import tqdm

from newsbrief.briefs.content import BriefContent, EditTrail, InvalidContent
from newsbrief.briefs.legacy import InvalidAddress, canonical_address
from newsbrief.briefs.models import Board, Brief, Category, LegacyAddress, RelatedLink, Revision
from newsbrief.briefs.publishing import (
    Outcome,
    account,
    atomic,
    batch,
    board_named,
    content_of,
    prepare,
    save_brief,
)
from newsbrief.pictures import archive as pictures

from . import entity_records, jsonl, seed
from .errors import FormatError

log = logging.getLogger(__name__)

MAX_PAGE_BYTES = 2 * 1024 * 1024
PAGE_SUFFIXES = {".txt", ".md"}
ARCHIVE_SUFFIXES = {".jsonl", ".ndjson"}
#: Archives at least this large get a progress bar of their own.
ARCHIVE_BAR_BYTES = 1024 * 1024
#: Records saved in one transaction (a brief takes a few milliseconds; its commit as long).
BATCH = 250
#: The units saved in batches: the briefs (and the errors read among them, reported in their
#: place). The few records around them (a board, its categories and accounts, which a batch
#: would keep as first read, and pictures, whose files no rollback takes back) are saved alone.
BATCHED = (BriefContent, jsonl.BriefRecord, FormatError)


@dataclasses.dataclass
class Failure:
    """A place in a file and what went wrong there (or, as a note, what was changed)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclasses.dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[Failure] = dataclasses.field(default_factory=list)
    notes: list[Failure] = dataclasses.field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        return (
            f"imported {self.imported} ({self.created} new, {self.updated} updated), "
            f"unchanged {self.unchanged}, failed {len(self.failures)}"
        )


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """The importable files under ``paths`` (directories are walked, in name order)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES | ARCHIVE_SUFFIXES
                and not p.name.startswith(".") and p.name.lower() != "readme.md"
            )  # fmt: skip
        else:
            found.append(path)
    return found


def decode(data: bytes) -> str:
    """UTF-8 text; ``FormatError`` naming the line of the first invalid byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", line) from None


def read_units(
    path: Path, at=None
) -> Iterator[tuple[int, BriefContent | jsonl.Record | FormatError]]:
    """``(line, unit)`` for each page or record of a file; a unit that cannot be read is a
    FormatError. ``at(offset)`` hears how far into an archive the reading is."""
    try:
        size = path.stat().st_size
        is_archive = path.suffix.lower() in ARCHIVE_SUFFIXES
        if size > MAX_PAGE_BYTES and not is_archive:
            raise FormatError(f"the page is {size} bytes, over the {MAX_PAGE_BYTES} limit")
        if not is_archive:
            yield 1, seed.parse(decode(path.read_bytes()), timezone.get_default_timezone())
            return
        with path.open("rb") as handle:
            for n, raw in enumerate(_bounded_lines(handle), 1):
                if at is not None:
                    at(handle.tell())
                if raw is None:
                    limit = record_limit()
                    yield n, FormatError(f"the record is over the {limit} byte limit", n)
                elif raw.strip():
                    try:
                        yield n, jsonl.parse_record(decode(raw))
                    except FormatError as exc:
                        yield n, FormatError(exc.message, n)
    except FormatError as exc:
        yield exc.line, exc
    except OSError as exc:
        yield 0, FormatError(exc.strerror or str(exc))


def record_limit() -> int:
    """The longest archive line read: a page, or a picture record at the pictures' limit."""
    return max(MAX_PAGE_BYTES, settings.NEWSBRIEF_PICTURE_MAX_BYTES * 4 // 3 + 4096)


def _bounded_lines(handle) -> Iterator[bytes | None]:
    """The file's lines, each read into memory only up to ``record_limit()``; ``None``
    stands for a longer line, which is skipped."""
    limit = record_limit()
    while line := handle.readline(limit + 1):
        if len(line) <= limit:
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = handle.readline(limit + 1)
        yield None


def import_paths(paths: Iterable[str | Path], *, progress: bool = True) -> ImportReport:
    """Import the files under ``paths``: their pages and records in one stream of batches,
    so that a directory of pages (one each) is saved as fast as an archive."""
    report = ImportReport()
    files = find_files(paths)
    bar = tqdm(files, unit="file", disable=not progress or len(files) < 2)

    def units():
        for path in bar:
            with _archive_bar(path, progress) as within:
                for line, unit in read_units(path, lambda offset: within.update(offset - within.n)):
                    yield str(path), line, unit

    _import(units(), report)
    for failure in report.failures:
        log.warning("import failed: %s", failure)
    return report


def _archive_bar(path: Path, progress: bool) -> tqdm:
    """A bar through one large archive, in bytes (beside the bar through the files)."""
    size = path.stat().st_size if path.is_file() else 0
    large = path.suffix.lower() in ARCHIVE_SUFFIXES and size >= ARCHIVE_BAR_BYTES
    return tqdm(
        total=size, unit="B", unit_scale=True, leave=False, disable=not (progress and large)
    )


def import_units(
    label: str,
    units: Iterable[tuple[int, BriefContent | jsonl.Record | FormatError]],
    report: ImportReport,
) -> None:
    """Store ``(line, unit)`` pairs of one source called ``label`` (a file; a Phorum
    database): the one way every archive comes in. Each failure is reported as
    ``label:line: why`` and the others go on."""
    _import(((label, line, unit) for line, unit in units), report)


def _import(units: Iterable[tuple[str, int, object]], report: ImportReport) -> None:
    """``(label, line, unit)``s saved in batches of ``BATCH``, in order."""
    pending: list[tuple[str, int, object]] = []
    for label, line, unit in units:
        fitted = _without_controls(unit)
        if fitted != unit:
            report.notes.append(Failure(label, line, "control characters removed"))
        if not isinstance(fitted, BATCHED):
            _save_batch(pending, report)
            pending = []
            _save_one(label, line, fitted, report)
            continue
        pending.append((label, line, fitted))
        if len(pending) >= BATCH:
            _save_batch(pending, report)
            pending = []
    _save_batch(pending, report)


def _save_batch(units: list[tuple[str, int, object]], report: ImportReport) -> None:
    """Save ``units`` in one transaction; if any fails, each again in its own."""
    records = [unit for _label, _line, unit in units if not isinstance(unit, FormatError)]
    if len(records) > 1:
        try:
            with batch(uid for unit in records if (uid := _uid(unit))):
                outcomes = [_save(unit) for unit in records]
        except Exception:
            log.info("a batch failed: saving its %d records one by one", len(records))
        else:
            for label, line, unit in units:
                if isinstance(unit, FormatError):
                    report.failures.append(Failure(label, unit.line or line, unit.message))
            for outcome in outcomes:
                _count(report, outcome)
            return
    for label, line, unit in units:
        _save_one(label, line, unit, report)


def _uid(unit):
    """The uid of the brief a unit saves, if it names one."""
    if isinstance(unit, jsonl.BriefRecord):
        unit = unit.content
    return unit.uid if isinstance(unit, BriefContent) else None


def _save_one(label: str, line: int, unit, report: ImportReport) -> None:
    if isinstance(unit, FormatError):
        report.failures.append(Failure(label, unit.line or line, unit.message))
        return
    try:
        outcome = _save(unit)
    except (InvalidContent, InvalidRecord, InvalidAddress, entity_records.InvalidEntities) as exc:
        report.failures.append(Failure(label, line, str(exc)))
        return
    except DatabaseError as exc:
        report.failures.append(Failure(label, line, f"could not be saved: {exc}"))
        return
    except Exception as exc:  # a bug shown by one page must not stop the others
        log.exception("import of %s:%s failed", label, line)
        report.failures.append(Failure(label, line, f"could not be imported: {exc!r}"))
        return
    _count(report, outcome)


def _count(report: ImportReport, outcome: Outcome | None) -> None:
    if outcome is Outcome.CREATED:
        report.created += 1
    elif outcome is Outcome.UPDATED:
        report.updated += 1
    elif outcome is Outcome.UNCHANGED:
        report.unchanged += 1


def _without_controls(unit):
    if isinstance(unit, BriefContent):
        return unit.without_controls()
    if isinstance(unit, jsonl.BriefRecord):
        return dataclasses.replace(unit, content=unit.content.without_controls())
    return unit


class InvalidRecord(ValueError):
    """A record that reads well but does not fit the archive (an unknown status, say)."""


def _save(unit: BriefContent | jsonl.Record) -> Outcome | None:
    """Store one page or record; the outcome for a brief, None for the records around them."""
    if isinstance(unit, BriefContent):
        return save_brief(unit, origin=Revision.Origin.IMPORT).outcome
    if isinstance(unit, jsonl.BriefRecord):
        return _save_brief_and_entities(unit)
    if isinstance(unit, jsonl.BoardRecord):
        _save_board(unit)
    elif isinstance(unit, jsonl.CategoryRecord):
        _save_category(unit)
    elif isinstance(unit, jsonl.UserRecord):
        _save_user(unit)
    elif isinstance(unit, jsonl.EntityRecord):
        entity_records.save_entity(unit)
    elif isinstance(unit, jsonl.PictureRecord):
        pictures.import_picture(
            unit.brief, unit.position, unit.alt, unit.caption, unit.digest, unit.data
        )
    return None


@transaction.atomic
def _save_brief_and_entities(record: jsonl.BriefRecord) -> Outcome:
    """The brief, then the entities its record names, in one transaction."""
    outcome = _save_brief(record)
    if entity_records.save_brief_entities(record) and outcome is Outcome.UNCHANGED:
        return Outcome.UPDATED
    return outcome


@transaction.atomic
def _save_board(record: jsonl.BoardRecord) -> None:
    board = board_named(record.name)
    board.languages = list(record.languages)
    for field in record.WORDS:
        setattr(board, field, getattr(record, field))
    board.save(update_fields=["languages", *record.WORDS])


@transaction.atomic
def _save_category(record: jsonl.CategoryRecord) -> None:
    category = Category.objects.get_or_create(slug=record.slug)[0]  # another run may add it too
    for field in ("name_en", "name_zh_hant"):
        if getattr(record, field):
            setattr(category, field, getattr(record, field))
    category.save()


@transaction.atomic
def _save_user(record: jsonl.UserRecord) -> None:
    """Names fill in an account's blanks; an existing account's own names win."""
    user = account(record.username)
    changed = []
    for field in ("first_name", "last_name"):
        if getattr(record, field) and not getattr(user, field):
            setattr(user, field, getattr(record, field))
            changed.append(field)
    if changed:
        user.save(update_fields=changed)


def _save_brief(record: jsonl.BriefRecord) -> Outcome:
    """``save_brief`` stores the brief's content and status; what a version 2 record adds
    (its whole history, times, old addresses, the origin of its related links) is then
    written over what that save made, in the same transaction (the body rendered before)."""
    status = record.status or Brief.Status.PUBLISHED
    if status not in Brief.Status.values:
        raise InvalidRecord(f"unknown status {status!r}")
    content = record.content
    if record.revisions:
        content = dataclasses.replace(content, trail=None)
    prepared = prepare(content)
    with atomic():
        result = save_brief(prepared, origin=Revision.Origin.IMPORT, status=status)
        changed = _restore(result.brief, record)
    outcome = result.outcome
    if changed and outcome is Outcome.UNCHANGED:
        return Outcome.UPDATED
    return outcome


def _restore(brief: Brief, record: jsonl.BriefRecord) -> bool:
    """Make ``brief`` carry the record's history, times, addresses and link origins;
    whether anything had to change."""
    changed = False
    if record.revisions and _revisions_of(brief) != list(record.revisions):
        _check_revisions(record.revisions)
        brief.revisions.all().delete()
        Revision.objects.bulk_create(
            Revision(
                brief=brief, number=r.number, created_at=r.created_at, editor=account(r.editor),
                origin=r.origin, content=r.content,
            )
            for r in record.revisions
        )  # fmt: skip
        changed = True
    times = {
        field: value
        for field in ("created_at", "updated_at")
        if (value := getattr(record, field)) and getattr(brief, field) != value
    }
    if times:
        Brief.objects.filter(pk=brief.pk).update(**times)
        changed = True
    for rank, origin in enumerate(record.related_origins):
        if origin is not None:
            if origin not in RelatedLink.Origin.values:
                raise InvalidRecord(f"unknown related link origin {origin!r}")
            changed |= bool(
                brief.related_links.filter(rank=rank).exclude(origin=origin).update(origin=origin)
            )
    return _restore_addresses(brief, record.legacy_urls) or changed


def _revisions_of(brief: Brief) -> list[jsonl.RevisionRecord]:
    return [
        jsonl.RevisionRecord(r.number, r.created_at, r.editor.get_username(), r.origin, r.content)
        for r in brief.revisions.select_related("editor").order_by("number")
    ]


def _check_revisions(revisions) -> None:
    numbers = [r.number for r in revisions]
    if numbers != sorted(set(numbers)):
        raise InvalidRecord("revision numbers must rise, each once")
    for r in revisions:
        if r.origin not in Revision.Origin.values:
            raise InvalidRecord(f"unknown revision origin {r.origin!r}")


def _restore_addresses(brief: Brief, urls) -> bool:
    """The record's old addresses are the brief's (an address another brief had moves)."""
    wanted = {canonical_address(url) for url in urls}
    if not wanted:
        return False
    held = set(brief.legacy_addresses.values_list("address", flat=True))
    if held == wanted:
        return False
    brief.legacy_addresses.exclude(address__in=wanted).delete()
    for address in wanted - held:
        LegacyAddress.objects.update_or_create(address=address, defaults={"brief": brief})
    return True


def exported(brief: Brief) -> BriefContent:
    """A brief with its edit trail, ready to be written in either format."""
    latest = max(brief.revisions.all(), key=lambda r: r.number, default=None)
    trail = None
    if latest and latest.number:
        trail = EditTrail(latest.number, latest.created_at, latest.editor.get_username())
    return dataclasses.replace(content_of(brief), trail=trail)


def briefs_for_export(everything: bool = False):
    """Published briefs (scheduled ones included), or ``everything``; oldest first, in an
    order that an imported copy gives back."""
    briefs = (
        Brief.objects.all()
        if everything
        else Brief.objects.filter(status=Brief.Status.PUBLISHED).exclude(published_at=None)
    )
    return (
        briefs.select_related("board", "author")
        .prefetch_related(
            "brief_tags__category",
            "source_links",
            "related_links",
            "legacy_addresses",
            "pictures",
            "brief_entities__entity",
            "brief_entities__decided_by",
            Prefetch("revisions", Revision.objects.select_related("editor").order_by("number")),
        )
        .order_by(F("published_at").asc(nulls_last=True), "created_at", "uid")
    )


def brief_record(brief: Brief) -> jsonl.BriefRecord:
    return jsonl.BriefRecord(
        content=exported(brief),
        status=brief.status,
        created_at=brief.created_at,
        updated_at=brief.updated_at,
        revisions=tuple(
            jsonl.RevisionRecord(
                r.number, r.created_at, r.editor.get_username(), r.origin, r.content
            )
            for r in brief.revisions.all()
        ),
        legacy_urls=tuple(sorted(a.address for a in brief.legacy_addresses.all())),
        related_origins=tuple(r.origin for r in brief.related_links.all()),
        entities=entity_records.brief_entities(brief),
    )


def picture_record(brief: Brief, picture) -> jsonl.PictureRecord:
    return jsonl.PictureRecord(
        brief.uid, picture.position, picture.alt, picture.caption, picture.digest,
        pictures.master_bytes(picture),
    )  # fmt: skip


def export_jsonl(out, *, everything: bool = False, progress: bool = False) -> int:
    """Write the board as a version 2 archive: the header, boards, categories, the accounts
    the briefs name, the entity registry, then the briefs (published ones, or
    ``everything``) with their entities."""
    briefs = briefs_for_export(everything)
    User = get_user_model()
    named = Q(briefs__in=briefs) | Q(revisions__brief__in=briefs)
    users = User.objects.filter(pk__in=User.objects.filter(named).values("pk"))
    records = [jsonl.Header(jsonl.VERSION)]
    records += [
        jsonl.BoardRecord(
            b.name,
            languages=tuple(b.languages),
            **{field: getattr(b, field) for field in jsonl.BoardRecord.WORDS},
        )
        for b in Board.objects.all()
    ]
    records += [
        jsonl.CategoryRecord(c.slug, c.name_en, c.name_zh_hant)
        for c in Category.objects.order_by("slug")
    ]
    records += [
        jsonl.UserRecord(u.get_username(), u.first_name, u.last_name)
        for u in users.order_by(User.USERNAME_FIELD)
    ]
    records += entity_records.entity_records()
    for record in records:
        out.write(jsonl.write(record) + "\n")
    count = 0
    total = briefs.count() if progress else None
    for brief in tqdm(briefs.iterator(chunk_size=500), total=total, disable=not progress):
        out.write(jsonl.write(brief_record(brief)) + "\n")
        for picture in brief.pictures.all():
            out.write(jsonl.write(picture_record(brief, picture)) + "\n")
        count += 1
    return count


def export_seed(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    tz = timezone.get_default_timezone()
    count = 0
    for brief in briefs_for_export().iterator(chunk_size=500):
        name = (
            f"{timezone.localtime(brief.published_at):%Y%m%d-%H%M}_{brief.language}_{brief.uid}.txt"
        )
        content = exported(brief)
        figures = pictures.figures_markdown(brief, settings.NEWSBRIEF_BASE_URL)
        if figures:
            content = dataclasses.replace(content, body=f"{content.body}\n\n{figures}")
        (directory / name).write_text(seed.render(content, tz), encoding="utf-8")
        count += 1
    return count
