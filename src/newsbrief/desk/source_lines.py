"""The compose form's body and the source line the brief page prints before it: a body
imported from the old board often repeats that line at its start, once or several times."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError

from newsbrief.briefs.publishing import source_line
from newsbrief.briefs.text import strip_repeated_source_line

#: The value of ``fix`` that asks for the body without its repeated source line.
FIX = "source-line"


def _source_of(form) -> SimpleNamespace:
    """The source name and date the compose ``form`` (bound or not) holds now."""
    try:
        date = form.fields["source_date"].to_python(form["source_date"].value())
    except ValidationError:
        date = None
    return SimpleNamespace(source_name=str(form["source_name"].value() or ""), source_date=date)


def fixed_body(form, body: str | None = None) -> str | None:
    """``body`` (default: the form's) without the source line(s) it repeats at its start,
    or ``None`` when it repeats none."""
    source = _source_of(form)
    if body is None:
        body = form["body"].value()
    return strip_repeated_source_line(str(body or ""), source.source_name, source.source_date)


def repeated_line(form) -> str:
    """The source line that the form's body repeats, as the page prints it, or ``""``."""
    return source_line(_source_of(form)) if fixed_body(form) is not None else ""
