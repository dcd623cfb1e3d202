"""``sitemap.xml``, its sections, ``robots.txt`` and the web manifest.

A sitemap is rendered once and kept in the cache under the page store's epoch, which every
change to what a reader's page shows advances (``pages/store.py``, across processes): a
publication is in the sitemap the next time it is asked for, and nothing else re-renders it.
The time limit bounds what the epoch cannot see (a store that is off)."""

import json

from django.conf import settings
from django.contrib.sitemaps import views as sitemaps
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from newsbrief.pages.store import get_store

from .addresses import absolute
from .meta import board_name
from .sitemaps import BriefSitemap, EntitySitemap, ListingSitemap, brief_sections

SITEMAP_SECONDS = 3600
XML = "application/xml"


def _cached(name: str, render) -> HttpResponse:
    key = f"seo:sitemap:{get_store().epoch()}:{name}"
    body = cache.get(key)
    if body is None:
        response = render()
        response.render()
        body = response.content
        cache.set(key, body, SITEMAP_SECONDS)
    response = HttpResponse(body, content_type=XML)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _section_url(section: str) -> str:
    return absolute(reverse("seo:section", args=[section]))


@require_safe
def index(request):
    """Django's index template over sections found without counting them (its own view
    counts every section's pages)."""

    def render():
        sections = ["listings", "entities", *(f"briefs-{n}" for n in brief_sections())]
        items = [sitemaps.SitemapIndexItem(_section_url(s)) for s in sections]
        return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type=XML)

    return _cached("index", render)


@require_safe
def section(request, section: str):
    if section == "listings":
        site = ListingSitemap()
    elif section == "entities":
        site = EntitySitemap()
    else:
        prefix, _, number = section.partition("-")
        if prefix != "briefs" or not number.isdigit() or len(number) > 12:
            raise Http404("no such sitemap section")
        site = BriefSitemap(int(number))
    if request.GET:
        raise Http404("a section is one page")

    def render():
        if not site.items():
            raise Http404("no brief in this section")
        # Django's template, without its {% spaceless %}: that alone doubles the render.
        return sitemaps.sitemap(request, {section: site}, section, "seo/sitemap.xml")

    return _cached(section, render)


@require_safe
@cache_control(max_age=86400, public=True)
def robots(request):
    languages = [code for code, _name in settings.LANGUAGES]
    rules = ["/admin/", "/accounts/", "/api/"]
    for code in languages:
        rules += [f"/{code}/{folder}/" for folder in ("desk", "accounts", "digest")]
        rules.append(f"/{code}/search/?")  # results pages; the empty search form stays
    lines = ["User-agent: *", "Allow: /api/docs", *(f"Disallow: {rule}" for rule in rules)]
    lines += ["", f"Sitemap: {absolute(reverse('seo:index'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def manifest(request):
    """The board as an installable app, named in the reader's language."""
    language = get_language()
    name = board_name(request.board, language)
    icons = [
        {"src": static(f"seo/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append({"src": static("seo/icon.svg"), "sizes": "any", "type": "image/svg+xml"})
    body = {
        "name": name,
        "short_name": name,
        "lang": language,
        "start_url": reverse("briefs:index"),
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#fdfdfb",
        "theme_color": "#0b5394",
        "icons": icons,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )
