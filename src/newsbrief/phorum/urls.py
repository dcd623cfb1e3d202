from django.conf import settings
from django.urls import path, re_path

from . import addresses

#: Not under a language prefix: ``/en/read.php`` is not the old board's, so a 404 there is
#: not redirected by the locale middleware to another 404.
_NOT_A_LANGUAGE = "".join(f"(?!{code}/)" for code, _name in settings.LANGUAGES)

app_name = "phorum"
urlpatterns = [
    path("phorum/files/<int:file_id>/<str:name>", addresses.attachment, name="file"),
    # The old board's scripts, wherever it was installed (``/phorum/read.php`` too).
    re_path(
        rf"^{_NOT_A_LANGUAGE}(?:.*/)?(?P<script>{'|'.join(addresses.SCRIPTS)})\.php$",
        addresses.old_address,
        name="old-address",
    ),
]
