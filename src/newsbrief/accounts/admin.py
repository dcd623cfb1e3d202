from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken, SignInThrottle


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    """Lets an admin see and lift locks (deleting a row lifts it)."""

    list_display = ["key", "failures", "last_failure", "locked_until"]
    search_fields = ["key"]
    readonly_fields = ["key", "failures", "last_failure", "locked_until"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Site admins see every API token, make one for any user (shown once, on the page
    after saving) and revoke them."""

    list_display = ["name", "user", "prefix", "created", "last_used", "revoked"]
    list_filter = [("revoked", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    raw_id_fields = ["user"]
    actions = ["revoke_tokens"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return ["user", "name", "prefix", "created", "last_used", "revoked"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", "prefix", "created", "last_used", "revoked"]

    def save_model(self, request, obj, form, change):
        if not change:
            request.new_api_token = obj.set_secret()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "new_token": request.new_api_token,
            "title": _("API token created"),
        }
        response = TemplateResponse(request, "admin/accounts/apitoken/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request, queryset):
        count = queryset.filter(revoked=None).update(revoked=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
        )
