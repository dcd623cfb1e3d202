"""Who may use a desk page: every desk view (and the views of apps that extend the desk, such
as ingest's sources) checks its role with ``check`` under ``@guarded``."""

import contextlib
import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from newsbrief.briefs.errors import ActionRefused, NotAllowed
from newsbrief.briefs.models import Brief


def check(request, allowed: bool, next_url: str | None = None) -> None:
    """Let the request through, send a visitor to sign in, or refuse with 403."""
    if allowed:
        return
    if not request.user.is_authenticated:
        raise SignIn(next_url or request.get_full_path())
    raise PermissionDenied


class SignIn(Exception):
    def __init__(self, next_url: str):
        self.next_url = next_url


def guarded(view):
    """Turns ``SignIn`` into the redirect to the sign-in page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignIn as sign_in:
            return redirect_to_login(sign_in.next_url)

    return wrapper


def id_or_none(value: str | None) -> int | None:
    """An id a client sent in a form or query string. Anything but a plain whole number that a
    database integer holds is no id at all (looking it up finds nothing: a 404), rather than a
    ValueError or an overflow from the database."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def edit_url(brief: Brief) -> str:
    return reverse("desk:edit", args=[brief.pk])


@contextlib.contextmanager
def acting(request, brief: Brief):
    """Run an action for a POST that comes back to a page: a refusal of the role is a 403
    (or the sign-in page), any other refusal a message on the page the editor returns to."""
    try:
        yield
    except NotAllowed:
        check(request, False, next_url=edit_url(brief))
    except ActionRefused as refused:
        messages.error(request, refused.message)
