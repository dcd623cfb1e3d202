from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelatedConfig(AppConfig):
    name = "newsbrief.related"
    verbose_name = _("Related messages")

    def ready(self):
        from . import receivers  # noqa: F401
