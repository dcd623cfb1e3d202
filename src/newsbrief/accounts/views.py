from django.contrib.auth.views import LoginView

from .forms import SignInForm


class SignInView(LoginView):
    """``/accounts/login/``: a throttled attempt answers 429 with ``Retry-After``."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response
