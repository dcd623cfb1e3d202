"""The reader's entity pages, under each language prefix (``/en/entities/...``)."""

from django.urls import path

from . import browse, views

app_name = "entities"
urlpatterns: list = [
    path("", views.index, name="index"),
    # Facets: the briefs naming the selected entities, within a page's scope.
    path("browse/", browse.browse, name="browse"),
    path("<slug:slug>/", views.detail, name="detail"),
]
