"""The compose form and the publish form. They work without JavaScript: tags are one text
field in editorial order, further-information links one per line."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs import limits
from newsbrief.briefs.content import BriefContent
from newsbrief.briefs.forms import LinksField, TagsField
from newsbrief.briefs.models import LANGUAGE_CHOICES, Brief
from newsbrief.briefs.publishing import content_of
from newsbrief.pictures.models import ALT_MAX, CAPTION_MAX

from .versions import VersionBoundField, VersionPicker


class BriefForm(forms.Form):
    """What an editor types. The rules of a brief (limits, the other version) are the
    actions layer's: the view turns its refusals into errors on these fields."""

    title = forms.CharField(label=_("Title"), max_length=limits.TITLE)
    tags = TagsField(
        widget=forms.TextInput(attrs={"list": "category-names", "autocomplete": "off"})
    )
    body = forms.CharField(
        label=_("Body"),
        max_length=limits.BODY,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: blank lines between paragraphs, [text](https://…) for links."),
    )
    source_name = forms.CharField(label=_("Source"), max_length=limits.SOURCE_NAME, required=False)
    source_date = forms.DateField(
        label=_("Source date"),
        required=False,
        # Date inputs speak ISO whatever the interface language: a localized value would
        # show as empty, and be saved as empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    links = LinksField()
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
        if version is None:
            raise ValidationError(_("There is no other brief with that number."))
        return version

    def content(self, author: str) -> BriefContent:
        """The form as ``BriefContent``; what the form does not hold (identity, workflow,
        related messages) the action takes from the brief."""
        data = self.cleaned_data
        return BriefContent(
            language=data["language"],
            title=data["title"],
            body=data["body"],
            author=author,
            published_at=None,
            tags=data["tags"],
            source_name=data["source_name"],
            source_date=data["source_date"],
            links=data["links"],
            related=content_of(self.brief).related if self.brief else (),
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
        "links": LinksField().prepare_value(list(content_of(brief).links)),
        "language": brief.language,
        "version": version.values_list("pk", flat=True).first(),
        "based_on": latest.number if latest else None,
    }


class PublishForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Leave empty to publish now. An earlier time dates the brief in the past, for old "
            "news; a later time schedules it."
        ),
    )


#: A source older than this is old news: the desk offers to date the brief by it, so that a
#: 2012 story published today takes its place in 2012, not at the top of the board.
OLD_SOURCE = dt.timedelta(days=30)


def source_dated(brief: Brief, now: dt.datetime) -> dt.datetime | None:
    """Noon (board time) of the brief's source date when the source is old news and the
    brief is not already dated that day; else None."""
    day = brief.source_date
    if day is None or day > timezone.localdate(now) - OLD_SOURCE:
        return None
    if brief.published_at and timezone.localtime(brief.published_at).date() == day:
        return None
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


class PictureForm(forms.Form):
    image = forms.FileField(
        label=_("Picture"),
        help_text=_("JPEG, PNG, WebP or GIF (its first frame)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    alt = forms.CharField(
        label=_("Alt text"),
        max_length=ALT_MAX,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=CAPTION_MAX, required=False)
