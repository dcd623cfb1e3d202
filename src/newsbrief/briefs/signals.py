"""Hooks for the apps that follow the archive (search index, related links, caches, feeds).

``brief_saved`` is sent after the saving transaction commits, so a receiver never sees a change
that is rolled back, and a receiver that fails cannot undo the save. ``brief_changed`` is sent
inside it, for receivers that must record the change atomically with it (the search outbox).
Whatever changes a brief's content or status (publish, edit, unpublish) goes through
``publishing``, which sends both.
"""

from django.dispatch import Signal

#: ``sender=Brief, brief=<Brief>, created=<bool>``
brief_saved = Signal()

#: ``sender=Brief, brief=<Brief>``: inside the transaction, once the brief and its parts are saved
brief_changed = Signal()
