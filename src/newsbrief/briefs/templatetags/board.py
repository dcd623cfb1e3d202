"""Template filters for the board's own ways of writing dates, tags and edit trails."""

from django import template
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import dates, text

register = template.Library()


@register.filter
def board_datetime(value, style: str = "long") -> str:
    """``March 20, 2012 09:20PM`` / ``2012年3月20日 下午09:20``, in the board's time."""
    if not value:
        return ""
    return dates.format_datetime(timezone.localtime(value), get_language(), style)


@register.filter
def slash_date(value) -> str:
    """``2012/03/19``."""
    return dates.format_date(value) if value else ""


@register.filter
def month_title(value) -> str:
    """``March 2012`` / ``2012年3月`` for a date or datetime in the month."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return dates.format_month(value.year, value.month, get_language())


@register.filter
def name_in(category, language: str | None = None) -> str:
    """A category's name in ``language`` (default: the reader's)."""
    return category.name_for(language or get_language())


@register.simple_tag(takes_context=True)
def url_in_language(context, language: str) -> str:
    """This page's address in another interface language."""
    return translate_url(context["request"].get_full_path(), language)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """This page's query string with ``changes`` applied (``None`` removes a key)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return f"?{query.urlencode()}" if query else "?"


@register.filter
def version_label(brief) -> str:
    """The seed's link label, naming the language of the version it leads to."""
    return _("Chinese Version") if brief.language.startswith("zh") else _("English Version")


@register.filter
def excerpt(body_html: str) -> str:
    """The opening words of a brief's body as plain text, for a listing."""
    return text.excerpt(body_html)


@register.filter
def url_in_its_language(brief) -> str:
    """The brief's address under the interface language it is written in, so that "Chinese
    Version" opens the Chinese text under Chinese headings, not English ones."""
    with translation.override(brief.language):
        return brief.get_absolute_url()


@register.simple_tag
def edit_trail(revision) -> str:
    """``Edited 2 time(s). Last edit at 03/20/2012 09:25PM by techman.``"""
    if revision is None or not revision.number:
        return ""
    return _("Edited %(count)s time(s). Last edit at %(time)s by %(editor)s.") % {
        "count": revision.number,
        "time": board_datetime(revision.created_at, "short"),
        "editor": revision.editor.get_username(),
    }
