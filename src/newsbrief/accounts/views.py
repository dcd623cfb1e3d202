from django.contrib.auth.views import LoginView, PasswordResetView
from django.shortcuts import render
from django.utils.translation import get_language

from newsbrief.briefs.context_processors import board_words

from .forms import SignInForm


def throttled(response):
    """A sign-in page's answer; 429 with ``Retry-After`` when the throttle refused the attempt."""
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is not None and form.has_error("__all__", "throttled"):
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response


class SignInView(LoginView):
    """``/<language>/accounts/login/``."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return throttled(super().form_invalid(form))


class BoardPasswordResetView(PasswordResetView):
    """The reset mail, rendered in the page's language (its link under the same prefix),
    names the board in that language rather than the host."""

    @property
    def extra_email_context(self):
        return {"site_name": board_words(self.request.board, get_language())["board_name"]}


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form refused for its CSRF token (mostly an expired page) is a
    403 in the board's layout and the reader's language, saying what to do, not Django's
    English page for developers."""
    return render(request, "403_csrf.html", status=403)
