"""The editor's desk: compose, preview, review, publish, history, diffs, conflicts, drift.

Every view checks its role (``roles``) before anything else: a visitor who is not signed in
is sent to sign in, a signed-in user without the role gets 403. Every change of state is a
POST with a CSRF token and goes through ``briefs.publishing``.
"""

import dataclasses
from types import SimpleNamespace

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from newsbrief.briefs.content import BriefContent, InvalidContent
from newsbrief.briefs.models import LANGUAGE_CHOICES, Brief, Category, Revision
from newsbrief.briefs.publishing import (
    Outcome,
    RevisionConflict,
    save_brief,
    set_status,
    source_line,
)
from newsbrief.briefs.rendering import render_body

from . import audit, drift, proposals, roles
from .access import check as _check
from .access import edit_url as _edit_url
from .access import guarded as _guarded
from .diffs import diff_content, what_changed
from .forms import TAG_SEPARATORS, BriefForm, PublishForm, initial_for
from .models import AuditEntry

LANGUAGES = {code for code, _name in LANGUAGE_CHOICES}
#: How many recent briefs the compose form suggests as the other-language version.
RECENT_VERSIONS = 100
#: How many briefs each list on the desk's front page shows.
LISTED = 50


@_guarded
def dashboard(request):
    _check(request, roles.can_use_desk(request.user))
    user = request.user
    briefs = Brief.objects.for_listing().order_by("-updated_at", "-pk")
    drafts = briefs.filter(status=Brief.Status.DRAFT)
    if not roles.can_publish(user):
        drafts = drafts.filter(author=user)
    context = {
        "mine": briefs.filter(author=user).exclude(status=Brief.Status.DRAFT)[:LISTED],
        "review": briefs.filter(status=Brief.Status.REVIEW)[:LISTED],
        "scheduled": briefs.filter(
            status=Brief.Status.PUBLISHED, published_at__gt=timezone.now()
        ).order_by("published_at")[:LISTED],
        "drafts": drafts[:LISTED],
        "drift": drift.all_drift(),
        "section": "desk",
    }
    return render(request, "desk/dashboard.html", context)


def _preview(data, form) -> dict:
    """What the brief would look like: title, tags and the body rendered (and sanitized)
    exactly as the brief page renders it. Works on invalid input too: a field that does not
    validate is shown as typed, or left out."""
    form.is_valid()
    cleaned = form.cleaned_data
    tags = cleaned.get("tags")
    if tags is None:
        tags = [t.strip() for t in TAG_SEPARATORS.split(data.get("tags", "")) if t.strip()]
    source = SimpleNamespace(
        source_name=cleaned.get("source_name", data.get("source_name", "")),
        source_date=cleaned.get("source_date"),
    )
    return {
        "title": data.get("title", ""),
        "tags": tags,
        "body_html": render_body(data.get("body", ""), source_line(source)),
        "language": data.get("language") if data.get("language") in LANGUAGES else "",
    }


def _compose_context(request, form, brief, **extra) -> dict:
    names = Category.objects.values_list("name_en", "name_zh_hant")
    recent = Brief.objects.order_by("-updated_at", "-pk")
    if brief is not None:
        recent = recent.exclude(pk=brief.pk)
    context = {
        "form": form,
        "brief": brief,
        "categories": sorted({n for pair in names for n in pair if n}),
        "recent_briefs": recent[:RECENT_VERSIONS],
        "section": "desk",
        **extra,
    }
    if brief is not None:
        context |= proposals.panel(brief)
    elif "preview" in extra:
        data = form.data
        context |= proposals.panel(
            None, data.get("title", ""), data.get("body", ""), data.get("language", "en")
        )
    if brief is not None:
        user = request.user
        versions = Brief.objects.filter(translation_key=brief.translation_key)
        context |= {
            "versions": versions.exclude(pk=brief.pk),
            "drift": drift.drift_of(brief),
            "can_submit": roles.can_submit(user, brief),
            "can_publish": roles.can_publish(user),
            "publish_form": PublishForm(),
            "missing_languages": [
                (code, name)
                for code, name in LANGUAGE_CHOICES
                if not versions.filter(language=code).exists()
            ],
            "is_scheduled": brief.status == Brief.Status.PUBLISHED
            and brief.published_at
            and brief.published_at > timezone.now(),
        }
    return context


@_guarded
def compose(request, pk: int | None = None):
    """A new brief, or an edit of one; ``?version_of=<pk>`` starts the other-language
    version of that brief, linked to it."""
    brief = get_object_or_404(Brief, pk=pk) if pk is not None else None
    if brief is not None:
        _check(request, roles.can_edit(request.user, brief))
    else:
        _check(request, roles.can_use_desk(request.user))

    if request.method != "POST":
        initial = initial_for(brief) if brief else _initial_version_of(request)
        form = BriefForm(initial=initial, brief=brief)
        return render(request, "desk/compose.html", _compose_context(request, form, brief))

    form = BriefForm(request.POST, brief=brief)
    if "preview" in request.POST:
        context = _compose_context(request, form, brief, preview=_preview(request.POST, form))
        return render(request, "desk/compose.html", context)
    if not form.is_valid():
        return render(request, "desk/compose.html", _compose_context(request, form, brief))

    content = form.content(author=request.user.get_username())
    lagging = drift.drift_of(brief) if brief else []
    try:
        with transaction.atomic():
            result = save_brief(
                content,
                editor=request.user.get_username(),
                status=brief.status if brief else Brief.Status.DRAFT,
                based_on=form.cleaned_data["based_on"] if brief else None,
            )
            # Revising a version that lagged behind catches it up; it does not in turn make
            # the version it caught up with look out of date.
            for d in lagging:
                drift.confirm(d.source, result.brief, request.user)
    except RevisionConflict as conflict:
        return _conflict(request, form, conflict, content)
    except InvalidContent as error:
        form.add_error(None, str(error))
        return render(request, "desk/compose.html", _compose_context(request, form, brief))
    if result.outcome is Outcome.UNCHANGED:
        messages.info(request, _("Nothing changed, so no new revision was saved."))
    else:
        messages.success(request, _("Saved."))
    return redirect(_edit_url(result.brief))


def _initial_version_of(request) -> dict:
    source = Brief.objects.filter(pk=request.GET.get("version_of") or None).first()
    if source is None:
        return {"language": "zh-hant" if request.LANGUAGE_CODE.startswith("zh") else "en"}
    language = "en" if source.language.startswith("zh") else "zh-hant"
    initial = initial_for(source)
    return {
        "language": language,
        "version": source.pk,
        "source_name": initial["source_name"],
        "source_date": initial["source_date"],
        "links": initial["links"],
        "tags": ", ".join(c.name_for(language) for c in source.tags),
    }


def _conflict(request, form, conflict: RevisionConflict, mine: BriefContent):
    """Someone saved first: keep this editor's text in the form, show what they saved
    meanwhile against it, and base a new save on their revision, so saving again is a
    deliberate choice."""
    data = request.POST.copy()
    data["based_on"] = str(conflict.latest.number)
    form = BriefForm(data, brief=conflict.brief)
    form.is_valid()
    context = _compose_context(
        request,
        form,
        conflict.brief,
        conflict=conflict.latest,
        changes=what_changed(conflict.latest.content, mine.to_json()),
    )
    return render(request, "desk/conflict.html", context, status=409)


@_guarded
@require_POST
def preview(request):
    """The live preview's fragment, for the small script on the compose page."""
    _check(request, roles.can_use_desk(request.user))
    form = BriefForm(request.POST)
    return render(request, "desk/_preview.html", {"preview": _preview(request.POST, form)})


def _action_brief(request, pk: int, allowed) -> Brief:
    brief = get_object_or_404(Brief, pk=pk)
    _check(request, allowed(request.user, brief), next_url=_edit_url(brief))
    return brief


@_guarded
@require_POST
def submit(request, pk: int):
    brief = _action_brief(request, pk, roles.can_edit)
    if brief.status != Brief.Status.DRAFT:
        messages.error(request, _("Only a draft can be submitted for review."))
        return redirect(_edit_url(brief))
    with transaction.atomic():
        set_status(brief, Brief.Status.REVIEW)
        audit.record(AuditEntry.Action.SUBMIT, request.user, brief=brief)
    messages.success(request, _("Submitted for review."))
    return redirect(_edit_url(brief))


@_guarded
@require_POST
def publish(request, pk: int):
    brief = _action_brief(request, pk, lambda user, _brief: roles.can_publish(user))
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the publication time as a date and a time."))
        return redirect(_edit_url(brief))
    with transaction.atomic():
        brief = set_status(brief, Brief.Status.PUBLISHED, form.cleaned_data["when"])
        audit.record(
            AuditEntry.Action.PUBLISH,
            request.user,
            brief=brief,
            detail=brief.published_at.isoformat(),
        )
    if brief.published_at > timezone.now():
        messages.success(request, _("Scheduled."))
    else:
        messages.success(request, _("Published."))
    return redirect(_edit_url(brief))


@_guarded
@require_POST
def unpublish(request, pk: int):
    brief = _action_brief(request, pk, lambda user, _brief: roles.can_publish(user))
    if brief.status != Brief.Status.PUBLISHED:
        messages.error(request, _("This brief is not published."))
        return redirect(_edit_url(brief))
    with transaction.atomic():
        set_status(brief, Brief.Status.DRAFT)
        audit.record(AuditEntry.Action.UNPUBLISH, request.user, brief=brief)
    messages.success(request, _("Unpublished: the brief is a draft again."))
    return redirect(_edit_url(brief))


@_guarded
def history(request, pk: int):
    brief = get_object_or_404(Brief, pk=pk)
    _check(request, roles.can_use_desk(request.user))
    revisions = list(brief.revisions.select_related("editor").order_by("-number"))
    rows = [
        (revision, revisions[i + 1] if i + 1 < len(revisions) else None)
        for i, revision in enumerate(revisions)
    ]
    context = {
        "brief": brief,
        "rows": rows,
        "can_restore": roles.can_publish(request.user),
        "section": "desk",
    }
    return render(request, "desk/history.html", context)


@_guarded
def diff(request, pk: int, a: int, b: int):
    brief = get_object_or_404(Brief, pk=pk)
    _check(request, roles.can_use_desk(request.user))
    old = get_object_or_404(Revision.objects.select_related("editor"), brief=brief, number=a)
    new = get_object_or_404(Revision.objects.select_related("editor"), brief=brief, number=b)
    context = {
        "brief": brief,
        "old": old,
        "new": new,
        "changes": diff_content(old.content, new.content),
        "section": "desk",
    }
    return render(request, "desk/diff.html", context)


@_guarded
@require_POST
def restore(request, pk: int, number: int):
    brief = _action_brief(request, pk, lambda user, _brief: roles.can_publish(user))
    revision = get_object_or_404(Revision, brief=brief, number=number)
    try:
        old = BriefContent.from_json(revision.content)
    except (KeyError, ValueError) as error:
        raise Http404("unreadable revision") from error
    content = dataclasses.replace(
        old,
        uid=brief.uid,
        translation_key=None,
        board=brief.board.name,
        language=brief.language,
        author=brief.author.get_username(),
        published_at=brief.published_at,
    )
    with transaction.atomic():
        result = save_brief(content, editor=request.user.get_username(), status=brief.status)
        if result.outcome is not Outcome.UNCHANGED:
            audit.record(
                AuditEntry.Action.RESTORE,
                request.user,
                brief=brief,
                detail=_("revision %(number)s") % {"number": number},
            )
    if result.outcome is Outcome.UNCHANGED:
        messages.info(request, _("The brief already reads as that revision."))
    else:
        messages.success(
            request, _("Revision %(number)s restored as a new revision.") % {"number": number}
        )
    return redirect("desk:history", pk=brief.pk)


@_guarded
def drift_list(request):
    _check(request, roles.can_use_desk(request.user))
    return render(request, "desk/drift_list.html", {"drift": drift.all_drift(), "section": "desk"})


@_guarded
@require_POST
def confirm_drift(request, pk: int, source: int):
    brief = _action_brief(request, pk, roles.can_edit)
    source_brief = get_object_or_404(Brief, pk=source, translation_key=brief.translation_key)
    drift.confirm(brief, source_brief, request.user)
    messages.success(request, _("Marked as up to date with the other version."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = _edit_url(brief)
    return redirect(back)
