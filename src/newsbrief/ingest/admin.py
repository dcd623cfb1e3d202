from django.contrib import admin

from .forms import SourceForm
from .models import Item, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ["name", "kind", "url", "language", "active", "last_fetched_at", "last_error"]
    list_filter = ["kind", "language", "active"]
    search_fields = ["name", "url"]
    readonly_fields = [
        "last_fetched_at", "last_error", "last_error_at", "etag", "last_modified",
        "created_by", "created_at",
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """What ingestion has seen, for a site admin to look into; deleting an item lets the
    next run take its article again."""

    list_display = ["url", "source", "brief", "created_at"]
    list_filter = ["source"]
    search_fields = ["url", "guid"]
    readonly_fields = ["source", "guid", "url", "brief", "created_at"]

    def has_add_permission(self, request):
        return False
