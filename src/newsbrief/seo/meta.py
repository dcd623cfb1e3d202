"""What the head of a page tells search engines and link previews: its canonical address,
its language alternates, a description, OpenGraph and Twitter cards.

``page_meta`` is every page's, from the request and the view's context; ``brief_meta`` a
brief's, which speaks for the brief's own address whichever interface shows it."""

from types import SimpleNamespace

from django.conf import settings
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from newsbrief.briefs.templatetags.board import month_title

from .addresses import LOCALES, absolute, brief_alternates, brief_path, canonical_path

DESCRIPTION_CHARS = 160


def excerpt(html: str, chars: int = DESCRIPTION_CHARS) -> str:
    """The text of ``html`` on one line, cut at a word near ``chars``."""
    text = " ".join(strip_tags(html).split())
    return Truncator(text).chars(chars)


def _language(code: str) -> str:
    return "zh-hant" if code.startswith("zh") else "en"


def board_name(board, language: str) -> str:
    if board:
        return board.name_for(language)
    with override(language):
        return _("Sci-Tech Newsbrief")


def _locales(language: str, others) -> list[tuple[str, str]]:
    own = LOCALES[language]
    alternates = [LOCALES[code] for code in others if LOCALES[code] != own]
    return [("og:locale", own), *(("og:locale:alternate", code) for code in alternates)]


def _listing_words(context, name: str) -> tuple[str, str]:
    """The title and description of a reader's page that is not a brief."""
    view = context["request"].resolver_match
    view_name = view.view_name if view else ""
    board = context.get("board")
    tagline = board.tagline_for(get_language()) if board else ""
    # A view's own context: an error page for its address (a 404 for a missing category) has not.
    category, month = context.get("category"), context.get("month")
    entity = context.get("entity")
    if view_name == "entities:detail" and entity:
        title = entity.name_for(get_language())
        return title, _("Briefs naming %(entity)s on %(board)s, and its timeline.") % {
            "entity": title,
            "board": name,
        }
    if view_name == "entities:index":
        return _("Countries, organizations and fields"), _(
            "Every country, organization and field the briefs of %(board)s name."
        ) % {"board": name}
    if view_name == "briefs:category" and category:
        title = category.name_for(get_language())
        return title, _("Briefs in %(category)s, newest first, on %(board)s.") % {
            "category": title,
            "board": name,
        }
    if view_name == "briefs:archive_month" and month:
        title = month_title(month)
        return title, _("The briefs of %(month)s on %(board)s.") % {"month": title, "board": name}
    if view_name == "briefs:categories":
        return _("Categories"), _("Every category of %(board)s, with its briefs.") % {"board": name}
    if view_name == "briefs:archive":
        return _("Archive"), _("The briefs of %(board)s, month by month.") % {"board": name}
    return name, tagline or _(
        "Science and technology news in brief, in English and Traditional Chinese."
    )


def page_meta(context) -> dict:
    request = context["request"]
    language = _language(get_language())
    path = canonical_path(request)
    codes = [code for code, _name in settings.LANGUAGES]
    alternates = []
    if translate_url(path, codes[-1]) != translate_url(path, codes[0]):  # under a language prefix
        alternates = [(code, absolute(translate_url(path, code)), "") for code in codes]
        # The address without a prefix answers in the reader's language (LocaleMiddleware),
        # as django.contrib.sitemaps declares it.
        default = translate_url(path, settings.LANGUAGE_CODE)
        unprefixed = default.replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
        alternates.append(("x-default", absolute(unprefixed), ""))
    name = board_name(context.get("board"), language)
    title, description = _listing_words(context, name)
    og = [
        ("og:type", "website"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", absolute(path)),
        ("og:site_name", name),
        *_locales(language, codes),
    ]
    return {
        "canonical": absolute(path),
        "alternates": alternates,
        "description": description,
        "og": og,
        "twitter_card": "summary",
    }


def brief_meta(context, brief, versions) -> dict:
    """For the brief's own address; ``share_image`` in the context (``url`` absolute,
    ``width``, ``height``, ``alt``) is its picture for link previews."""
    url = absolute(brief_path(brief))
    description = excerpt(brief.body_html)
    og = [
        ("og:type", "article"),
        ("og:title", brief.title),
        ("og:description", description),
        ("og:url", url),
        ("og:site_name", board_name(brief.board, brief.language)),
        *_locales(brief.language, [v.language for v in versions]),
    ]
    image = context.get("share_image")
    if image:
        if image.url.startswith("/"):
            image = SimpleNamespace(**{**vars(image), "url": absolute(image.url)})
        og += [
            ("og:image", image.url),
            ("og:image:width", str(image.width)),
            ("og:image:height", str(image.height)),
            ("og:image:alt", image.alt),
        ]
    if brief.published_at:
        og.append(("article:published_time", brief.published_at.isoformat()))
    og.append(("article:modified_time", brief.updated_at.isoformat()))
    og += [("article:tag", category.name_for(brief.language)) for category in brief.tags]
    return {
        "canonical": url,
        "alternates": brief_alternates(brief, versions),
        "description": description,
        "og": og,
        "twitter_card": "summary_large_image" if image else "summary",
        "image": image,
    }
