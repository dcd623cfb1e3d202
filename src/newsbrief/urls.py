from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from newsbrief.api.api import api
from newsbrief.pictures.views import media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("newsbrief.accounts.urls")),
    path("api/", api.urls),
    path("media/<path:name>", media, name="media"),
    *i18n_patterns(
        path("desk/sources/", include("newsbrief.ingest.urls")),
        path("desk/", include("newsbrief.desk.urls")),
        path("search/", include("newsbrief.search.urls")),
        path("feeds/", include("newsbrief.feeds.urls")),
        path("digest/", include("newsbrief.digest.urls")),
        path("", include("newsbrief.briefs.urls")),
    ),
]
