from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "newsbrief.entities"
    label = "entities"
    verbose_name = _("Entities")

    def ready(self) -> None:
        from . import receivers, tasks  # noqa: F401 (tasks: the sweep, in every process)
