"""Import pages and archives into the board, and export them back.

Each page (a seed-format file, or one JSON Lines record) is read whole before anything is
written and saved in its own transaction, so a bad page writes nothing and the others go on.
Saving goes through ``briefs.publishing.save_brief``, which finds a page imported before by
its identity and leaves it alone when nothing changed: importing twice is harmless, and an
interrupted import is resumed by running it again.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from tqdm import tqdm

from newsbrief.briefs.content import BriefContent, EditTrail, InvalidContent
from newsbrief.briefs.models import Brief, Category, Revision
from newsbrief.briefs.publishing import Outcome, content_of, save_brief

from . import jsonl, seed
from .errors import FormatError

log = logging.getLogger(__name__)

MAX_PAGE_BYTES = 2 * 1024 * 1024
PAGE_SUFFIXES = {".txt", ".md"}
ARCHIVE_SUFFIXES = {".jsonl", ".ndjson"}


@dataclasses.dataclass
class Failure:
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


def read_units(path: Path) -> Iterator[tuple[int, BriefContent | dict | FormatError]]:
    """``(line, unit)`` for each page of a file; a unit that cannot be read is a FormatError."""
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
                if raw is None:
                    yield n, FormatError(f"the record is over the {MAX_PAGE_BYTES} byte limit", n)
                elif raw.strip():
                    try:
                        yield n, jsonl.parse_record(decode(raw))
                    except FormatError as exc:
                        yield n, FormatError(exc.message, n)
    except FormatError as exc:
        yield exc.line, exc
    except OSError as exc:
        yield 0, FormatError(exc.strerror or str(exc))


def _bounded_lines(handle) -> Iterator[bytes | None]:
    """The file's lines, each read into memory only up to ``MAX_PAGE_BYTES``; ``None``
    stands for a longer line, which is skipped."""
    while line := handle.readline(MAX_PAGE_BYTES + 1):
        if len(line) <= MAX_PAGE_BYTES:
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = handle.readline(MAX_PAGE_BYTES + 1)
        yield None


def import_paths(paths: Iterable[str | Path], *, progress: bool = True) -> ImportReport:
    report = ImportReport()
    files = find_files(paths)
    bar = tqdm(files, unit="file", disable=not progress or len(files) < 2)
    for path in bar:
        for line, unit in read_units(path):
            if isinstance(unit, FormatError):
                report.failures.append(Failure(str(path), unit.line or line, unit.message))
                continue
            try:
                if isinstance(unit, dict):
                    _save_category(unit)
                    continue
                result = save_brief(unit, origin=Revision.Origin.IMPORT)
            except InvalidContent as exc:
                report.failures.append(Failure(str(path), line, str(exc)))
                continue
            except DatabaseError as exc:
                report.failures.append(Failure(str(path), line, f"could not be saved: {exc}"))
                continue
            if result.outcome is Outcome.CREATED:
                report.created += 1
            elif result.outcome is Outcome.UPDATED:
                report.updated += 1
            else:
                report.unchanged += 1
    for failure in report.failures:
        log.warning("import failed: %s", failure)
    return report


@transaction.atomic
def _save_category(record: dict) -> None:
    category = Category.objects.filter(slug=record["slug"]).first() or Category(slug=record["slug"])
    for field in ("name_en", "name_zh_hant"):
        if record[field]:
            setattr(category, field, record[field])
    category.save()


def exported(brief: Brief) -> BriefContent:
    """A brief with its edit trail, ready to be written in either format."""
    latest = brief.latest_revision()
    trail = None
    if latest and latest.number:
        trail = EditTrail(latest.number, latest.created_at, latest.editor.get_username())
    return dataclasses.replace(content_of(brief), trail=trail)


def briefs_for_export():
    return (
        Brief.objects.exclude(published_at=None)
        .select_related("board", "author")
        .prefetch_related("brief_tags__category", "source_links", "related_links")
        .order_by("published_at", "pk")
    )


def export_jsonl(out) -> int:
    for c in Category.objects.order_by("slug"):
        out.write(jsonl.category_record(c.slug, c.name_en, c.name_zh_hant) + "\n")
    count = 0
    for brief in briefs_for_export().iterator(chunk_size=500):
        out.write(jsonl.brief_record(exported(brief)) + "\n")
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
        (directory / name).write_text(seed.render(exported(brief), tz), encoding="utf-8")
        count += 1
    return count
