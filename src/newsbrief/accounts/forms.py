from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import throttle


class SignInForm(AuthenticationForm):
    """Django's sign-in form behind the throttle: a throttled attempt is refused before
    the password is checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That account name and password do not match. Both are case-sensitive."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        self.retry_after = throttle.seconds_to_wait(username, address)
        if self.retry_after:
            raise forms.ValidationError(
                ngettext(
                    "Too many failed sign-ins. Try again in %(seconds)d second.",
                    "Too many failed sign-ins. Try again in %(seconds)d seconds.",
                    self.retry_after,
                )
                % {"seconds": self.retry_after},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “newsroom import script”."),
    )
