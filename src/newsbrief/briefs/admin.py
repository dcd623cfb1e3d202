from django import forms
from django.contrib import admin

from .legacy import InvalidAddress, canonical_address
from .models import (
    Board,
    Brief,
    BriefTag,
    Category,
    LegacyAddress,
    RelatedLink,
    Revision,
    SourceLink,
)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_zh_hant"]
    search_fields = ["slug", "name_en", "name_zh_hant"]


class BriefTagInline(admin.TabularInline):
    model = BriefTag
    extra = 0


class SourceLinkInline(admin.TabularInline):
    model = SourceLink
    extra = 0


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "brief"
    extra = 0
    raw_id_fields = ["target"]
    readonly_fields = ["origin"]


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


@admin.register(Brief)
class BriefAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "status", "published_at", "author"]
    list_filter = ["language", "status", "board"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    inlines = [BriefTagInline, SourceLinkInline, RelatedLinkInline, LegacyAddressInline]
    readonly_fields = ["uid"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["brief", "number", "created_at", "editor", "origin"]
    readonly_fields = ["brief", "number", "created_at", "editor", "origin", "content"]
