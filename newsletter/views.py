"""Unsubscribing, from the link in each subscriber's digest: no login, the signed link suffices."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsletter.digest import UNSUBSCRIBE_SALT
from newsletter.models import Subscriber


# The signed token in the address is the credential, not a session, so there is nothing for a
# forged cross-site request to borrow; and mail clients' one-click POST (RFC 8058) carries no
# CSRF token.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm, as mail scanners follow links; only POST unsubscribes."""
    try:
        subscriber_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return page(request, "invalid", status=400)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return page(request, "unknown", status=404)
    if request.method == "POST" and subscriber.active:
        subscriber.active = False
        subscriber.save(update_fields=["active"])
    state = "confirm" if subscriber.active else "done"
    return page(request, state, subscriber=subscriber)


def page(request: HttpRequest, state: str, *, status: int = 200, **context) -> HttpResponse:
    context = {"state": state, **context}
    return render(request, "newsletter/unsubscribe.html", context, status=status)
