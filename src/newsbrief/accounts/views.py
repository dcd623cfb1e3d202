from django.contrib.auth.views import LoginView

from .forms import SignInForm


def throttled(response):
    """A sign-in page's answer; 429 with ``Retry-After`` when the throttle refused the attempt."""
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is not None and form.has_error("__all__", "throttled"):
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response


class SignInView(LoginView):
    """``/accounts/login/``."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return throttled(super().form_invalid(form))
