"""The sign-in steps after the password: the code from an authenticator app, or setting one up;
and the ping that keeps a desk session alive while someone types."""

from __future__ import annotations

import logging

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from security import second_factor
from security.forms import CodeForm
from security.lockout import locked_out

logger = logging.getLogger("security")


def next_page(request: HttpRequest) -> str:
    """Return where the person was going, if it is on this site; else the desk's front page."""
    target = request.POST.get("next") or request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("admin:index")


def step(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    base = {
        **admin.site.each_context(request),
        "title": title,
        "next": next_page(request),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, template, {**base, **context})


def verified(request: HttpRequest, device) -> HttpResponse:
    """Mark the session as verified by `device`, under a new session key, and go on."""
    otp_login(request, device)
    request.session.cycle_key()
    return redirect(next_page(request))


@never_cache
@sensitive_post_parameters("code")
def code(request: HttpRequest) -> HttpResponse:
    """Ask for the current code of the authenticator app the person has set up. A wrong code
    counts as a failed sign-in, towards the same lockout as a wrong password."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return redirect_to_login(next_page(request), reverse("admin:login"))
    if user.is_verified():
        return redirect(next_page(request))
    device = second_factor.device_of(user)
    if device is None:
        return redirect_to_login(next_page(request), reverse("security:set_up"))
    credentials = {"username": user.get_username()}
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials):
            logout(request)
            return locked_out(request)
        if form.is_valid():
            if second_factor.check_code(device, form.cleaned_data["code"]):
                logger.info("Second factor accepted for %s", user.get_username())
                return verified(request, device)
            form.add_error("code", "That is not the code your app shows now.")
            user_login_failed.send(__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request)
    return step(request, "security/code.html", "Enter your code", form=form, user_name=user)


@never_cache
@sensitive_post_parameters("code")
def set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter the code it
    shows, which proves the app and the desk agree. Once set up, say so."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return redirect_to_login(next_page(request), reverse("admin:login"))
    device = second_factor.device_of(user)
    if device is not None:
        if not user.is_verified():
            return redirect_to_login(next_page(request), reverse("security:code"))
        return step(
            request,
            "security/set_up_done.html",
            "Your second factor",
            device=device,
            required=second_factor.required_of(user),
        )
    pending = second_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.check_code(pending, form.cleaned_data["code"]):
            second_factor.confirm(pending)
            messages.success(
                request,
                "Your second factor is set up: the desk will ask for a code from your "
                "authenticator app each time you sign in.",
            )
            return verified(request, pending)
        form.add_error(
            "code",
            "That code did not match. Check that your phone's clock is set automatically, "
            "then enter the code the app shows now.",
        )
    return step(
        request,
        "security/set_up.html",
        "Set up your second factor",
        form=form,
        qr_code=second_factor.qr_code(pending),
        secret=second_factor.secret(pending),
        config_url=pending.config_url,
        required=second_factor.required_of(user),
    )


@never_cache
@require_GET
def alive(request: HttpRequest) -> HttpResponse:
    """Answer 204 while the desk session lasts (the request itself refreshed its idle clock),
    401 once it has ended."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)
