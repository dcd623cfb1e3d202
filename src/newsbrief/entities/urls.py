"""The reader's entity pages, under each language prefix (``/en/entities/...``)."""

from django.urls import path  # noqa: F401 (the views' entries follow)

app_name = "entities"
urlpatterns: list = []
