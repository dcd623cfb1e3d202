from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("", views.sources, name="sources"),
    path("<int:pk>/active/", views.set_active, name="set_active"),
]
