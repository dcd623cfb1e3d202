"""The source-id map: what each Phorum forum, message and file became. It makes an import
idempotent and resumable (a run goes on after the highest message it holds) and answers
the board's old addresses by parsing them and looking here, not by storing each spelling.
Phorum's own structure (folders, order, threads, sticky and closed flags) is kept as data."""

from django.db import models

from newsbrief.briefs.models import Board, Brief, Category


class ImportedForum(models.Model):
    forum_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    folder = models.BooleanField(default=False)
    parent_id = models.PositiveIntegerField(default=0)
    vroot = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=50, blank=True)
    display_order = models.IntegerField(default=0)
    active = models.BooleanField(default=True)
    board = models.ForeignKey(Board, null=True, on_delete=models.SET_NULL, related_name="+")
    category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.forum_id}: {self.name}"


class ImportedMessage(models.Model):
    """A message and the brief it became (none for a moved stub, whose ``thread`` names the
    thread it points to). ``checksum``: of the brief's text as the report compares it;
    ``matches``: whether that text is the one Phorum showed."""

    message_id = models.PositiveIntegerField(primary_key=True)
    forum_id = models.PositiveIntegerField()
    thread = models.PositiveIntegerField()
    parent_id = models.PositiveIntegerField(default=0)
    status = models.SmallIntegerField()
    sort = models.SmallIntegerField(default=2)
    closed = models.BooleanField(default=False)
    moved = models.BooleanField(default=False)
    brief = models.ForeignKey(Brief, null=True, on_delete=models.SET_NULL, related_name="+")
    checksum = models.CharField(max_length=64, blank=True)
    matches = models.BooleanField(default=True)
    # The poster's: kept only when the operator asks (``--keep-private``).
    email = models.CharField(max_length=300, blank=True)
    ip = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["forum_id", "thread"], name="phorum_message_thread")]

    def __str__(self) -> str:
        return f"message {self.message_id}"


class ImportedFile(models.Model):
    """An attachment: a picture of its brief (``picture_digest``), or a file kept here and
    served at ``/phorum/files/<file_id>/<filename>`` while its brief is published."""

    file_id = models.PositiveIntegerField(primary_key=True)
    message_id = models.PositiveIntegerField(db_index=True)
    brief = models.ForeignKey(Brief, null=True, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=300)
    size = models.PositiveIntegerField(default=0)
    picture_digest = models.CharField(max_length=64, blank=True)
    data = models.BinaryField(blank=True, default=b"")

    def __str__(self) -> str:
        return self.filename
