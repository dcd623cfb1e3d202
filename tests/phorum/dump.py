"""The imported board as a reader, an editor and the map see it: what a second run, a
resumed one and an uninterrupted one must leave the same."""

from django.contrib.auth import get_user_model

from newsbrief.briefs.models import Brief, Category, LegacyAddress, Revision
from newsbrief.phorum.models import ImportedFile, ImportedForum, ImportedMessage
from newsbrief.pictures.models import Picture

User = get_user_model()


def wipe():
    for model in (ImportedMessage, ImportedFile, ImportedForum, Brief):
        model.objects.all().delete()
    Category.objects.all().delete()
    User.objects.all().delete()


def snapshot() -> dict:
    """The board as a reader, an editor and the map see it, without row ids or times of
    the run itself."""
    uid = dict(Brief.objects.values_list("pk", "uid"))
    briefs = sorted(
        (b.uid, b.status, b.language, b.title, b.body, b.body_html, b.author.get_username(),
         b.published_at, b.created_at, b.updated_at, b.translation_key, tuple(b.tag_names()),
         b.source_name, b.source_date)
        for b in Brief.objects.select_related("author")
    )  # fmt: skip
    revisions = sorted(
        (uid[r.brief_id], r.number, r.created_at, r.editor.get_username(), str(r.content))
        for r in Revision.objects.select_related("editor")
    )
    mapped = sorted(
        (m.message_id, m.forum_id, m.thread, m.parent_id, m.status, m.sort, m.closed, m.moved,
         uid.get(m.brief_id), m.checksum, m.matches)
        for m in ImportedMessage.objects.all()
    )  # fmt: skip
    files = sorted(
        (f.file_id, uid.get(f.brief_id), f.filename, f.picture_digest, bytes(f.data))
        for f in ImportedFile.objects.all()
    )
    pictures = sorted((uid[p.brief_id], p.digest, p.position) for p in Picture.objects.all())
    users = sorted(
        (u.username, u.first_name, u.last_name, u.email, u.has_usable_password())
        for u in User.objects.all()
    )
    addresses = sorted((a.address, uid[a.brief_id]) for a in LegacyAddress.objects.all())
    return {
        "briefs": briefs, "revisions": revisions, "map": mapped, "files": files,
        "pictures": pictures, "users": users, "addresses": addresses,
    }  # fmt: skip
