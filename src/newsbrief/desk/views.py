"""The editor's desk: compose, preview, review, publish, history, diffs, conflicts, drift.

Every view checks its role (``roles``) before anything else: a visitor who is not signed in
is sent to sign in, a signed-in user without the role gets 403. Every change of state is a
POST with a CSRF token and one call of an action (``briefs.actions``), whose refusals become
a 403, errors on the form's fields, or a message on the page the editor comes back to.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from newsbrief.briefs import actions, drift, roles
from newsbrief.briefs.content import TAG_SEPARATORS, BriefContent
from newsbrief.briefs.diffs import diff_content, what_changed
from newsbrief.briefs.forms import show_refusal
from newsbrief.briefs.models import LANGUAGE_CHOICES, Brief, Category, Revision
from newsbrief.briefs.publishing import Outcome, source_line
from newsbrief.briefs.rendering import has_images, render_body
from newsbrief.briefs.templatetags.board import board_datetime

from . import composing, entity_views, proposal_views, source_lines
from .access import acting, id_or_none
from .access import check as _check
from .access import edit_url as _edit_url
from .access import guarded as _guarded
from .forms import BriefForm, PictureForm, PublishForm, initial_for, source_dated

LANGUAGES = {code for code, _name in LANGUAGE_CHOICES}
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
    validate is shown as typed, or left out, and a body that cannot be shown says why."""
    form.is_valid()
    cleaned = form.cleaned_data
    tags = cleaned.get("tags")
    if tags is None:
        tags = [t.strip() for t in TAG_SEPARATORS.split(data.get("tags", "")) if t.strip()]
    source = SimpleNamespace(
        source_name=cleaned.get("source_name", data.get("source_name", "")),
        source_date=cleaned.get("source_date"),
    )
    body_html = ""
    if not form.has_error("body"):  # a body over the limit is not rendered
        try:
            body_html = render_body(data.get("body", ""), source_line(source))
        except actions.InvalidContent as refused:
            show_refusal(form, refused)
    return {
        "title": data.get("title", ""),
        "tags": tags,
        "body_html": body_html,
        "body_errors": form.errors.get("body", []) if data.get("body") else [],
        "images_dropped": bool(body_html) and has_images(data.get("body", "")),
        "language": data.get("language") if data.get("language") in LANGUAGES else "",
    }


def _compose_context(request, form, brief, **extra) -> dict:
    names = Category.objects.values_list("name_en", "name_zh_hant")
    context = {
        "form": form,
        "brief": brief,
        "categories": sorted({n for pair in names for n in pair if n}),
        "section": "desk",
        **extra,
    }
    if brief is not None:
        context |= proposal_views.panel(brief) | entity_views.panel(brief, request.user)
    elif "preview" in extra:
        data = form.data
        context |= proposal_views.panel(
            None, data.get("title", ""), data.get("body", ""), data.get("language", "en")
        )
    if brief is not None:
        user = request.user
        versions = Brief.objects.filter(translation_key=brief.translation_key)
        context |= {
            "pictures": list(brief.pictures.all()),
            "picture_form": extra.get("picture_form") or PictureForm(),
            "versions": versions.exclude(pk=brief.pk),
            "drift": drift.drift_of(brief),
            "can_submit": roles.can_submit(user, brief),
            "can_publish": roles.can_publish(user),
            "publish_form": PublishForm(),
            "source_dated": source_dated(brief, timezone.now()),
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
        if brief is not None and request.GET.get("fix") == source_lines.FIX:
            form, extra = composing.fixed(request, brief)
        else:
            initial = initial_for(brief) if brief else _initial_version_of(request)
            form, extra = BriefForm(initial=initial, brief=brief), {}
        return render(request, "desk/compose.html", _compose_context(request, form, brief, **extra))
    if composing.shows_again(request):
        form, extra = composing.retyped(request, brief)
        return render(request, "desk/compose.html", _compose_context(request, form, brief, **extra))

    form = BriefForm(request.POST, brief=brief)
    if "preview" in request.POST:
        context = _compose_context(request, form, brief, preview=_preview(request.POST, form))
        return render(request, "desk/compose.html", context)
    if not form.is_valid():
        return render(request, "desk/compose.html", _compose_context(request, form, brief))

    content = form.content(author=request.user.get_username())
    version = form.cleaned_data["version"]
    try:
        if brief is None:
            result = actions.create_brief(request.user, content, version=version)
        else:
            result = actions.edit_brief(
                request.user,
                brief,
                content,
                based_on=form.cleaned_data["based_on"],
                version=version,
            )
    except actions.RevisionConflict as conflict:
        return _conflict(request, form, conflict, content)
    except (actions.InvalidContent, actions.WrongState) as error:
        show_refusal(form, error)
        return render(request, "desk/compose.html", _compose_context(request, form, brief))
    if result.outcome is Outcome.UNCHANGED:
        messages.info(request, _("Nothing changed, so no new revision was saved."))
    else:
        messages.success(request, _("Saved."))
    return redirect(_edit_url(result.brief))


def compose_page(request, brief: Brief, status: int = 200, **extra):
    """The edit page of ``brief`` as saved, with ``extra`` (another form's errors)."""
    form = BriefForm(initial=initial_for(brief), brief=brief)
    context = _compose_context(request, form, brief, **extra)
    return render(request, "desk/compose.html", context, status=status)


def _initial_version_of(request) -> dict:
    source = Brief.objects.filter(pk=id_or_none(request.GET.get("version_of"))).first()
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


def _conflict(request, form, conflict: actions.RevisionConflict, mine: BriefContent):
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


@_guarded
@require_POST
def submit(request, pk: int):
    brief = get_object_or_404(Brief, pk=pk)
    with acting(request, brief):
        actions.submit_for_review(request.user, brief)
        messages.success(request, _("Submitted for review."))
    return redirect(_edit_url(brief))


@_guarded
@require_POST
def publish(request, pk: int):
    brief = get_object_or_404(Brief, pk=pk)
    form = PublishForm(request.POST)
    with acting(request, brief):
        if not form.is_valid():
            raise actions.InvalidContent(_("Give the publication time as a date and a time."))
        when = form.cleaned_data["when"]
        brief = actions.publish(request.user, brief, when)
        if brief.published_at > timezone.now():
            messages.success(request, _("Scheduled."))
        elif when is not None:
            dated = board_datetime(brief.published_at)
            messages.success(request, _("Published, dated %(when)s.") % {"when": dated})
        else:
            messages.success(request, _("Published."))
    return redirect(_edit_url(brief))


@_guarded
@require_POST
def unpublish(request, pk: int):
    brief = get_object_or_404(Brief, pk=pk)
    with acting(request, brief):
        actions.unpublish(request.user, brief)
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
    brief = get_object_or_404(Brief, pk=pk)
    revision = get_object_or_404(Revision, brief=brief, number=number)
    with acting(request, brief):
        result = actions.restore_revision(request.user, brief, revision)
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
    brief = get_object_or_404(Brief, pk=pk)
    source_brief = get_object_or_404(Brief, pk=source)
    with acting(request, brief):
        actions.confirm_drift(request.user, brief, source_brief)
        messages.success(request, _("Marked as up to date with the other version."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = _edit_url(brief)
    return redirect(back)
