"""The pictures' actions, one per change, shared by the desk, the API, the admin and the
importer as the briefs' actions are (``briefs.actions``): whoever may edit a brief may change
its pictures. Each change is written to the audit log and stamps the brief's ``updated_at``
(feeds and the API tell readers it changed); its stored pages are dropped after commit
(``pages.receivers``).

An upload is checked and encoded in full before anything is written; its files are written
before its row, and removed again if the row is not (a refused upload leaves nothing).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from newsbrief.briefs import roles
from newsbrief.briefs.actions.base import record, require
from newsbrief.briefs.errors import InvalidContent, WrongState
from newsbrief.briefs.models import AuditEntry, Brief

from . import storage
from .models import ALT_MAX, CAPTION_MAX, Picture
from .processing import Processed, process


def add_picture(actor, brief: Brief, data: bytes, alt: str, caption: str = "") -> Picture:
    """Attach the picture in ``data`` to the brief, after its others."""
    require(roles.can_edit(actor, brief))
    alt, caption = words(alt, caption)
    processed = process(
        data,
        max_bytes=settings.NEWSBRIEF_PICTURE_MAX_BYTES,
        max_pixels=settings.NEWSBRIEF_PICTURE_MAX_PIXELS,
    )
    return attach(actor, brief, processed, alt, caption)


def attach(
    actor, brief: Brief, processed: Processed, alt: str, caption: str, position: int | None = None
) -> Picture:
    """Store a processed picture on the brief (``position``: after the others); the files
    first, then the row, or nothing at all."""
    if brief.pictures.filter(digest=processed.digest).exists():
        _refuse(_("This picture is on the brief already."))
    master = storage.name_for(processed.digest, processed.master, master=True)
    files = [(master, processed.master)] + [
        (storage.name_for(processed.digest, v), v) for v in processed.variants
    ]
    written = [name for name, encoded in files if storage.write(name, encoded.data)]
    try:
        with transaction.atomic():
            _locked(brief)
            if position is None:
                last = brief.pictures.aggregate(last=Max("position"))["last"]
                position = 0 if last is None else last + 1
            picture = Picture.objects.create(
                brief=brief,
                position=position,
                alt=alt,
                caption=caption,
                digest=processed.digest,
                width=processed.width,
                height=processed.height,
                master=storage.described(master, processed.master),
                variants=[storage.described(name, v) for name, v in files[1:]],
            )
            _changed(actor, brief, _("picture added: %(alt)s") % {"alt": alt})
    except BaseException:
        _remove_unused(written, processed.digest)
        raise
    return picture


@transaction.atomic
def update_picture(actor, picture: Picture, alt: str, caption: str = "") -> Picture:
    require(roles.can_edit(actor, picture.brief))
    alt, caption = words(alt, caption)
    _locked(picture.brief)
    picture.alt, picture.caption = alt, caption
    picture.save(update_fields=["alt", "caption"])
    _changed(actor, picture.brief, _("picture described: %(alt)s") % {"alt": alt})
    return picture


@transaction.atomic
def move_picture(actor, picture: Picture, offset: int) -> None:
    """Move the picture ``offset`` places (-1: before the one before it); the others keep
    their order."""
    brief = picture.brief
    require(roles.can_edit(actor, brief))
    _locked(brief)
    pictures = list(brief.pictures.all())
    at = next(i for i, p in enumerate(pictures) if p.pk == picture.pk)
    to = min(max(at + offset, 0), len(pictures) - 1)
    if to == at:
        return
    pictures.insert(to, pictures.pop(at))
    for position, each in enumerate(pictures):
        each.position = position
    Picture.objects.bulk_update(pictures, ["position"])
    # bulk_update sends no signal: one save announces the new order to the page store.
    pictures[to].save(update_fields=["position"])
    _changed(actor, brief, _("picture moved: %(alt)s") % {"alt": picture.alt})


def remove_picture(actor, picture: Picture) -> None:
    brief = picture.brief
    require(roles.can_edit(actor, brief))
    with transaction.atomic():
        _locked(brief)
        picture.delete()
        _changed(actor, brief, _("picture removed: %(alt)s") % {"alt": picture.alt})
    transaction.on_commit(lambda: _remove_unused(picture.files(), picture.digest))


def words(alt: str, caption: str) -> tuple[str, str]:
    """Alt text and caption on one line each; refused if the alt is missing or too long."""
    alt, caption = " ".join((alt or "").split()), " ".join((caption or "").split())
    fields = {}
    if not alt:
        fields["alt"] = [_("Say what the picture shows, for readers who cannot see it.")]
    elif len(alt) > ALT_MAX:
        fields["alt"] = [_("At most %(limit)s characters.") % {"limit": ALT_MAX}]
    if len(caption) > CAPTION_MAX:
        fields["caption"] = [_("At most %(limit)s characters.") % {"limit": CAPTION_MAX}]
    if fields:
        raise InvalidContent(" ".join(m for ms in fields.values() for m in ms), fields)
    return alt, caption


def _refuse(message: str):
    raise InvalidContent(message, {"image": [message]})


def _locked(brief: Brief) -> None:
    """Changes of one brief's pictures queue behind each other (positions stay distinct)."""
    if not Brief.objects.select_for_update().filter(pk=brief.pk).exists():
        raise WrongState(_("The brief was deleted meanwhile."))


def _changed(actor, brief: Brief, detail: str) -> None:
    Brief.objects.filter(pk=brief.pk).update(updated_at=timezone.now())
    record(AuditEntry.Action.EDIT, actor, brief, detail=detail)


def _remove_unused(names, digest: str) -> None:
    """Remove the files of ``digest`` unless another brief's picture still shows them."""
    if not Picture.objects.filter(digest=digest).exists():
        storage.remove(names)
