"""Response headers that the browser enforces on every page, and addresses no page has.

The Content-Security-Policy allows scripts, styles and images from the site itself only:
no inline script or style, no plug-ins, no framing, forms that post only back here. So even
markup that slipped past the sanitizer could not run a script. Django 5.2 has no CSP of its
own (6.0 does); the policy comes from ``NEWSBRIEF_CSP`` in settings.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from newsbrief.api.errors import error_response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(
            " ".join([directive, *sources]) for directive, sources in settings.NEWSBRIEF_CSP.items()
        )
        self.permissions = settings.NEWSBRIEF_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class RefuseNulMiddleware:
    """A NUL character in the address (path or query string) or a cookie is answered 400
    before any view sees it: no page of the board has one, and PostgreSQL refuses text that
    holds one (``A string literal cannot contain NUL``), so every lookup of a slug, a session,
    a search or a filter would answer 500. Under the API's prefix the refusal is the API's
    error body."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.api_prefix = reverse("api:api-root")

    def __call__(self, request):
        texts = [request.path_info, *request.COOKIES, *request.COOKIES.values()]
        texts += [text for key, values in request.GET.lists() for text in (key, *values)]
        if any("\0" in text for text in texts):
            # Before the locale middleware: the refusal speaks the address's language, not
            # whichever one this thread served last.
            language = translation.get_language_from_path(request.path_info)
            translation.activate(language or settings.LANGUAGE_CODE)
            message = _("The address holds a NUL character.")
            if request.path_info.startswith(self.api_prefix):
                return error_response(400, message)
            raise BadRequest(message)
        return self.get_response(request)
