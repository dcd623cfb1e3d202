from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "newsbrief.desk"
    verbose_name = _("Editor's desk")

    def ready(self):
        from . import audit  # noqa: F401  (connects the role-change receivers)
