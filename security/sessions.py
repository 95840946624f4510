"""How long a desk session lasts: SESSION_IDLE_MINUTES without a request, SESSION_MAX_HOURS
from its sign-in, whichever ends first. The times are kept in the session itself."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from newsroom.middleware import database_unavailable
from security.desk import on_desk

SIGNED_IN_AT = "security.signed_in_at"
SEEN_AT = "security.seen_at"
# A request refreshes the idle clock at most once a minute, so that the desk's pages do not
# each write the session; the idle time is measured to the minute.
SEEN_EVERY = 60

logger = logging.getLogger("security")


@receiver(user_logged_in)
def start_the_clocks(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = time.time()


def ended(session, *, now: float) -> str:
    """Return why the session has ended ("" while it lasts)."""
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT, signed_in_at)
    if signed_in_at is None:  # signed in before sessions had limits
        return "You were signed out: desk sessions now have a time limit."
    if now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
        return f"You were signed out {settings.SESSION_MAX_HOURS} hours after signing in."
    if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return (
            f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity."
        )
    return ""


def desk_session(get_response: Callable[[HttpRequest], HttpResponse]):
    """Sign out a desk session that has outlived either limit; refresh the idle clock of one that
    has not. Readers' requests, and requests without a session cookie, are left alone."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            check(request)
        except (OperationalError, InterfaceError) as error:  # the session lives in the database
            return database_unavailable(request, error)
        return get_response(request)

    def check(request: HttpRequest) -> None:
        if (
            on_desk(request)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
        ):
            now = time.time()
            why = ended(request.session, now=now)
            if why:
                logger.info("Signed out %s: %s", request.user.get_username(), why)
                logout(request)
                messages.info(request, f"{why} Sign in again to go on.")
            elif now - request.session.get(SEEN_AT, 0) >= SEEN_EVERY:
                request.session[SEEN_AT] = now

    return middleware
