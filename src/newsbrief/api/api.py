"""The ``NinjaAPI`` at ``/api/``; its OpenAPI schema is ``/api/openapi.json``, its interactive
documentation ``/api/docs``."""

from ninja import NinjaAPI, Swagger

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
    # The interactive docs (/api/docs): Swagger UI from ninja's own static files ("ninja" is
    # an installed app), within the site's Content-Security-Policy; no online validator badge,
    # which would load an image from elsewhere.
    docs=Swagger(settings={"validatorUrl": None}),
    throttle=THROTTLES,
)
errors.install(api)
api.add_router("/", router)
