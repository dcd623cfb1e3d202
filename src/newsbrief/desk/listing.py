"""Every brief on the desk, for an editor of a large archive: search by title, filters,
sortable columns and pages, all in the query string so that a list can be bookmarked and
works without JavaScript.

The same role rules as the dashboard: anyone who may use the desk sees every brief, except
that editors who cannot publish do not see other people's drafts. The archive can hold a
million briefs, so the page counts its rows once (the paginator's count) and the title
search looks in ``title_key``, the normalized title the model keeps indexed, instead of
folding every title's case in the query.
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs import roles
from newsbrief.briefs.models import LANGUAGE_CHOICES, Brief, Category
from newsbrief.briefs.text import normalize_title

from .access import check, guarded

#: Briefs on one page of the list.
PAGE_SIZE = 50

#: The columns that sort, by the key the query string gives (``-`` for descending), and
#: what they sort by; ``pk`` breaks ties so that pages never overlap.
SORTS = {
    "title": ("title_key",),
    "updated": ("updated_at",),
    "published": ("published_at",),
    "status": ("status",),
}
DEFAULT_SORT = "-updated"


class SearchInput(forms.TextInput):
    input_type = "search"


class BriefFilterForm(forms.Form):
    """The list's filters, read from the query string; a value that does not validate is
    ignored rather than refused."""

    title = forms.CharField(
        label=_("Title contains"),
        required=False,
        max_length=200,
        widget=SearchInput,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Brief.Status.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGE_CHOICES]
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("Any category"),
    )
    author = forms.ModelChoiceField(
        label=_("Author"),
        required=False,
        queryset=get_user_model().objects.order_by("username"),
        to_field_name="username",
        empty_label=_("Anyone"),
    )
    date_field = forms.ChoiceField(
        label=_("Date"),
        required=False,
        choices=[("updated", _("Updated")), ("published", _("Published"))],
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = lambda c: c.name_for(language)


def visible_briefs(user):
    """What ``user`` may see on the desk's list: the rule every interface shares."""
    return roles.visible_briefs(user, timezone.now())


def filtered(briefs, data: dict):
    """``briefs`` narrowed by the cleaned filters ``data``."""
    if words := normalize_title(data.get("title") or ""):
        briefs = briefs.filter(title_key__contains=words)
    if data.get("status"):
        briefs = briefs.filter(status=data["status"])
    if data.get("language"):
        briefs = briefs.filter(language=data["language"])
    if data.get("category"):
        briefs = briefs.filter(brief_tags__category=data["category"])
    if data.get("author"):
        briefs = briefs.filter(author=data["author"])
    field = "published_at" if data.get("date_field") == "published" else "updated_at"
    # Whole days in the board's time zone: "to" includes the day it names.
    if data.get("date_from"):
        briefs = briefs.filter(**{f"{field}__gte": _start_of(data["date_from"])})
    if data.get("date_to"):
        briefs = briefs.filter(**{f"{field}__lt": _start_of(data["date_to"] + dt.timedelta(1))})
    return briefs


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def sort_key(value: str | None) -> str:
    """The sort the query string asks for, if it is one of ``SORTS``."""
    if value and value.removeprefix("-") in SORTS:
        return value
    return DEFAULT_SORT


def ordered(briefs, key: str):
    descending = key.startswith("-")
    fields = [*SORTS[key.removeprefix("-")], "pk"]
    if key.removeprefix("-") == "published":
        # Unpublished briefs have no publication time: last either way, on every database.
        nulls = {"nulls_last": True}
        return briefs.order_by(
            *(F(f).desc(**nulls) if descending else F(f).asc(**nulls) for f in fields)
        )
    return briefs.order_by(*(f"-{f}" if descending else f for f in fields))


def columns(key: str) -> list[dict]:
    """The table's headers: each sortable one links to its sort (the sorted one to the
    reverse) and says how the list is sorted (``aria-sort``)."""
    labels = {
        "title": _("Brief"),
        "status": _("Status"),
        "published": _("Published"),
        "updated": _("Updated"),
    }
    current, descending = key.removeprefix("-"), key.startswith("-")
    result = []
    for name in ("title", "language", "status", "author", "published", "updated"):
        if name not in SORTS:
            label = {"language": _("Language"), "author": _("Author")}[name]
            result.append({"label": label})
            continue
        column = {"label": labels[name], "sort": None, "link": name}
        if name == current:
            column["sort"] = "descending" if descending else "ascending"
            column["link"] = name if descending else f"-{name}"
        elif name in ("published", "updated"):
            column["link"] = f"-{name}"  # dates sort newest first on the first click
        result.append(column)
    return result


@guarded
def brief_list(request):
    check(request, roles.can_use_desk(request.user))
    language = "zh-hant" if request.LANGUAGE_CODE.startswith("zh") else "en"
    form = BriefFilterForm(request.GET, language=language)
    form.is_valid()  # what does not validate is left out of cleaned_data, so ignored
    data = form.cleaned_data
    key = sort_key(request.GET.get("sort"))
    briefs = ordered(filtered(visible_briefs(request.user), data), key)
    paginator = Paginator(briefs.select_related("author"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # Tags only for the page's rows, once the page is known.
    rows = list(page.object_list.prefetch_related("brief_tags__category"))
    context = {
        "form": form,
        "page": page,
        "briefs": rows,
        "columns": columns(key),
        "sort": key,
        "filtered": any(data.get(k) for k in data if k != "date_field"),
        "section": "desk",
    }
    return render(request, "desk/brief_list.html", context)
