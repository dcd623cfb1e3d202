"""The actions layer: one function per change of a brief, shared by every interface.

Modelled on Wagtail's ``wagtail/actions`` and Zulip's ``zerver/actions``: the desk, the API,
the admin, ingestion and the importer are thin adapters over these functions. Each action

- checks the actor's role (``roles``), the brief's state and the content's limits
  (``limits``, read from the model fields), raising a typed refusal (``errors``): the
  interface translates it into a form error, an HTTP status or ``FILE:LINE: why``;
- goes through ``publishing.save_brief`` / ``set_status``, so every change of content is a
  revision and followers hear of it after commit;
- writes its audit entry in the same transaction.

``actor`` is the user asking, or ``roles.SYSTEM`` for operator commands, imports and
ingestion. Curating related messages is ``newsbrief.related.curation``'s (it owns the
editors' verdicts), on the same footing.
"""

from ..errors import ActionRefused, InvalidContent, NotAllowed, RevisionConflict, WrongState
from .editing import KEEP, create_brief, delete_brief, edit_brief, restore_revision
from .tags import add_tag, remove_tag
from .versions import confirm_drift, link_version, unlink_version
from .workflow import publish, submit_for_review, unpublish

__all__ = [
    "KEEP",
    "ActionRefused",
    "InvalidContent",
    "NotAllowed",
    "RevisionConflict",
    "WrongState",
    "add_tag",
    "confirm_drift",
    "create_brief",
    "delete_brief",
    "edit_brief",
    "link_version",
    "publish",
    "remove_tag",
    "restore_revision",
    "submit_for_review",
    "unlink_version",
    "unpublish",
]
