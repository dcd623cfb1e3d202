"""API tokens: ``Authorization: Bearer <token>``.

Only tokens authenticate a request: session cookies are never read, so a page on another
site cannot make a signed-in browser write through the API, and the API needs no CSRF token.
Reading works without a token (as the public); a token that is sent must be valid.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from newsbrief.accounts.models import ApiToken

from .errors import ApiError

MAX_TOKEN_LENGTH = 200


class TokenAuth(HttpBearer):
    """The token's user on ``request.auth``; with ``optional``, a request without a token
    is the anonymous public."""

    def __init__(self, optional: bool = False):
        super().__init__()
        self.optional = optional

    def __call__(self, request):
        header = request.headers.get(self.header, "")
        if not header:
            return AnonymousUser() if self.optional else None
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise ApiError(401, _("Send a valid API token: Authorization: Bearer <token>."))
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        user = ApiToken.user_for(token) if 0 < len(token) <= MAX_TOKEN_LENGTH else None
        if user is None:
            raise ApiError(401, _("This API token is not valid, or has been revoked."))
        return user


public = TokenAuth(optional=True)
editor = TokenAuth()
#: For an operation that anyone may call, with or without a token.
OPTIONAL_TOKEN = {"security": [{}, {"TokenAuth": []}]}
