from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from newsbrief.api.api import api
from newsbrief.pictures.views import media
from newsbrief.seo import views as seo

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("newsbrief.seo.urls")),
    path("media/<path:name>", media, name="media"),
    path("", include("newsbrief.phorum.urls")),
    # An address without the language prefix (``/accounts/login/``, as bookmarked) is
    # redirected by LocaleMiddleware to the reader's language.
    *i18n_patterns(
        path("accounts/", include("newsbrief.accounts.urls")),
        path("desk/sources/", include("newsbrief.ingest.urls")),
        path("desk/", include("newsbrief.desk.urls")),
        path("search/", include("newsbrief.search.urls")),
        path("feeds/", include("newsbrief.feeds.urls")),
        path("digest/", include("newsbrief.digest.urls")),
        path("entities/", include("newsbrief.entities.urls")),
        path("site.webmanifest", seo.manifest, name="site-manifest"),
        path("", include("newsbrief.briefs.urls")),
    ),
]
