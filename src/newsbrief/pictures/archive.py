"""Pictures in and out of archives.

- JSON Lines (``newsbrief export`` / ``import``): a ``picture`` record after its brief's,
  carrying the clean full-size copy base64-encoded in the line (an archive stays one file,
  on stdout too). Importing reads it through the same checks as an upload, and is idempotent
  by the upload's content hash: a picture the brief has already is only re-described.
- Backups (``newsbrief backup`` / ``restore``): the files, beside the database's copy in
  ``<backup>.media/`` (the files are named by content, so a copy adds only new ones).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from newsbrief.briefs.errors import InvalidContent
from newsbrief.briefs.models import Brief
from newsbrief.briefs.roles import SYSTEM

from . import actions, storage
from .models import Picture
from .processing import process


def master_bytes(picture: Picture) -> bytes:
    return storage.read(picture.master["name"])


def import_picture(uid, position: int, alt: str, caption: str, digest: str, data: bytes):
    """The picture on the brief ``uid`` (imported before it, in the same archive)."""
    brief = Brief.objects.filter(uid=uid).first()
    if brief is None:
        raise InvalidContent(_("There is no brief %(uid)s for this picture.") % {"uid": uid})
    held = brief.pictures.filter(digest=digest).first()
    if held is not None:
        if (held.alt, held.caption, held.position) != (alt, caption, position):
            actions.update_picture(SYSTEM, held, alt, caption)
            Picture.objects.filter(pk=held.pk).update(position=position)
        return held
    processed = process(
        data,
        max_bytes=settings.NEWSBRIEF_PICTURE_MAX_BYTES,
        max_pixels=settings.NEWSBRIEF_PICTURE_MAX_PIXELS,
    )
    alt, caption = actions.words(alt, caption)
    # The identity of what was first uploaded, not of the copy the archive carried.
    processed = dataclasses.replace(processed, digest=digest)
    return actions.attach(SYSTEM, brief, processed, alt, caption, position)


def figures_markdown(brief: Brief, base_url: str) -> str:
    """The brief's pictures as Markdown images (the seed format has no figures of its own)."""
    lines = []
    for picture in brief.pictures.all():
        title = picture.caption.replace('"', "'")
        title = f' "{title}"' if title else ""
        lines.append(f"![{picture.alt}]({base_url}{picture.jpeg()['url']}{title})")
    return "\n\n".join(lines)


def sidecar(backup: Path) -> Path:
    return backup.with_name(backup.name + ".media")


def copy_files(source: Path, target: Path) -> int:
    """Copy the picture files under ``source`` missing from ``target``; how many."""
    copied = 0
    for path in sorted(source.rglob("*")) if source.is_dir() else ():
        if path.is_file() and not path.name.startswith("."):
            into = target / path.relative_to(source)
            if not into.exists():
                into.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, into.with_name(".copy-" + into.name))
                (into.with_name(".copy-" + into.name)).replace(into)
                copied += 1
    return copied
