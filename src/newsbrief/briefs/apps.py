from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    name = "newsbrief.briefs"
    label = "briefs"
    verbose_name = _("Briefs")

    def ready(self):
        from . import audit  # noqa: F401  (connects the role-change receivers)
