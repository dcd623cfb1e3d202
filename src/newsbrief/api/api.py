"""The ``NinjaAPI`` at ``/api/``; its OpenAPI schema is ``/api/openapi.json``."""

from ninja import NinjaAPI

from . import errors
from .views import router

api = NinjaAPI(
    title="newsbrief",
    version="1",
    description=(
        "The Sci-Tech Newsbrief board as JSON. Reading is open to everyone; writing takes an "
        "API token (Authorization: Bearer <token>) of an editor. Every error has the body "
        '{"error": {"code", "message", "fields"}}.'
    ),
    urls_namespace="api",
    # The interactive docs page loads its script from a CDN, which the site's
    # Content-Security-Policy forbids; the schema itself is served.
    docs_url=None,
)
errors.install(api)
api.add_router("/", router)
