"""The WSGI application: Django, behind the fast path that answers anonymous readers from
the stored pages (``newsbrief.pages.serving``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsbrief.settings")
application = get_wsgi_application()

from newsbrief.pages.serving import StoredPages  # noqa: E402 (needs the settings loaded)

application = StoredPages(application)

from newsbrief.related.live import warm  # noqa: E402

# Each worker process loads the embedding model and the related index as it starts, so that
# no reader or editor waits for them in a request (related/live.py).
warm()
