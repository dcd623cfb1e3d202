"""The picture files, for a board served without a front server (``newsbrief serve`` alone,
development). WhiteNoise serves only the files it saw at start-up, and pictures arrive while
it runs, so this view serves them; behind nginx, the site ``newsbrief pages nginx`` prints
serves the same directory itself and this view is never reached."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from .processing import EXTENSIONS, MEDIA_TYPES

#: A file's name carries the hash of its content: it never changes while it exists.
CACHE_CONTROL = "public, max-age=31536000, immutable"
TYPES = {f".{extension}": MEDIA_TYPES[kind] for kind, extension in EXTENSIONS.items()}


@require_safe
def media(request, name: str):
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or path.suffix not in TYPES or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=TYPES[path.suffix])
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
