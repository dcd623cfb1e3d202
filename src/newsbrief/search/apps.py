from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "newsbrief.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import checks, receivers  # noqa: F401
