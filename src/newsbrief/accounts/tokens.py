"""``/<language>/accounts/tokens/``: a signed-in user's API tokens. A new token is shown
once, on the page that made it, and never again (only its digest is kept); revoking one ends
it at once."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm
from .models import ApiToken


@login_required
def tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST" and form.is_valid():
        _row, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = ApiTokenForm()
        status = 201
    context = {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token}
    response = render(request, "accounts/tokens.html", context, status=status)
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request, pk: int):
    get_object_or_404(ApiToken, pk=pk, user=request.user).revoke()
    return redirect("api_tokens")
