"""The admin: boards, categories, old addresses, the audit log, and briefs through the
actions layer (every save a revision by the admin user, with the desk's checks)."""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import actions, roles
from .forms import LinksField, TagsField, show_refusal
from .legacy import InvalidAddress, canonical_address
from .models import AuditEntry, Board, Brief, Category, LegacyAddress, RelatedLink, Revision
from .publishing import content_of


class DeletedByAction(admin.ModelAdmin):
    """A model admin whose deletes go through the actions layer (``delete_action(user,
    obj)``): what goes with the object (a brief's revisions and tags, an entity's aliases and
    counts) is the action's to decide, not each row's own delete permission."""

    delete_action = None

    def get_deleted_objects(self, objs, request):
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        type(self).delete_action(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            type(self).delete_action(request.user, obj)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh_hant", "created_at"]
    fieldsets = [
        (gettext_lazy("English"), {"fields": ["name", "tagline", "footer"]}),
        (
            gettext_lazy("Traditional Chinese"),
            {
                "fields": ["name_zh_hant", "tagline_zh_hant", "footer_zh_hant"],
                "description": gettext_lazy("Left empty, a Chinese page shows the English."),
            },
        ),
        (None, {"fields": ["languages"]}),
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_zh_hant"]
    search_fields = ["slug", "name_en", "name_zh_hant"]


class RelatedLinkInline(admin.TabularInline):
    """Shown, not edited: the desk curates related messages (with revisions)."""

    model = RelatedLink
    fk_name = "brief"
    extra = 0
    fields = readonly_fields = ["rank", "cited_title", "cited_date", "target", "origin"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LegacyAddressForm(forms.ModelForm):
    class Meta:
        model = LegacyAddress
        fields = ["address", "brief"]

    def clean_address(self) -> str:
        """Stored as requests are looked up: in the canonical form."""
        try:
            return canonical_address(self.cleaned_data["address"])
        except InvalidAddress as error:
            raise forms.ValidationError(str(error)) from None


class LegacyAddressInline(admin.TabularInline):
    model = LegacyAddress
    form = LegacyAddressForm
    extra = 0


class BriefAdminForm(forms.ModelForm):
    """The brief's content as the desk's form holds it; saving is ``actions.edit_brief``."""

    tags = TagsField(widget=forms.TextInput(attrs={"size": 80}))
    links = LinksField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Brief
        fields = ["title", "language", "tags", "body", "source_name", "source_date", "links"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            content = content_of(self.instance)
            latest = self.instance.latest_revision()
            self.initial |= {
                "tags": content.tags,
                "links": content.links,
                "based_on": latest.number if latest else None,
            }

    def content(self):
        data = self.cleaned_data
        return dataclasses.replace(
            content_of(self.instance),
            title=data["title"],
            language=data["language"],
            tags=data["tags"],
            body=data["body"],
            source_name=data["source_name"],
            source_date=data["source_date"],
            links=data["links"],
        )


class _Rehearsed(Exception):
    pass


@admin.register(Brief)
class BriefAdmin(DeletedByAction):
    """Briefs are written on the desk; the admin may change an existing one's content, and
    each save is an edit by the admin user through the actions layer (a revision, the audit
    log, the same refusals, shown as form errors). Adding goes to the desk's compose page."""

    delete_action = actions.delete_brief

    form = BriefAdminForm
    list_display = ["title", "language", "status", "published_at", "author"]
    list_filter = ["language", "status", "board"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    inlines = [RelatedLinkInline, LegacyAddressInline]
    readonly_fields = ["uid", "board", "author", "status", "published_at", "desk_link"]
    actions = ["publish_selected", "unpublish_selected"]

    @admin.display(description=gettext_lazy("on the desk"))
    def desk_link(self, obj):
        url = reverse("desk:edit", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit, publish and curate on the desk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return roles.can_use_desk(request.user)
        return roles.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return roles.can_use_desk(request.user)
        return roles.can_delete(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)

        class ActingForm(base):
            def clean(form):
                data = super().clean()
                if not form.errors:
                    self._rehearse(request, form)
                return data

        return ActingForm

    def _edit(self, request, form):
        return actions.edit_brief(
            request.user,
            Brief.objects.get(pk=form.instance.pk),
            form.content(),
            based_on=form.cleaned_data.get("based_on"),
        )

    def _rehearse(self, request, form) -> None:
        """The edit, rolled back, while the form can still show its refusals as errors
        (``save_model`` runs it for real once the inlines are valid too)."""
        try:
            with transaction.atomic():
                self._edit(request, form)
                raise _Rehearsed
        except _Rehearsed:
            pass
        except actions.ActionRefused as refused:
            show_refusal(form, refused)

    def save_model(self, request, obj, form, change):
        try:
            self._edit(request, form)
        except actions.ActionRefused as refused:  # someone saved between check and save
            self.message_user(request, refused.message, messages.ERROR)
        form.instance.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _each(self, request, queryset, action, done: str):
        changed = 0
        for brief in queryset:
            try:
                action(request.user, brief)
            except actions.ActionRefused as refused:
                self.message_user(request, f"{brief}: {refused.message}", messages.WARNING)
            else:
                changed += 1
        self.message_user(request, done % {"n": changed})

    @admin.action(description=gettext_lazy("Publish the selected briefs now"))
    def publish_selected(self, request, queryset):
        self._each(request, queryset, actions.publish, _("%(n)s briefs published."))

    @admin.action(description=gettext_lazy("Unpublish the selected briefs"))
    def unpublish_selected(self, request, queryset):
        self._each(request, queryset, actions.unpublish, _("%(n)s briefs unpublished."))


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["brief", "number", "created_at", "editor", "origin"]
    readonly_fields = ["brief", "number", "created_at", "editor", "origin", "content"]

    def has_add_permission(self, request):
        """Revisions are written by ``save_brief`` alone, with the brief they record."""
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, for site admins to read; nobody edits or deletes it here."""

    list_display = ["at", "actor", "action", "subject", "detail"]
    list_filter = ["action"]
    search_fields = ["subject", "detail", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
