"""The desk's entities: the panel of a brief's entities on its edit page (confirm, remove,
add: plain POST forms), and the registry (list and search, create, edit, merge), each a thin
view over ``entities.actions``. The registry is for ``roles.can_manage_entities``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from newsbrief.briefs import roles
from newsbrief.briefs.errors import ActionRefused, NotAllowed
from newsbrief.briefs.forms import show_refusal
from newsbrief.briefs.models import Brief
from newsbrief.entities import actions, counting
from newsbrief.entities.actions import EntityFields
from newsbrief.entities.models import BriefEntity, Entity

from .access import acting, check, edit_url, guarded, id_or_none

D = BriefEntity.Decision
#: Names the "add" field suggests (a datalist); the field finds any entity by name.
SUGGESTED = 1000
#: Entities on one page of the registry.
PAGE_SIZE = 50


# -- a brief's panel ------------------------------------------------------------------------


def panel(brief: Brief, user) -> dict:
    """Context for ``desk/_entities.html``: the brief's entities by kind, most sure first,
    with whether readers see them; those an editor removed apart."""
    rows = list(BriefEntity.objects.filter(brief=brief).select_related("entity", "decided_by"))
    threshold = counting.min_confidence()
    groups = []
    for kind, label in Entity.Kind.choices:
        listed = sorted(
            (r for r in rows if r.entity.kind == kind and r.decision != D.REMOVED),
            key=lambda r: (r.decision == D.PROPOSED, -r.confidence, r.entity.name_en),
        )
        items = [
            {"row": r, "percent": round(100 * r.confidence),
             "shown": r.decision != D.PROPOSED or r.confidence >= threshold}
            for r in listed
        ]  # fmt: skip
        groups.append({"kind": kind, "label": label, "items": items})
    return {
        "entity_groups": groups,
        "removed_entities": [r for r in rows if r.decision == D.REMOVED],
        "entity_names": _names(),
        "entity_kinds": Entity.Kind.choices,
        "can_create_entities": roles.can_manage_entities(user),
    }


def _names() -> list[tuple[str, str]]:
    """(name to type, what it is) for the "add" field's suggestions, in the page's language."""
    language = get_language() or "en"
    return [
        (e.name_for(language), f"{e.get_kind_display()}{' · ' + e.acronym if e.acronym else ''}")
        for e in Entity.objects.live().order_by("kind", "name_en")[:SUGGESTED]
    ]


@guarded
@require_POST
def decide(request, pk: int):
    """Confirm, remove or add one of the brief's entities (for every version of it)."""
    brief = get_object_or_404(Brief, pk=pk)
    check(request, roles.can_edit(request.user, brief))
    action = request.POST.get("action", "")
    back = redirect(edit_url(brief) + "#entities")
    with acting(request, brief):
        if action == "new":
            fields = EntityFields(
                kind=request.POST.get("kind", ""),
                name_en=request.POST.get("name_en", ""),
                name_zh_hant=request.POST.get("name_zh_hant", ""),
                acronym=request.POST.get("acronym", ""),
            )
            entity = actions.add_entity(request.user, brief, fields)
            messages.success(request, _("Entity created and added: %(name)s.") % _named(entity))
            return back
        if action == "add" and not request.POST.get("entity"):
            entity = actions.named(request.POST.get("name", ""))
            if entity is None:
                message = _("No entity is named “%(name)s”. Type a name the list suggests.")
                messages.error(request, message % {"name": request.POST.get("name", "")[:200]})
                return back
        else:
            entity = get_object_or_404(Entity, pk=id_or_none(request.POST.get("entity")))
        change = {"confirm": actions.confirm_entity, "remove": actions.remove_entity,
                  "add": actions.add_entity}.get(action)  # fmt: skip
        if change is None:
            messages.error(request, _("That is not something one can do with an entity."))
            return back
        entity = change(request.user, brief, entity)
        done = {
            "confirm": _("Entity confirmed: %(name)s."),
            "remove": _("Entity removed: %(name)s."),
            "add": _("Entity added: %(name)s."),
        }[action]
        messages.success(request, done % _named(entity))
    return back


def _named(entity: Entity) -> dict:
    return {"name": entity.name_for(get_language() or "en")}


# -- the registry ---------------------------------------------------------------------------


class SearchInput(forms.TextInput):
    input_type = "search"


class RegistryFilter(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name contains"), required=False, max_length=200, widget=SearchInput
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Any kind")), *Entity.Kind.choices],
    )


class EntityForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Entity.Kind.choices)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=200)
    name_zh_hant = forms.CharField(
        label=gettext_lazy("Chinese name"), max_length=200, required=False
    )
    acronym = forms.CharField(label=gettext_lazy("Acronym"), max_length=40, required=False)
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("ISO 3166 for a country, the taxonomy's code for a field."),
    )
    slug = forms.CharField(
        label=gettext_lazy("Slug"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Its address; left empty, made from the English name."),
    )
    parent = forms.CharField(
        label=gettext_lazy("Broader entity"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("A field's broader field, an organization's country: its name."),
        widget=forms.TextInput(attrs={"list": "entity-names", "autocomplete": "off"}),
    )
    aliases = forms.CharField(
        label=gettext_lazy("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Other names in either language, one a line."),
    )

    def clean_parent(self):
        text = self.cleaned_data["parent"].strip()
        if not text:
            return None
        parent = actions.named(text)
        if parent is None:
            raise forms.ValidationError(_("No entity is named “%(name)s”.") % {"name": text})
        return parent

    def fields_for(self, entity: Entity | None) -> EntityFields:
        data = self.cleaned_data
        held = dict(entity.aliases.values_list("text", "language")) if entity else {}
        lines = [" ".join(line.split()) for line in data["aliases"].splitlines()]
        return EntityFields(
            kind=data["kind"], name_en=data["name_en"], name_zh_hant=data["name_zh_hant"],
            acronym=data["acronym"], code=data["code"], slug=data["slug"], parent=data["parent"],
            aliases=tuple((t, held.get(t, actions.alias_language(t))) for t in lines if t),
        )  # fmt: skip


def _registry_check(request) -> None:
    check(request, roles.can_manage_entities(request.user))


@guarded
def registry(request):
    """The registry's entities, by kind and name, searchable, a page at a time."""
    _registry_check(request)
    form = RegistryFilter(request.GET)
    q, kind = "", ""
    if form.is_valid():
        q, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    entities = actions.search(q, kind).select_related("parent").order_by("kind", "name_en", "pk")
    page = Paginator(entities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "entities": page.object_list, "section": "desk",
               "filtered": bool(q or kind)}  # fmt: skip
    return render(request, "desk/entity_list.html", context)


@guarded
def entity_edit(request, slug: str | None = None):
    """A new entity, or an edit of one's names, aliases and place."""
    _registry_check(request)
    entity = get_object_or_404(Entity, slug=slug) if slug else None
    if request.method == "POST":
        form = EntityForm(request.POST)
        if form.is_valid():
            try:
                if entity is None:
                    entity = actions.create_entity(request.user, form.fields_for(None))
                    messages.success(request, _("Entity created: %(name)s.") % _named(entity))
                else:
                    entity = actions.update_entity(request.user, entity, form.fields_for(entity))
                    messages.success(request, _("Entity saved: %(name)s.") % _named(entity))
                return redirect("desk:entity", entity.slug)
            except NotAllowed:
                check(request, False)
            except ActionRefused as refused:
                show_refusal(form, refused)
    elif entity is not None:
        form = EntityForm(initial={
            "kind": entity.kind, "name_en": entity.name_en, "name_zh_hant": entity.name_zh_hant,
            "acronym": entity.acronym, "code": entity.code, "slug": entity.slug,
            "parent": entity.parent.name_en if entity.parent else "",
            "aliases": "\n".join(entity.aliases.values_list("text", flat=True)),
        })  # fmt: skip
    else:
        form = EntityForm(initial={"kind": request.GET.get("kind", "")})
    context = {"form": form, "entity": entity, "entity_names": _names(), "section": "desk"}
    if entity is not None:
        context["briefs"] = entity.brief_entities.count()
        context["merged"] = list(entity.merged.order_by("name_en"))
    return render(request, "desk/entity_edit.html", context)


@guarded
def entity_merge(request, slug: str):
    """Merge the entity into another: name the other, see what moves, confirm."""
    _registry_check(request)
    source = get_object_or_404(Entity.objects.live(), slug=slug)
    target, error = None, ""
    text = request.POST.get("target", "") if request.method == "POST" else ""
    if request.method == "POST":
        target = actions.named(text)
        if target is None:
            error = _("No entity is named “%(name)s”.") % {"name": text[:200]}
        elif target.pk == source.pk:
            target, error = None, _("An entity cannot be merged into itself.")
        elif target.kind != source.kind:
            target, error = None, _("Only entities of one kind can be merged.")
    if target is not None and request.POST.get("confirm") == target.slug:
        try:
            actions.merge_entities(request.user, source, target)
        except NotAllowed:
            check(request, False)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect("desk:entity", source.slug)
        message = _("%(source)s was merged into %(target)s.")
        messages.success(request, message % {"source": source.name_en, "target": target.name_en})
        return redirect("desk:entity", target.slug)
    context = {
        "entity": source, "target": target, "target_text": text, "error": error,
        "moving": source.brief_entities.count(), "entity_names": _names(), "section": "desk",
    }  # fmt: skip
    return render(request, "desk/entity_merge.html", context)
