"""Pictures in the admin: listed, and described or removed through the actions (uploads are
the desk's and the API's, which check the file)."""

from django.contrib import admin
from django.utils.html import format_html

from . import actions
from .models import Picture


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt", "brief", "position", "width", "height", "created_at"]
    list_select_related = ["brief"]
    search_fields = ["alt", "caption", "brief__title"]
    fields = ["thumbnail", "brief", "alt", "caption", "position", "width", "height", "digest"]
    readonly_fields = ["thumbnail", "brief", "position", "width", "height", "digest"]

    @admin.display(description="")
    def thumbnail(self, picture: Picture):
        small = picture.thumbnail
        return format_html('<img src="{}" alt="" width="120">', small["url"])

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        actions.update_picture(request.user, obj, obj.alt, obj.caption)

    def delete_model(self, request, obj):
        actions.remove_picture(request.user, obj)

    def delete_queryset(self, request, queryset):
        for picture in queryset.select_related("brief"):
            actions.remove_picture(request.user, picture)
