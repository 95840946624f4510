"""Lockouts after repeated sign-in failures (django-axes counts them): the client's address as
the proxy reports it, the page a locked-out person reads, and lifting a lockout by hand."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from axes.utils import reset
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger("security")


def client_address(request: HttpRequest) -> str | None:
    """Return the client's address: the last entry of `settings.CLIENT_ADDRESS_HEADER` where the
    proxy in front sets one (it appends the address it saw), else the connection's own."""
    if settings.CLIENT_ADDRESS_HEADER:
        key = "HTTP_" + settings.CLIENT_ADDRESS_HEADER.upper().replace("-", "_")
        reported = request.META.get(key, "").split(",")[-1].strip()
        if reported:
            return reported
    return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """Return the page that says sign-in is paused, for how long, and whom to ask: 429 Too Many
    Requests, with `Retry-After` in seconds."""
    cool_off = datetime.timedelta(minutes=settings.SIGNIN_COOLOFF_MINUTES)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "limit": settings.SIGNIN_FAILURE_LIMIT,
        "minutes": settings.SIGNIN_COOLOFF_MINUTES,
        "until": timezone.now() + cool_off,
    }
    response = render(request, "security/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def lift(*, usernames: Iterable[str] = (), addresses: Iterable[str] = (), by: str) -> int:
    """Clear the failures of these accounts and addresses, lifting their lockouts. Return how
    many records of failures were removed."""
    usernames = {name for name in usernames if name}
    addresses = {address for address in addresses if address}
    removed = sum(reset(username=name) for name in usernames)
    removed += sum(reset(ip=address) for address in addresses)
    logger.warning(
        "Sign-in lockout lifted by %s for %s", by, ", ".join(sorted(usernames | addresses))
    )
    return removed
