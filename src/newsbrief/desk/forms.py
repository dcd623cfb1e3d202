"""The compose form and the publish form. They work without JavaScript: tags are one text
field in editorial order, further-information links one per line."""

import datetime as dt
import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.content import BriefContent, Link
from newsbrief.briefs.models import LANGUAGE_CHOICES, Brief
from newsbrief.briefs.publishing import content_of

from .versions import VersionBoundField, VersionPicker

TAG_SEPARATORS = re.compile(r"[,，、]")
check_url = URLValidator(schemes=["http", "https"])


class BriefForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    tags = forms.CharField(
        label=_("Category tags"),
        required=False,
        widget=forms.TextInput(attrs={"list": "category-names", "autocomplete": "off"}),
        help_text=_("In order, separated by commas; pick existing ones or type new ones."),
    )
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: blank lines between paragraphs, [text](https://…) for links."),
    )
    source_name = forms.CharField(label=_("Source"), max_length=200, required=False)
    source_date = forms.DateField(
        label=_("Source date"),
        required=False,
        # Date inputs speak ISO whatever the interface language: a localized value would
        # show as empty, and be saved as empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    links = forms.CharField(
        label=_("Further information"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: label | https://address | YYYY-MM-DD (address, date optional)."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    version = forms.IntegerField(
        label=_("Other-language version"),
        required=False,
        min_value=1,
        # A brief's number, chosen from the briefs a search by title finds.
        widget=VersionPicker,
        bound_field_class=VersionBoundField,
        help_text=_("The brief this one translates: find it by words of its title."),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, brief: Brief | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.brief = brief
        # An edit must say which revision it started from, or a conflict could go unseen.
        self.fields["based_on"].required = brief is not None

    def clean_version(self) -> Brief | None:
        number = self.cleaned_data["version"]
        if number is None:
            return None
        version = Brief.objects.filter(pk=number).first()
        if version is None or version == self.brief:
            raise ValidationError(_("There is no other brief with that number."))
        return version

    def clean_tags(self) -> tuple[str, ...]:
        names = [" ".join(t.split()) for t in TAG_SEPARATORS.split(self.cleaned_data["tags"])]
        names = tuple(dict.fromkeys(n for n in names if n))
        if any(len(n) > 120 for n in names):
            raise ValidationError(_("A tag can be at most 120 characters long."))
        return names

    def clean_links(self) -> tuple[Link, ...]:
        links = []
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), 1):
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
            if not label or len(label) > 300:
                raise ValidationError(_("Line %(n)s needs a label."), params={"n": number})
            links.append(Link(label, url, when))
        return tuple(links)

    def clean(self):
        data = super().clean()
        version, language = data.get("version"), data.get("language")
        if version is not None and language:
            if version.language == language:
                self.add_error("version", _("The other version must be in another language."))
            else:
                taken = Brief.objects.filter(
                    translation_key=version.translation_key, language=language
                )
                if self.brief is not None:
                    taken = taken.exclude(pk=self.brief.pk)
                if taken.exists():
                    self.add_error(
                        "version", _("That brief already has a version in this language.")
                    )
        return data

    def translation_key(self) -> uuid.UUID | None:
        """The key shared with the chosen version; a new one when the link is removed."""
        version = self.cleaned_data.get("version")
        if version is not None:
            return version.translation_key
        if self.brief is None:
            return None
        paired = Brief.objects.filter(translation_key=self.brief.translation_key)
        return uuid.uuid4() if paired.exclude(pk=self.brief.pk).exists() else None

    def content(self, author: str) -> BriefContent:
        """The form as ``BriefContent``; workflow fields stay as the brief has them."""
        data = self.cleaned_data
        brief = self.brief
        return BriefContent(
            uid=brief.uid if brief else None,
            translation_key=self.translation_key(),
            board=brief.board.name if brief else "",
            language=data["language"],
            title=data["title"],
            body=data["body"],
            author=brief.author.get_username() if brief else author,
            published_at=brief.published_at if brief else None,
            tags=data["tags"],
            source_name=data["source_name"],
            source_date=data["source_date"],
            links=data["links"],
            related=content_of(brief).related if brief else (),
        )


def initial_for(brief: Brief) -> dict:
    latest = brief.latest_revision()
    version = Brief.objects.filter(translation_key=brief.translation_key).exclude(pk=brief.pk)
    return {
        "title": brief.title,
        "tags": ", ".join(brief.tag_names()),
        "body": brief.body,
        "source_name": brief.source_name,
        "source_date": brief.source_date,
        "links": "\n".join(
            " | ".join(p for p in (x.label, x.url, x.date.isoformat() if x.date else "") if p)
            for x in brief.source_links.all()
        ),
        "language": brief.language,
        "version": version.values_list("pk", flat=True).first(),
        "based_on": latest.number if latest else None,
    }


class PublishForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish now; a later time schedules the brief."),
    )
