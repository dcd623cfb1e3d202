"""``newsbrief import phorum``: a whole Phorum 5 board into the archive.

The board is read from a ``Source`` (``source.open(url)``, read-only) in ``message_id``
order and each message made records (``converting``), which go in through
``formats.importer.import_units`` like any archive's, in batches. After each batch the
source-id map (``models.ImportedMessage``) records what every message became, in one
transaction: a run resumes after the highest message the map holds, and one killed
between a batch's briefs and its map saves those briefs again, finding them unchanged. A
second run over a board brought across whole finds nothing to change.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from newsbrief.briefs.models import Board, Brief, Category
from newsbrief.formats.importer import ImportReport, import_units

from .converting import Converted, Converter, Known, Mapping, account_name, message_uid
from .models import ImportedFile, ImportedForum, ImportedMessage
from .records import Forum, Source

BATCH = 200
#: How many messages whose rendered text differs the report names.
SHOWN = 20


@dataclasses.dataclass
class PhorumReport:
    label: str
    dry_run: bool = False
    backup: Path | None = None
    resumed_after: int = 0
    messages: int = 0
    statuses: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    orphans: list[int] = dataclasses.field(default_factory=list)
    stubs: list[int] = dataclasses.field(default_factory=list)
    repairs: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    problems: list[str] = dataclasses.field(default_factory=list)
    unknown_tags: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    linked: set[int] = dataclasses.field(default_factory=set)
    unresolved: set[int] = dataclasses.field(default_factory=set)
    matching: int = 0
    differing: list[int] = dataclasses.field(default_factory=list)
    imported: ImportReport = dataclasses.field(default_factory=ImportReport)

    def lines(self) -> list[str]:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items())) or "none"
        out = [
            f"{'dry run: nothing written; ' if self.dry_run else ''}"
            f"{self.messages} message(s) read"
            + (f", after message {self.resumed_after}" if self.resumed_after else ""),
            f"by status: {statuses}",
            f"orphans kept (parent gone): {len(self.orphans)}",
            f"moved stubs (redirects): {len(self.stubs)}",
            f"encodings repaired: {sum(self.repairs.values())}"
            + "".join(f"; {what}: {n}" for what, n in sorted(self.repairs.items())),
            "unknown BBCode: "
            + (", ".join(f"[{t}] x{n}" for t, n in self.unknown_tags.most_common()) or "none"),
            f"internal links to messages not on the board: {len(self.unresolved)}"
            + _some(sorted(self.unresolved)),
            f"rendered text, old against new: {self.matching} match, "
            f"{len(self.differing)} differ"
            + _some(self.differing),
        ]  # fmt: skip
        if self.backup:
            out.insert(0, f"backup: {self.backup}")
        if not self.dry_run:
            out.append(self.imported.summary())
        out += [f"problem: {p}" for p in self.problems]
        out += [f"error: {f}" for f in self.imported.failures]
        return out


def open_source(url: str, prefix: str = "phorum_") -> Source:
    """The board at ``url`` (``mysql://user:password@host:port/database``), read-only.
    Imported here, when asked for, so that the database driver is needed only by a run."""
    from . import source

    return source.open(url, prefix=prefix)


def _some(ids: list[int]) -> str:
    return (
        f" ({', '.join(map(str, ids[:SHOWN]))}{', ...' if len(ids) > SHOWN else ''})" if ids else ""
    )


def default_backup() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"before-phorum-{stamp}.backup"


def run(
    source: Source,
    *,
    label: str = "phorum",
    forum_ids: Iterable[int] | None = None,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    progress: bool = True,
    backup_to: Path | None = None,
    batch: int = BATCH,
) -> PhorumReport:
    """Bring the board (or the forums ``forum_ids``) across; ``dry_run``: only read and
    report. ``backup_to``: back the database up there first."""
    mapping = mapping or Mapping(tz=timezone.get_default_timezone())
    report = PhorumReport(label, dry_run=dry_run)
    if backup_to is not None and not dry_run:
        from newsbrief.formats.backup import backup

        backup_to.parent.mkdir(parents=True, exist_ok=True)
        report.backup = backup(backup_to).path
    selected = list(forum_ids) if forum_ids else None
    forums = [f for f in source.forums() if selected is None or f.forum_id in selected]
    if not dry_run:
        _save_forums(forums)
    mapped = ImportedMessage.objects.all()
    if selected is not None:
        mapped = mapped.filter(forum_id__in=selected)
    seen = set() if dry_run else set(ImportedMessage.objects.values_list("pk", flat=True))
    after = 0 if dry_run else max(mapped.values_list("pk", flat=True), default=0)
    report.resumed_after = after
    User = get_user_model()
    taken = set(
        User.objects.exclude(password__startswith="!").values_list(User.USERNAME_FIELD, flat=True)
    )
    converter = Converter(
        forums, source.users(), mapping, known=_known, taken=taken,
        claimed={(k, lang): uid for k, lang, uid in Brief.objects.values_list(
            "translation_key", "language", "uid").iterator(chunk_size=5000)},
        seen=seen,
    )  # fmt: skip
    total = source.count(selected)
    done = mapped.count()
    pending: list[Converted] = []
    with tqdm(total=total, initial=min(done, total), unit="msg", disable=not progress) as bar:
        for message in source.messages(selected, after=after):
            attachments = []
            for file_id in message.attachment_ids:
                if (found := source.attachment(file_id)) is None:
                    report.problems.append(f"message {message.message_id}: file {file_id} is gone")
                else:
                    attachments.append(found)
            pending.append(converter.convert(message, attachments))
            if len(pending) >= batch:
                _flush(pending, report, mapping, dry_run)
                bar.update(len(pending))
                pending = []
        _flush(pending, report, mapping, dry_run)
        bar.update(len(pending))
    if not dry_run:
        _link_forums(forums)
        if mapping.keep_private:
            _keep_addresses(converter.users)
    present = set(ImportedMessage.objects.values_list("pk", flat=True)) | converter.seen
    report.unresolved = report.linked - present
    return report


def _known(message_id: int) -> Known | None:
    row = (
        ImportedMessage.objects.filter(pk=message_id)
        .exclude(brief=None)
        .values_list("brief_id", "brief__translation_key", "brief__language")
        .first()
    )
    return Known(*row) if row else None


def _flush(batch: list[Converted], report: PhorumReport, mapping: Mapping, dry_run: bool) -> None:
    for c in batch:
        m = c.message
        report.messages += 1
        report.statuses[c.status] += 1
        if c.orphan:
            report.orphans.append(m.message_id)
        if c.stub:
            report.stubs.append(m.message_id)
        for repair in m.repairs:
            report.repairs[repair.split(":", 1)[-1].strip()] += 1
        report.problems += [f"message {m.message_id}: {p}" for p in c.problems]
        report.unknown_tags.update(c.unknown_tags)
        report.linked |= c.linked
        if not c.stub:
            if c.matches:
                report.matching += 1
            else:
                report.differing.append(m.message_id)
    if dry_run or not batch:
        return
    units = [(c.message.message_id, unit) for c in batch for unit in c.units]
    import_units(report.label, units, report.imported)
    _save_map(batch, mapping)


@transaction.atomic
def _save_map(batch: list[Converted], mapping: Mapping) -> None:
    uids = {message_uid(c.message.message_id): c for c in batch if not c.stub}
    briefs = dict(Brief.objects.filter(uid__in=uids).values_list("uid", "pk"))
    rows = []
    for c in batch:
        m = c.message
        rows.append(
            ImportedMessage(
                message_id=m.message_id, forum_id=m.forum_id, thread=m.thread,
                parent_id=m.parent_id, status=m.status, sort=m.sort, closed=m.closed,
                moved=m.moved, brief_id=briefs.get(message_uid(m.message_id)),
                checksum="" if c.stub else c.checksum, matches=c.stub or c.matches,
                email=m.email if mapping.keep_private else "",
                ip=m.ip if mapping.keep_private else "",
            )
        )  # fmt: skip
    fields = [f.name for f in ImportedMessage._meta.concrete_fields if not f.primary_key]
    ImportedMessage.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["message_id"], update_fields=fields
    )
    files = [
        ImportedFile(
            file_id=a.file_id,
            message_id=c.message.message_id,
            brief_id=briefs.get(message_uid(c.message.message_id)),
            filename=a.filename,
            size=len(a.data),
            picture_digest=hashlib.sha256(a.data).hexdigest() if a.file_id in c.pictures else "",
            data=b"" if a.file_id in c.pictures else a.data,
        )
        for c in batch
        for a in c.attachments
    ]
    fields = [f.name for f in ImportedFile._meta.concrete_fields if not f.primary_key]
    ImportedFile.objects.bulk_create(
        files, update_conflicts=True, unique_fields=["file_id"], update_fields=fields
    )
    for c in batch:  # attaching a picture touched the brief: its time is the message's
        if any(f.picture_digest for f in files if f.message_id == c.message.message_id):
            Brief.objects.filter(uid=message_uid(c.message.message_id)).update(
                updated_at=c.message.edited_at or c.message.posted_at
            )


def _keep_addresses(users) -> None:
    """Users' e-mail addresses, where the operator asked for them, on accounts without one."""
    User = get_user_model()
    for user in users.values():
        if user.email:
            name = account_name(user.username, user.user_id)
            User.objects.filter(username=name, email="").update(email=user.email)


def _save_forums(forums: list[Forum]) -> None:
    for f in forums:
        ImportedForum.objects.update_or_create(
            forum_id=f.forum_id,
            defaults={
                "name": f.name, "description": f.description, "folder": f.folder,
                "parent_id": f.parent_id, "vroot": f.vroot, "language": f.language,
                "display_order": f.display_order, "active": f.active,
            },
        )  # fmt: skip


def _link_forums(forums: list[Forum]) -> None:
    """Each forum's category (or board), found by the name its briefs were tagged with."""
    for f in forums:
        name = " ".join(f.name.split())
        category = Category.objects.filter(Q(name_en=name) | Q(name_zh_hant=name)).first()
        board = Board.objects.filter(name=f.name).first()
        ImportedForum.objects.filter(forum_id=f.forum_id).update(category=category, board=board)
