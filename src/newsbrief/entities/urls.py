"""The reader's entity pages, under each language prefix (``/en/entities/...``)."""

from django.urls import path

from . import views

app_name = "entities"
urlpatterns: list = [
    # Facets: the briefs naming the selected entities, within a page's scope.
    path("browse/", views.browse, name="browse"),
]
