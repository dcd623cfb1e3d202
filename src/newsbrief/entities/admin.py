"""The registry in the admin: entities with their aliases inline, saved through the
registry's actions (checks, audit, counts); a merge action with a confirmation; the briefs'
entities listed with filters (decisions are made on the desk)."""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsbrief.briefs import roles
from newsbrief.briefs.admin import DeletedByAction
from newsbrief.briefs.errors import ActionRefused
from newsbrief.briefs.forms import show_refusal

from . import actions
from .actions import EntityFields
from .models import Alias, BriefEntity, Entity


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["text", "language", "kind"]


class EntityAdminForm(forms.ModelForm):
    class Meta:
        model = Entity
        fields = ["kind", "slug", "code", "name_en", "name_zh_hant", "acronym", "parent"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                actions.checked(fields_of(data), self.instance if self.instance.pk else None)
            except ActionRefused as refused:
                show_refusal(self, refused)
        return data


def fields_of(data: dict) -> EntityFields:
    """The form's fields as the registry's actions take them (aliases are the inline's)."""
    return EntityFields(
        kind=data.get("kind") or "", name_en=data.get("name_en") or "",
        name_zh_hant=data.get("name_zh_hant") or "", acronym=data.get("acronym") or "",
        code=data.get("code") or "", parent=data.get("parent"), slug=data.get("slug") or "",
    )  # fmt: skip


@admin.register(Entity)
class EntityAdmin(DeletedByAction):
    delete_action = actions.delete_entity
    form = EntityAdminForm
    list_display = ["name_en", "name_zh_hant", "acronym", "kind", "code", "merged_into"]
    list_filter = ["kind", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["name_en", "name_zh_hant", "acronym", "slug", "aliases__text"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["merged_into"]
    inlines = [AliasInline]
    actions = ["merge_selected"]

    def _may(self, request) -> bool:
        return roles.can_manage_entities(request.user)

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request)

    def has_delete_permission(self, request, obj=None):
        return self._may(request)

    def save_model(self, request, obj, form, change):
        """Through ``create_entity`` / ``update_entity`` with the entity's aliases as they
        are; the inline then saves the aliases' changes."""
        fields = fields_of(form.cleaned_data)
        if change:
            entity = Entity.objects.get(pk=obj.pk)
            held = tuple(entity.aliases.values_list("text", "language"))
            fields = dataclasses.replace(fields, aliases=held)
            saved = actions.update_entity(request.user, entity, fields)
        else:
            saved = actions.create_entity(request.user, fields)
        form.instance = obj
        obj.pk, obj.slug = saved.pk, saved.slug

    @admin.action(description=gettext_lazy("Merge the selected entities into one of them"))
    def merge_selected(self, request, queryset):
        """Asks which one the others merge into (a confirmation page), then merges."""
        chosen = list(queryset.filter(merged_into__isnull=True))
        target = next((e for e in chosen if str(e.pk) == request.POST.get("target")), None)
        if "apply" in request.POST and target is not None:
            merged = 0
            for source in chosen:
                if source.pk == target.pk:
                    continue
                try:
                    with transaction.atomic():
                        actions.merge_entities(request.user, source, target)
                except ActionRefused as refused:
                    self.message_user(request, f"{source}: {refused.message}", messages.WARNING)
                else:
                    merged += 1
            self.message_user(
                request,
                _("%(n)s entities merged into %(target)s.") % {"n": merged, "target": target},
            )
            return None
        if len(chosen) < 2:
            self.message_user(request, _("Select two entities or more to merge."), messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge entities"),
            "entities": [(e, e.brief_entities.count()) for e in chosen],
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/entities/merge.html", context)


@admin.register(BriefEntity)
class BriefEntityAdmin(admin.ModelAdmin):
    """Shown, not edited: decisions are made on the desk (every version at once)."""

    list_display = ["brief", "entity", "decision", "confidence", "evidence", "decided_by",
                    "decided_at"]  # fmt: skip
    list_filter = ["decision", "entity__kind", "language", "status", "board"]
    search_fields = ["entity__name_en", "entity__name_zh_hant", "brief__title"]
    list_select_related = ["brief", "entity", "decided_by"]
    raw_id_fields = ["brief", "entity"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
