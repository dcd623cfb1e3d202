"""The desk's part of the reader's brief page: an Edit link and, for editors, a warning
when the brief may lag behind its other-language version or has none at all."""

from django import template

from newsbrief.briefs import drift, roles
from newsbrief.briefs.models import LANGUAGE_CHOICES, Brief

from .. import source_lines

register = template.Library()


@register.inclusion_tag("desk/_brief_tools.html", takes_context=True)
def brief_tools(context, brief):
    user = context["request"].user
    if not roles.can_edit(user, brief):
        return {"show": False}
    # Drafts count: a version on its way is not missing.
    versions = Brief.objects.filter(translation_key=brief.translation_key).exclude(pk=brief.pk)
    have = {brief.language, *versions.values_list("language", flat=True)}
    return {
        "show": True,
        "brief": brief,
        "drift": drift.drift_of(brief),
        "missing_languages": [(code, name) for code, name in LANGUAGE_CHOICES if code not in have],
        "request": context["request"],
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@register.simple_tag
def repeated_source_line(form) -> str:
    """The source line the compose form's body repeats at its start (``CENS.com
    (2012/06/01)``, which the brief page prints before the body), or ``""``."""
    return source_lines.repeated_line(form)
