"""The WSGI application: Django, behind the fast path that answers anonymous readers from
the stored pages (``newsbrief.pages.serving``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsbrief.settings")
application = get_wsgi_application()

from newsbrief.pages.serving import StoredPages  # noqa: E402 (needs the settings loaded)

application = StoredPages(application)

from django.urls import get_resolver  # noqa: E402

from newsbrief.related.live import warm  # noqa: E402

# Each worker process imports every view, and loads the embedding model, the analyzer's
# dictionaries and the related index, as it starts: no reader or editor waits for them in a
# request (related/live.py).
get_resolver().url_patterns  # noqa: B018 (the access imports the URLconf)
warm()
