from django.contrib import admin

from .models import SignInThrottle


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    """Lets an admin see and lift locks (deleting a row lifts it)."""

    list_display = ["key", "failures", "last_failure", "locked_until"]
    search_fields = ["key"]
    readonly_fields = ["key", "failures", "last_failure", "locked_until"]

    def has_add_permission(self, request):
        return False
