"""The desk's views of proposals: what the edit page shows (related messages to accept,
reject, reorder or pin; likely tags; the likely other-language version) and the POSTs that
act on them. Ranking itself is ``newsbrief.related``'s."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from newsbrief.briefs import actions, roles
from newsbrief.briefs.models import Brief, Category
from newsbrief.related import curation, proposals
from newsbrief.related.models import Verdict

from .access import acting, check, edit_url, guarded, id_or_none

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


CURATION = {
    "accept": curation.accept,
    "reject": curation.reject,
    "pin": curation.pin,
    "unpin": lambda actor, brief, target: curation.pin(actor, brief, target, pinned=False),
    "remove": curation.remove,
    "up": lambda actor, brief, target: curation.move(actor, brief, target, -1),
    "down": lambda actor, brief, target: curation.move(actor, brief, target, 1),
}


def _brief_and(request, pk: int, model, field: str):
    brief = get_object_or_404(Brief, pk=pk)
    check(request, roles.can_edit(request.user, brief))
    return brief, get_object_or_404(model, pk=id_or_none(request.POST.get(field)))


@guarded
@require_POST
def related(request, pk: int):
    brief, target = _brief_and(request, pk, Brief, "target")
    action = CURATION.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("That is not something one can do with a related message."))
    else:
        with acting(request, brief):
            action(request.user, brief, target)
            messages.success(request, _("Related messages updated."))
    return redirect(edit_url(brief) + "#related-messages")


@guarded
@require_POST
def counterpart(request, pk: int):
    """Confirm ``target`` as the other-language version of the brief: they share a
    translation key from now on (a new revision of the brief)."""
    brief, target = _brief_and(request, pk, Brief, "target")
    with acting(request, brief):
        actions.link_version(request.user, brief, target)
        messages.success(request, _("Linked as the other-language version."))
    return redirect(edit_url(brief))


@guarded
@require_POST
def add_tag(request, pk: int):
    brief, category = _brief_and(request, pk, Category, "category")
    with acting(request, brief):
        actions.add_tag(request.user, brief, category)
        messages.success(
            request, _("Tag added: %(name)s.") % {"name": category.name_for(brief.language)}
        )
    return redirect(edit_url(brief))
