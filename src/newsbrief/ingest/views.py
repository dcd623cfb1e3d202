"""The desk's sources page: editors list, add, pause and resume the sources ingestion reads,
and see what went wrong with each. Same roles as the rest of the desk."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from newsbrief.briefs import roles
from newsbrief.desk.access import check, guarded

from .forms import SourceForm
from .models import Source


@guarded
def sources(request):
    check(request, roles.can_use_desk(request.user))
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = form.save(commit=False)
        source.created_by = request.user
        source.save()
        messages.success(request, _("Source added; the next ingest run reads it."))
        return redirect("ingest:sources")
    context = {"sources": Source.objects.all(), "form": form, "section": "desk"}
    return render(request, "ingest/sources.html", context)


@require_POST
@guarded
def set_active(request, pk: int):
    check(request, roles.can_use_desk(request.user))
    source = get_object_or_404(Source, pk=pk)
    source.active = request.POST.get("active") == "1"
    source.save(update_fields=["active"])
    if source.active:
        messages.success(request, _("Source resumed."))
    else:
        messages.success(request, _("Source paused; ingest runs skip it."))
    return redirect("ingest:sources")
