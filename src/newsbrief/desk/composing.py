"""The compose page's requests that show the form again instead of saving it: "Find" for
the other-language version (``versions``) and the fix of a body that repeats its source line
(``source_lines``). ``views.compose`` checks the role and hands them here:

- a POST with the "Find" button: the form as typed, with the briefs found;
- a POST with ``fix=source-line`` (the warning's button): the form as typed, its body
  without the repeated source line;
- a GET with ``?fix=source-line`` on a brief's edit page: the saved brief, its body fixed.

Nothing is saved here: the editor reviews the form and saves it with its own button.
"""

from django.contrib import messages
from django.utils.translation import gettext as _

from newsbrief.briefs.models import Brief

from . import source_lines, versions
from .forms import BriefForm, initial_for
from .listing import visible_briefs


def shows_again(request) -> bool:
    """Whether a POST asks to see the form again rather than to save it."""
    return versions.FIND in request.POST or request.POST.get("fix") == source_lines.FIX


def retyped(request, brief: Brief | None) -> tuple[BriefForm, dict]:
    """The form as typed (unbound, with what was typed as its initial values: its fields are
    not checked yet, that is for saving), fixed or with the briefs found as asked."""
    data = {name: request.POST.get(name, "") for name in BriefForm.base_fields}
    extra = {}
    if request.POST.get("fix") == source_lines.FIX:
        fixed = source_lines.fixed_body(BriefForm(initial=data, brief=brief))
        if fixed is not None:
            data["body"] = fixed
            extra["source_line_fixed"] = True
    form = BriefForm(initial=data, brief=brief)
    if versions.FIND in request.POST:
        form.version_search = versions.find(
            request.POST.get(versions.QUERY, ""),
            data["language"],
            brief,
            visible=visible_briefs(request.user),
        )
    return form, extra


def fixed(request, brief: Brief) -> tuple[BriefForm, dict]:
    """The saved brief's form, its body without the source line it repeats."""
    initial = initial_for(brief)
    body = source_lines.fixed_body(BriefForm(initial=initial, brief=brief))
    if body is None:
        messages.info(request, _("The body does not repeat its source line: nothing to fix."))
        return BriefForm(initial=initial, brief=brief), {}
    initial["body"] = body
    return BriefForm(initial=initial, brief=brief), {"source_line_fixed": True}
