from django.contrib import admin

from .models import AuditEntry


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
