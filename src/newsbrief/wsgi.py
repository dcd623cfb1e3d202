"""The WSGI application: Django, behind the fast path that answers anonymous readers from
the stored pages (``newsbrief.pages.serving``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsbrief.settings")
application = get_wsgi_application()

from newsbrief.pages.serving import StoredPages  # noqa: E402 (needs the settings loaded)

application = StoredPages(application)
