from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PicturesConfig(AppConfig):
    name = "newsbrief.pictures"
    label = "pictures"
    verbose_name = _("Pictures")
