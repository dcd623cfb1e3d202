from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhorumConfig(AppConfig):
    name = "newsbrief.phorum"
    label = "phorum"
    verbose_name = _("Phorum import")
