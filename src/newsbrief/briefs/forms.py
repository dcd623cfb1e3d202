"""What the desk's compose form and the admin share: the plain-text notation for a brief's
tags and links (tags one text in editorial order, links one per line), and the way an
action's refusal shows on a form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .content import TAG_SEPARATORS, Link, check_url


class TagsField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Category tags"))
        kwargs.setdefault(
            "help_text", _("In order, separated by commas; pick existing ones or type new ones.")
        )
        super().__init__(required=False, **kwargs)

    def clean(self, value) -> tuple[str, ...]:
        names = (" ".join(t.split()) for t in TAG_SEPARATORS.split(super().clean(value)))
        return tuple(dict.fromkeys(n for n in names if n))

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


class LinksField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Further information"))
        kwargs.setdefault(
            "help_text",
            _("One per line: label | https://address | YYYY-MM-DD (address, date optional)."),
        )
        super().__init__(required=False, **kwargs)

    def clean(self, value) -> tuple[Link, ...]:
        links = []
        for number, line in enumerate(super().clean(value).splitlines(), 1):
            if not line.strip():
                continue
            label, url, date, *extra = [*(p.strip() for p in line.split("|")), "", ""]
            if any(extra):
                raise ValidationError(_("Line %(n)s has too many parts."), params={"n": number})
            try:
                if url:
                    check_url(url)
                when = dt.date.fromisoformat(date) if date else None
            except (ValidationError, ValueError):
                raise ValidationError(
                    _("Line %(n)s needs an http(s) address and a YYYY-MM-DD date."),
                    params={"n": number},
                ) from None
            if not label:
                raise ValidationError(_("Line %(n)s needs a label."), params={"n": number})
            links.append(Link(label, url, when))
        return tuple(links)

    def prepare_value(self, value):
        if not isinstance(value, list | tuple):
            return value
        return "\n".join(
            " | ".join(p for p in (x.label, x.url, x.date.isoformat() if x.date else "") if p)
            for x in value
        )


def show_refusal(form, refused) -> None:
    """An action's refusal as errors on the form's fields of the same names (a fault of
    ``links.0.url`` on ``links``), or on the whole form when no field of it is at fault."""
    faults = getattr(refused, "fields", {}).items() or [(None, [refused.message])]
    for field, problems in faults:
        name = field.split(".")[0] if field else None
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
