"""Hooks for the apps that follow the archive (search index, related links, caches, feeds).

Sent after the saving transaction commits, so a receiver never sees a change that is
rolled back, and a receiver that fails cannot undo the save.
"""

from django.dispatch import Signal

#: ``sender=Brief, brief=<Brief>, created=<bool>``
brief_saved = Signal()
