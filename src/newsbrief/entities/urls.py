"""The reader's entity pages, under each language prefix (``/en/entities/...``)."""

from django.urls import path

from . import views

app_name = "entities"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
]
