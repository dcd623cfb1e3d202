from django.contrib import admin

from .models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "state", "language", "frequency", "confirmed_at", "bounces"]
    list_filter = ["state", "language", "frequency"]
    search_fields = ["email"]
    readonly_fields = ["token", "created_at", "confirmation_sent_at", "confirmed_at"]
    filter_horizontal = ["categories"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The send ledger, read-only: ``digest send`` alone writes it."""

    list_display = ["subscription", "end", "state", "briefs", "attempts", "sent_at"]
    list_filter = ["state"]
    search_fields = ["subscription__email", "message_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
