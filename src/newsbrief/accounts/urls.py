"""``/accounts/``: Django's own sign-in, sign-out and password views, with the throttled
sign-in view in front."""

from django.urls import include, path

from .views import SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("", include("django.contrib.auth.urls")),
]
