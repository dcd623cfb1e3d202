"""``/<language>/accounts/``: Django's own sign-in, sign-out and password views, with the
throttled sign-in view and the reset naming the board in front, and the user's API tokens."""

from django.urls import include, path

from . import tokens
from .views import BoardPasswordResetView, SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("password_reset/", BoardPasswordResetView.as_view(), name="password_reset"),
    path("tokens/", tokens.tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", tokens.revoke, name="api_token_revoke"),
    path("", include("django.contrib.auth.urls")),
]
