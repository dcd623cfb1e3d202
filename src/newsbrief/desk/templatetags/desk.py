"""The desk's part of the reader's brief page: an Edit link and, for editors, a warning
when the brief may lag behind its other-language version."""

from django import template

from newsbrief.briefs import drift, roles

from .. import source_lines

register = template.Library()


@register.inclusion_tag("desk/_brief_tools.html", takes_context=True)
def brief_tools(context, brief):
    user = context["request"].user
    if not roles.can_edit(user, brief):
        return {"show": False}
    return {
        "show": True,
        "brief": brief,
        "drift": drift.drift_of(brief),
        "request": context["request"],
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@register.simple_tag
def repeated_source_line(form) -> str:
    """The source line the compose form's body repeats at its start (``CENS.com
    (2012/06/01)``, which the brief page prints before the body), or ``""``."""
    return source_lines.repeated_line(form)
