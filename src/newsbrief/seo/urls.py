from django.urls import path

from . import views

app_name = "seo"
urlpatterns = [
    path("sitemap.xml", views.index, name="index"),
    path("sitemap-<str:section>.xml", views.section, name="section"),
    path("robots.txt", views.robots, name="robots"),
]
