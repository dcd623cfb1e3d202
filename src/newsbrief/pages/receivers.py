"""Stored pages are dropped once the change that alters them commits.

Model signals see every change, whichever path makes it (publishing, curation, the admin,
imports): a brief's save or deletion drops what showed it before (asked before the change) and
what shows it after (asked after the commit); a tag, a source link, a picture or a revision drops
its brief's pages; a related link drops the pages of both its ends; what a brief names (an
editor's decision, an extraction, a merge) drops, once its counts followed, the brief's pages,
the listings holding it and the pages of the entities it names. A category, the board, an
entity's names or an author's name appears on too many pages to list: changing one drops every
page. So does a batch of saves (an import's, ``briefs_saved``): its hundreds of briefs show on
most listings, and asking which pages show each costs more than the pages. A brief scheduled
for later has the worker release its pages at its time (``tasks``).
"""

from django.contrib.auth import get_user_model
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from newsbrief.briefs.models import (
    Board,
    Brief,
    BriefTag,
    Category,
    RelatedLink,
    Revision,
    SourceLink,
)
from newsbrief.briefs.signals import archive_restored, batching, briefs_saved
from newsbrief.entities.models import Entity
from newsbrief.entities.signals import counts_changed
from newsbrief.pictures.models import Picture

from . import tasks
from .dependencies import brief_pages, category_pages, entity_pages, listings_of, showing
from .store import get_store, reset_store


def _drop_after_commit(paths: set[str]) -> None:
    if paths and not batching.get():
        transaction.on_commit(lambda: get_store().invalidate(paths), robust=True)


def _drop_showing_after_commit(*brief_ids: int) -> None:
    if not batching.get():
        transaction.on_commit(lambda: get_store().invalidate(showing(brief_ids)), robust=True)


def _clear_after_commit() -> None:
    transaction.on_commit(lambda: get_store().clear(), robust=True)


@receiver(pre_save, sender=Brief, dispatch_uid="pages-brief-before")
@receiver(pre_delete, sender=Brief, dispatch_uid="pages-brief-deleted")
def _brief_before(sender, instance, raw=False, **kwargs):
    if instance.pk is not None and not raw and not batching.get():
        _drop_after_commit(showing([instance.pk]))


@receiver(post_save, sender=Brief, dispatch_uid="pages-brief-after")
def _brief_after(sender, instance, raw=False, **kwargs):
    if not raw:
        _drop_showing_after_commit(instance.pk)
        _release_when_due(instance)


def _release_when_due(brief: Brief) -> None:
    """A brief scheduled for later: the release at its time (the sweep would, within a
    minute). Moved or unscheduled since, that release finds nothing new: it is harmless."""
    at = brief.published_at
    if brief.status == Brief.Status.PUBLISHED and at is not None and at > timezone.now():
        transaction.on_commit(lambda: tasks.release_pages_now.schedule(eta=at), robust=True)


@receiver(post_save, sender=BriefTag, dispatch_uid="pages-tag-saved")
@receiver(post_delete, sender=BriefTag, dispatch_uid="pages-tag-deleted")
def _tag_changed(sender, instance, raw=False, **kwargs):
    if not raw and not batching.get():
        _drop_after_commit(category_pages(instance.category.slug))
        _drop_showing_after_commit(instance.brief_id)


@receiver(post_save, sender=SourceLink, dispatch_uid="pages-source-saved")
@receiver(post_delete, sender=SourceLink, dispatch_uid="pages-source-deleted")
@receiver(post_save, sender=Picture, dispatch_uid="pages-picture-saved")
@receiver(post_delete, sender=Picture, dispatch_uid="pages-picture-deleted")
@receiver(post_save, sender=Revision, dispatch_uid="pages-revision-saved")
@receiver(post_delete, sender=Revision, dispatch_uid="pages-revision-deleted")
def _part_changed(sender, instance, raw=False, **kwargs):
    if not raw and not batching.get():
        _drop_after_commit(brief_pages(instance.brief_id))


@receiver(post_save, sender=RelatedLink, dispatch_uid="pages-link-saved")
@receiver(post_delete, sender=RelatedLink, dispatch_uid="pages-link-deleted")
def _link_changed(sender, instance, raw=False, **kwargs):
    if not raw and not batching.get():
        _drop_after_commit(brief_pages(instance.brief_id, instance.target_id))


@receiver(counts_changed, dispatch_uid="pages-entity-counts-changed")
def _counts_changed(sender, brief_ids, entity_ids, **kwargs):
    """What briefs name changed (an editor's decision, an extraction, a merge): the facets of
    the listings holding them, their own pages, and the pages of what they name or named."""
    slugs = Entity.objects.filter(pk__in=entity_ids).values_list("slug", flat=True)
    get_store().invalidate(listings_of(brief_ids) | entity_pages(slugs))


#: What of an entity the listings' facet links and names show.
SHOWN_FIELDS = ("slug", "kind", "name_en", "name_zh_hant", "merged_into_id")


@receiver(pre_save, sender=Entity, dispatch_uid="pages-entity-renamed")
def _entity_renamed(sender, instance, raw=False, **kwargs):
    """An entity renamed, merged or moved to another kind shows on any listing's facets: every
    page; another change, its own page (an entity newly made is on none)."""
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values_list(*SHOWN_FIELDS).first()
    if before is None:
        return
    if before != tuple(getattr(instance, f) for f in SHOWN_FIELDS):
        _clear_after_commit()
    else:
        _drop_after_commit(entity_pages([instance.slug]))


@receiver(post_delete, sender=Entity, dispatch_uid="pages-entity-deleted")
def _entity_deleted(sender, raw=False, **kwargs):
    _clear_after_commit()


@receiver(post_save, sender=Category, dispatch_uid="pages-category-saved")
@receiver(post_delete, sender=Category, dispatch_uid="pages-category-deleted")
@receiver(post_save, sender=Board, dispatch_uid="pages-board-saved")
@receiver(post_delete, sender=Board, dispatch_uid="pages-board-deleted")
def _everywhere(sender, raw=False, **kwargs):
    if not raw:
        _clear_after_commit()


@receiver(briefs_saved, dispatch_uid="pages-batch-saved")
@receiver(archive_restored, dispatch_uid="pages-archive-restored")
def _drop_everything(sender, **kwargs):
    get_store().clear()


@receiver(pre_save, sender=get_user_model(), dispatch_uid="pages-author-renamed")
def _author_renamed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields and "username" not in update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values_list("username", flat=True).first()
    if before is not None and before != instance.get_username():
        _clear_after_commit()


@receiver(setting_changed)
def _store_setting(setting, **kwargs):
    if setting in ("NEWSBRIEF_PAGES_STORE", "NEWSBRIEF_PAGES_PATH", "CACHES"):
        reset_store()
