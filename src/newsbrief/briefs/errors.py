"""Why an action refused: typed, so that each interface can say it its own way (a form
error or a message on the desk; 403, 409 or 422 in the API; ``FILE:LINE: why`` on import)."""

from __future__ import annotations


class ActionRefused(Exception):
    """An action would break a rule; ``message`` says which, to the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class NotAllowed(ActionRefused):
    """The actor's role does not allow this action on this brief."""


class WrongState(ActionRefused):
    """The brief is not in a state this action applies to (submitting a published brief)."""


class InvalidContent(ActionRefused, ValueError):
    """Content that breaks a limit or a rule; ``fields`` maps each field at fault (as
    ``BriefContent`` names it) to what is wrong with it."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class RevisionConflict(ActionRefused):
    """The brief was saved by someone else since the revision an edit started from."""

    def __init__(self, brief, latest):
        super().__init__(f"brief {brief.pk} is at revision {latest.number}")
        self.brief, self.latest = brief, latest
