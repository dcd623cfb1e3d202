"""The ``NinjaAPI`` at ``/api/``; its OpenAPI schema is ``/api/openapi.json``."""

from ninja import NinjaAPI

from . import errors
from .throttles import THROTTLES
from .views import router

api = NinjaAPI(
    title="newsbrief",
    version="1",
    description=(
        "The Sci-Tech Newsbrief board as JSON. Reading is open to everyone; writing takes an "
        "API token (Authorization: Bearer <token>) of an editor. Every error has the body "
        '{"error": {"code", "message", "fields"}}. Requests beyond a client\'s rate answer '
        "429 with Retry-After."
    ),
    urls_namespace="api",
    # The interactive docs page loads its script from a CDN, which the site's
    # Content-Security-Policy forbids; the schema itself is served.
    docs_url=None,
    throttle=THROTTLES,
)
errors.install(api)
api.add_router("/", router)
