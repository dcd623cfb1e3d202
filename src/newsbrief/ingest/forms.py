from django import forms

from .fetch import FetchError, check_url
from .models import Source


class SourceForm(forms.ModelForm):
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
