"""Hooks for the apps that follow the archive (search index, related links, caches, feeds).

``brief_saved`` is sent after the saving transaction commits, so a receiver never sees a change
that is rolled back, and a receiver that fails cannot undo the save. Whatever changes a
brief's content or status (publish, edit, unpublish) goes through ``publishing``, which sends
it. A receiver that must record a change atomically with it (the search outbox) listens to
``post_save``/``post_delete`` of ``Brief`` instead, which every such change also fires.
"""

import contextvars

from django.dispatch import Signal

#: ``sender=Brief, brief=<Brief>, created=<bool>, origin=<Revision.Origin or None>,
#: batched=<bool>``: the origin of the revision a save recorded (``import`` when an archive
#: brought the brief, which followers that add to a brief leave as the archive has it); None
#: for a status change. ``batched``: the save was one of a batch (``publishing.batch``), which
#: ``briefs_saved`` announces next.
brief_saved = Signal()

#: ``sender=Brief, briefs=[<Brief>, ...]``: a batch of saves committed (an import's hundreds),
#: sent after each brief's own ``brief_saved``. A follower whose work costs less for many
#: briefs at once than for each in turn does it here, and skips the batched ``brief_saved``.
briefs_saved = Signal()

#: True while the saves of a batch run: for followers of model signals (``post_save``), which
#: carry no such flag, to leave their per-brief work to ``briefs_saved``.
batching: contextvars.ContextVar[bool] = contextvars.ContextVar("batching", default=False)

#: ``sender=None``: the whole database was replaced from a backup (``newsbrief restore``), the
#: search index already rebuilt from it. Whatever a process keeps of the archive outside the
#: database (page caches, in-memory models) no longer matches it and should be dropped.
archive_restored = Signal()
