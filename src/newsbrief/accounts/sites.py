"""The admin site: Django's, signing in through the throttled form (one throttle and one lock
for every way in; ``backends.py``)."""

from django.contrib import admin

from .forms import AdminSignInForm
from .views import throttled


class AdminSite(admin.AdminSite):
    login_form = AdminSignInForm

    def login(self, request, extra_context=None):
        return throttled(super().login(request, extra_context))
