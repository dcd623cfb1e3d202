"""The compose page's helpers that show the form again instead of saving it: "Find" for the
other-language version (``versions``) and the fix of a body that repeats its source line.

``compose`` stands in front of ``views.compose`` at the same addresses. It handles only
these two requests and hands every other one, saving included, to ``views.compose``:

- a POST with the "Find" button: the form as typed, with the briefs found;
- a POST with ``fix=source-line`` (the warning's button): the form as typed, its body
  without the repeated source line;
- a GET with ``?fix=source-line`` on a brief's edit page: the saved brief, its body fixed.

Nothing is saved here: the editor reviews the form and saves it with its own button.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from newsbrief.briefs import roles
from newsbrief.briefs.models import Brief

from . import source_lines, versions, views
from .access import check, guarded
from .forms import BriefForm, initial_for
from .listing import visible_briefs


@guarded
def compose(request, pk: int | None = None):
    post = request.POST if request.method == "POST" else None
    if post is not None and (versions.FIND in post or post.get("fix") == source_lines.FIX):
        return _again(request, pk)
    if pk is not None and request.method == "GET" and request.GET.get("fix") == source_lines.FIX:
        return _fixed(request, pk)
    return views.compose(request, pk)


def _brief(request, pk: int | None) -> Brief | None:
    """The brief being edited, if any, after the same checks as ``views.compose``."""
    brief = get_object_or_404(Brief, pk=pk) if pk is not None else None
    check(
        request, roles.can_edit(request.user, brief) if brief else roles.can_use_desk(request.user)
    )
    return brief


def _again(request, pk: int | None):
    brief = _brief(request, pk)
    # Unbound, with what was typed as its initial values: the form is shown as it was, and
    # its fields are not checked yet (that is for saving).
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
    context = views._compose_context(request, form, brief, **extra)
    return render(request, "desk/compose.html", context)


def _fixed(request, pk: int):
    brief = _brief(request, pk)
    initial = initial_for(brief)
    fixed = source_lines.fixed_body(BriefForm(initial=initial, brief=brief))
    extra = {}
    if fixed is not None:
        initial["body"] = fixed
        extra["source_line_fixed"] = True
    else:
        messages.info(request, _("The body does not repeat its source line: nothing to fix."))
    form = BriefForm(initial=initial, brief=brief)
    return render(
        request, "desk/compose.html", views._compose_context(request, form, brief, **extra)
    )
