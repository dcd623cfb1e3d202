from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "rss|atom"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class LanguageConverter(FormatConverter):
    regex = "en|zh-hant"


class SlugConverter(FormatConverter):
    """A category slug (``slugify(..., allow_unicode=True)`` makes them): anything else,
    a NUL byte say, is not looked up at all."""

    regex = r"[-\w]{1,120}"


register_converter(FormatConverter, "feed_format")
register_converter(SlugConverter, "category_slug")
register_converter(LanguageConverter, "brief_language")

app_name = "feeds"
urlpatterns = [
    path("<feed_format:fmt>/", views.feed, name="board"),
    path("<brief_language:language>/<feed_format:fmt>/", views.feed, name="language"),
    path(
        "categories/<category_slug:slug>/<brief_language:language>/<feed_format:fmt>/",
        views.feed,
        name="category",
    ),
    path(
        "entities/<category_slug:slug>/<brief_language:language>/<feed_format:fmt>/",
        views.entity,
        name="entity",
    ),
    # Before categories had a feed per language: redirected to the interface language's.
    path("categories/<category_slug:slug>/<feed_format:fmt>/", views.category),
    path("feed.xsl", views.stylesheet, name="stylesheet"),
]
