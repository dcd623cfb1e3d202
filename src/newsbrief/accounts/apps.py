from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and out, password resets, and the sign-in throttle."""

    name = "newsbrief.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
