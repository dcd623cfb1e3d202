"""The desk's side of proposals: what the edit page shows (related messages to accept,
reject, reorder or pin; likely tags; the likely other-language version) and the POSTs that
act on them. Ranking itself is ``newsbrief.related``'s."""

import dataclasses

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from newsbrief.briefs.models import Brief, Category
from newsbrief.briefs.publishing import RevisionConflict, content_of, save_brief
from newsbrief.related import curation, proposals
from newsbrief.related.models import Verdict

from . import roles
from .access import check, edit_url, guarded

#: Proposals and tag suggestions an edit page lists.
SHOWN = 10
TAGS_SHOWN = 5
#: A tag suggested with less confidence is not worth an editor's attention.
MIN_CONFIDENCE = 0.05


def panel(brief: Brief | None, title: str = "", body: str = "", language: str = "en") -> dict:
    """Context for ``desk/_proposals.html``: for a saved brief everything; for text not yet
    saved (a preview of a new brief), the tag suggestions and the proposals, to act on once
    the draft is saved."""
    if brief is None:
        if not (title or body).strip():
            return {}
        return {
            "suggested_tags": _shown(proposals.suggest_tags(title, body, language, TAGS_SHOWN)),
            "proposals": proposals.propose_for_text(title, body, language, SHOWN),
        }
    links = list(brief.related_links.select_related("target"))
    pinned = set(
        Verdict.objects.filter(brief=brief, kind=Verdict.Kind.PINNED).values_list(
            "target_id", flat=True
        )
    )
    linked = {link.target_id for link in links}
    tagged = {c.pk for c in brief.tags}
    suggested = proposals.suggest_tags_for(brief, TAGS_SHOWN + len(tagged))
    return {
        "related_links": [(link, link.target_id in pinned) for link in links],
        "proposals": [
            p for p in proposals.propose_related(brief, SHOWN) if p.brief.pk not in linked
        ],
        "suggested_tags": _shown([(c, x) for c, x in suggested if c.pk not in tagged]),
        "counterparts": proposals.propose_counterparts(brief),
    }


def _shown(suggested: list[tuple[Category, float]]) -> list[tuple[Category, int]]:
    """The suggestions worth showing, with their confidence in percent."""
    return [(c, round(100 * x)) for c, x in suggested if x >= MIN_CONFIDENCE][:TAGS_SHOWN]


ACTIONS = {
    "accept": lambda brief, target, user: curation.accept(brief, target, user),
    "reject": lambda brief, target, user: curation.reject(brief, target, user),
    "pin": lambda brief, target, user: curation.pin(brief, target, user),
    "unpin": lambda brief, target, user: curation.pin(brief, target, user, pinned=False),
    "up": lambda brief, target, user: curation.move(brief, target, -1),
    "down": lambda brief, target, user: curation.move(brief, target, 1),
}


def _brief_and_target(request, pk):
    brief = get_object_or_404(Brief, pk=pk)
    check(request, roles.can_edit(request.user, brief))
    target = get_object_or_404(Brief, pk=request.POST.get("target") or 0)
    return brief, target


@guarded
@require_POST
def related(request, pk: int):
    brief, target = _brief_and_target(request, pk)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None or target.pk == brief.pk:
        messages.error(request, _("That is not something one can do with a related message."))
    else:
        action(brief, target, request.user)
        messages.success(request, _("Related messages updated."))
    return redirect(edit_url(brief) + "#related-messages")


@guarded
@require_POST
def counterpart(request, pk: int):
    """Confirm ``target`` as the other-language version of the brief: they share a
    translation key from now on (a new revision of the brief)."""
    brief, target = _brief_and_target(request, pk)
    taken = Brief.objects.filter(translation_key=target.translation_key, language=brief.language)
    if target.language == brief.language or taken.exclude(pk=brief.pk).exists():
        messages.error(request, _("That brief cannot be this brief's other-language version."))
        return redirect(edit_url(brief))
    return _save(
        request,
        brief,
        dataclasses.replace(content_of(brief), translation_key=target.translation_key),
        _("Linked as the other-language version."),
    )


@guarded
@require_POST
def add_tag(request, pk: int):
    brief = get_object_or_404(Brief, pk=pk)
    check(request, roles.can_edit(request.user, brief))
    category = get_object_or_404(Category, pk=request.POST.get("category") or 0)
    content = content_of(brief)
    name = category.name_for(brief.language)
    if name in content.tags:
        return redirect(edit_url(brief))
    return _save(
        request,
        brief,
        dataclasses.replace(content, tags=(*content.tags, name)),
        _("Tag added: %(name)s.") % {"name": name},
    )


def _save(request, brief, content, done: str):
    latest = brief.latest_revision()
    try:
        save_brief(
            content,
            editor=request.user.get_username(),
            status=brief.status,
            based_on=latest.number if latest else None,
        )
    except RevisionConflict:
        messages.error(request, _("Someone saved this brief meanwhile; please try again."))
    else:
        messages.success(request, done)
    return redirect(edit_url(brief))
