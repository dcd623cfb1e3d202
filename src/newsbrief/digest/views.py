"""The subscriber's pages: subscribe, confirm, change preferences, unsubscribe.

Links in e-mail lead to a page with a button, and only the button's POST acts: mail scanners
and link previews that fetch every link cannot confirm or cancel anyone.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsbrief.accounts.rates import limit
from newsbrief.briefs.models import reader_language

from . import subscriptions
from .forms import PreferencesForm, SubscribeForm
from .models import Subscription

State = Subscription.State


@require_http_methods(["GET", "HEAD", "POST"])
@limit("NEWSBRIEF_THROTTLE_SUBSCRIBE", methods=("POST",))  # each request sends a mail
def subscribe(request):
    language = reader_language()
    form = SubscribeForm(request.POST or None, initial={"language": language})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subscriptions.request(
            data["email"], data["language"], data["frequency"], data["categories"]
        )
        return redirect("digest:sent")
    return render(request, "digest/subscribe.html", {"form": form, "section": "digest"})


def sent(request):
    return render(request, "digest/sent.html", {"section": "digest"})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    subscription = get_object_or_404(Subscription, token=token)
    pending = subscription.state == State.PENDING
    expired = pending and subscriptions.expired(subscription)
    if request.method == "POST" and pending and not expired:
        subscription.confirm()
    context = {"subscription": subscription, "expired": expired, "section": "digest"}
    return render(request, "digest/confirm.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token: str):
    subscription = get_object_or_404(Subscription, token=token, state=State.ACTIVE)
    form = PreferencesForm(request.POST or None, instance=subscription)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        form.save()
    context = {"subscription": subscription, "form": form, "saved": saved, "section": "digest"}
    return render(request, "digest/manage.html", context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET: a page with the button. POST: unsubscribe, from that button or from a mail
    client's one-click unsubscribe (RFC 8058), which posts ``List-Unsubscribe=One-Click`` here
    with no cookie and no CSRF token. The token in the address is what authorizes it, so
    CSRF protection would add nothing and is off for this view alone."""
    subscription = get_object_or_404(Subscription, token=token)
    if request.method == "POST" and subscription.state != State.UNSUBSCRIBED:
        subscription.unsubscribe()
    return render(
        request, "digest/unsubscribe.html", {"subscription": subscription, "section": "digest"}
    )
