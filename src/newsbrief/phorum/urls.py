from django.urls import path, re_path

from . import addresses

app_name = "phorum"
urlpatterns = [
    path("phorum/files/<int:file_id>/<str:name>", addresses.attachment, name="file"),
    # The old board's scripts, wherever it was installed (``/phorum/read.php`` too).
    re_path(
        rf"^(?:.*/)?(?P<script>{'|'.join(addresses.SCRIPTS)})\.php$",
        addresses.old_address,
        name="old-address",
    ),
]
