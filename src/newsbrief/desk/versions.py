"""Choosing the other-language version on the compose form by its title.

The form's ``version`` field keeps its meaning (the pk of the linked brief, empty for none)
so that saving is unchanged; only its widget differs: radio buttons for no version, the
chosen one, and the briefs that a search by title found. The search is a submit button
("Find") that shows the compose form again with what was typed kept (``composing``), so
it works without JavaScript.
"""

import dataclasses

from django import forms
from django.db.models import Exists, OuterRef, Q

from newsbrief.briefs.models import Brief
from newsbrief.briefs.text import normalize_title

#: The search box's name; not a field of the form, so saving ignores it.
QUERY = "version_q"
#: The button that runs the search.
FIND = "find_version"
#: How many found briefs the form offers.
RESULTS = 20


@dataclasses.dataclass(frozen=True)
class Search:
    query: str
    results: list[Brief]
    more: bool = False


def find(query: str, language: str, brief: Brief | None, visible=None) -> Search:
    """Briefs whose title contains ``query`` (or whose number it is) that can be the
    ``language`` brief's other version: not in ``language``, not ``brief`` itself, and not
    already paired with another ``language`` brief. ``visible`` is the queryset to search
    (what the editor may see); the most recently updated come first."""
    words = normalize_title(query)
    if not words:
        return Search(query, [])
    briefs = Brief.objects.all() if visible is None else visible
    match = Q(title_key__contains=words)
    if words.lstrip("#").isdigit():
        match |= Q(pk=int(words.lstrip("#")))
    briefs = briefs.filter(match)
    if brief is not None:
        briefs = briefs.exclude(pk=brief.pk)
    if language:
        taken = Brief.objects.filter(translation_key=OuterRef("translation_key"), language=language)
        if brief is not None:
            taken = taken.exclude(pk=brief.pk)
        briefs = briefs.exclude(language=language).exclude(Exists(taken))
    found = list(briefs.select_related("author").order_by("-updated_at", "-pk")[: RESULTS + 1])
    return Search(query, found[:RESULTS], more=len(found) > RESULTS)


def chosen(value) -> Brief | None:
    try:
        return Brief.objects.filter(pk=int(value)).first() if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class VersionPicker(forms.Widget):
    """Radio buttons whose values are brief numbers, and the search box that fills them."""

    template_name = "desk/widgets/version_picker.html"
    use_fieldset = True
    form = None  # the form being rendered, set by ``VersionBoundField``

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        current = chosen(value)
        search = getattr(self.form, "version_search", None)
        results = [b for b in search.results if b != current] if search else []
        context["widget"].update(
            chosen=current,
            search=search,
            results=results,
            query_name=QUERY,
            find_name=FIND,
        )
        return context

    def id_for_label(self, id_, index=None):
        # The legend names the group; each radio has a label of its own.
        return ""


class VersionBoundField(forms.BoundField):
    """Lets the widget see its form (the search it ran, if any)."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        widget.form = self.form
        return super().as_widget(widget, attrs, only_initial)
