from django.urls import path, register_converter

from . import views


class TokenConverter:
    """A subscription's token (``secrets.token_urlsafe``): anything else is not looked up."""

    regex = r"[-\w]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "digest"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<token:token>/", views.confirm, name="confirm"),
    path("manage/<token:token>/", views.manage, name="manage"),
    path("unsubscribe/<token:token>/", views.unsubscribe, name="unsubscribe"),
]
