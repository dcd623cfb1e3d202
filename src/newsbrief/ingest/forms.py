from django import forms
from django.utils.translation import gettext_lazy as _

from .fetch import FetchError, check_url
from .models import Source


class SourceForm(forms.ModelForm):
    """A source, on the desk's page and in the admin: only addresses ingestion will fetch,
    checked as a fetch checks them (resolved, public, ports 80 and 443, no user name)."""

    url = forms.URLField(label=_("address"), max_length=2000, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["name", "kind", "url", "language"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except FetchError as exc:
            raise forms.ValidationError(str(exc)) from None
        return url
