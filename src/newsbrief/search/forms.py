from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import LANGUAGE_CHOICES, BriefTag, Category


class SearchForm(forms.Form):
    """The results page's query and filters; a filter that does not validate is left out
    (and said so), never an error page."""

    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    lang = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *LANGUAGE_CHOICES],
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    author = forms.CharField(label=_("Author"), required=False, max_length=150, strip=True)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput())

    FILTERS = ("lang", "category", "author", "date_from", "date_to")

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        # EXISTS per category stops at its first published brief; a DISTINCT over the join
        # read every tag of the archive (seconds at a million briefs, on every search).
        tagged = BriefTag.objects.filter(category=OuterRef("pk"), brief__status="published")
        categories = sorted(
            Category.objects.filter(Exists(tagged)),
            key=lambda c: c.name_for(language).casefold(),
        )
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.slug, c.name_for(language)) for c in categories
        ]

    def value(self, name: str):
        """The field's clean value, or empty when it did not validate."""
        if not self.is_bound or name in self.errors:
            return None
        return self.cleaned_data.get(name) or None

    @property
    def query(self) -> str:
        return (self.data.get("q") or "").strip()

    @property
    def filtered(self) -> bool:
        return any(self.value(name) for name in self.FILTERS)
