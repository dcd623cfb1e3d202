"""``newsbrief check``: the public origin that canonical addresses and the sitemap name."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host


@checks.register()
def check_base_url(app_configs=None, **kwargs):
    host = urlsplit(settings.NEWSBRIEF_BASE_URL).hostname or ""
    if settings.DEBUG or validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        checks.Warning(
            f"NEWSBRIEF_BASE_URL ({settings.NEWSBRIEF_BASE_URL}) names a host the board does "
            "not answer to (NEWSBRIEF_ALLOWED_HOSTS): every page's canonical address, its "
            "language alternates, link previews and the sitemap point there.",
            hint="Set NEWSBRIEF_BASE_URL to the board's public address, e.g. "
            "https://news.example.org.",
            id="seo.W001",
        )
    ]
