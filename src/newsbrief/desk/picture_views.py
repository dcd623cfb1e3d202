"""The compose page's pictures: upload (a plain multipart form; dropping a file on it is the
script's shortcut to the same form), describe, reorder and remove, each one call of an action
(``pictures.actions``) with the edit's role check."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from newsbrief.briefs import actions as brief_actions
from newsbrief.briefs import roles
from newsbrief.briefs.forms import show_refusal
from newsbrief.briefs.models import Brief
from newsbrief.pictures import actions
from newsbrief.pictures.models import Picture

from .access import acting, check, edit_url, guarded
from .forms import PictureForm
from .views import compose_page

ANCHOR = "#pictures"


@guarded
@require_POST
def add(request, pk: int):
    brief = get_object_or_404(Brief, pk=pk)
    check(request, roles.can_edit(request.user, brief), next_url=edit_url(brief))
    form = PictureForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            actions.add_picture(
                request.user,
                brief,
                upload.read(),
                form.cleaned_data["alt"],
                form.cleaned_data["caption"],
            )
        except brief_actions.InvalidContent as refused:
            show_refusal(form, refused)
        except brief_actions.WrongState as refused:
            messages.error(request, refused.message)
            return redirect(edit_url(brief))
        else:
            messages.success(request, _("Picture added."))
            return redirect(edit_url(brief) + ANCHOR)
    # The compose page again, the upload's errors by its fields (and the alt text kept).
    return compose_page(request, brief, picture_form=form, status=422)


ACTIONS = {
    "save": lambda user, picture, post: actions.update_picture(
        user, picture, post.get("alt", ""), post.get("caption", "")
    ),
    "up": lambda user, picture, post: actions.move_picture(user, picture, -1),
    "down": lambda user, picture, post: actions.move_picture(user, picture, 1),
    "remove": lambda user, picture, post: actions.remove_picture(user, picture),
}
DONE = {
    "save": gettext_lazy("Picture updated."),
    "up": gettext_lazy("Picture moved."),
    "down": gettext_lazy("Picture moved."),
    "remove": gettext_lazy("Picture removed."),
}


@guarded
@require_POST
def change(request, pk: int, picture_id: int):
    brief = get_object_or_404(Brief, pk=pk)
    picture = get_object_or_404(Picture.objects.select_related("brief"), pk=picture_id, brief=brief)
    check(request, roles.can_edit(request.user, brief), next_url=edit_url(brief))
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("That is not something one can do with a picture."))
    else:
        with acting(request, brief):
            ACTIONS[action](request.user, picture, request.POST)
            messages.success(request, DONE[action])
    return redirect(edit_url(brief) + ANCHOR)
