from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    name = "newsbrief.briefs"
    label = "briefs"
    verbose_name = _("Briefs")

    def ready(self):
        # The installation's own checks (secret key, replicas), with the core app.
        from newsbrief import checks  # noqa: F401

        from . import (
            audit,  # noqa: F401  (connects the role-change receivers)
            listing,  # noqa: F401  (counts what a delete takes away)
            lookups,  # noqa: F401  (integers out of range in ``__in``)
        )
