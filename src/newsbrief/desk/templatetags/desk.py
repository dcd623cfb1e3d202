"""The desk's part of the reader's brief page: an Edit link and, for editors, a warning
when the brief may lag behind its other-language version."""

from django import template

from newsbrief.briefs import drift, roles

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
