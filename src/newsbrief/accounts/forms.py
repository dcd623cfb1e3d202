from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import throttle


class ThrottledSignIn:
    """For a sign-in form: the throttle's refusal (made by the authentication backend, before
    any password check) as its own error, with ``retry_after`` for the view's 429."""

    retry_after = 0

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            self.retry_after = throttle.refused_for(self.request)
            if not self.retry_after:
                raise
        raise forms.ValidationError(
            ngettext(
                "Too many failed sign-ins. Try again in %(seconds)d second.",
                "Too many failed sign-ins. Try again in %(seconds)d seconds.",
                self.retry_after,
            )
            % {"seconds": self.retry_after},
            code="throttled",
        )


class SignInForm(ThrottledSignIn, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That account name and password do not match. Both are case-sensitive."),
    }


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    """The admin's sign-in form (``sites.py``)."""


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “newsroom import script”."),
    )
