"""Absolute addresses on the board's public origin (``NEWSBRIEF_BASE_URL``)."""

import re
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils import translation

#: OpenGraph's locale for each interface language.
LOCALES = {"en": "en_US", "zh-hant": "zh_TW"}


def absolute(path: str) -> str:
    return settings.NEWSBRIEF_BASE_URL + path


def canonical_path(request) -> str:
    """The page's path without its query string's noise (``?lang=``, ``?page=1``, tracking
    parameters); a listing's later page keeps its number, being a page of its own."""
    page = request.GET.get("page", "")
    # ASCII digits of a number a listing can reach (``"²".isdigit()``, and 5,000 digits are
    # more than ``int`` reads).
    if re.fullmatch(r"[0-9]{1,18}", page) and int(page) > 1:
        return f"{request.path}?page={int(page)}"
    return request.path


def brief_path(brief) -> str:
    """A brief's own address: under its own language's prefix, whichever one it is read
    under."""
    return _detail_path(brief.language).format(pk=brief.pk)


@cache
def _detail_path(language: str) -> str:
    """The brief address's pattern in ``language``, reversed once: a sitemap section names
    thousands of briefs, and activating a language for each costs a tenth of a millisecond."""
    with translation.override(language):
        return reverse("briefs:detail", args=[0]).replace("/0/", "/{pk}/")


def brief_alternates(brief, versions) -> list[tuple[str, str, str]]:
    """``(hreflang, absolute address, title)``: one per language version (in ``LANGUAGES``'
    order), then ``x-default``, the version in the board's default language (else this
    one)."""
    order = [code for code, _name in settings.LANGUAGES]
    ordered = sorted([brief, *versions], key=lambda v: order.index(v.language))
    by_language = {v.language: (v.language, absolute(brief_path(v)), v.title) for v in ordered}
    default = by_language.get(settings.LANGUAGE_CODE, by_language[brief.language])
    return [*by_language.values(), ("x-default", default[1], default[2])]
