from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and out, password resets, and the sign-in throttle."""

    default = True
    name = "newsbrief.accounts"
    label = "accounts"
    verbose_name = _("Accounts")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on the site in ``sites.py`` (INSTALLED_APPS names this in its place)."""

    default = False
    default_site = "newsbrief.accounts.sites.AdminSite"
