"""The second factor: a one-time code from an authenticator app (TOTP, RFC 6238, by django-otp).

Superusers and rights managers must sign in with one, and so must the members of the groups in
`settings.OTP_REQUIRED_GROUPS`; anyone who has set one up is asked for it too. Whether a session
is asked is decided when it signs in, and kept in the session.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from collections.abc import Callable

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError, transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.middleware import database_unavailable
from security.desk import on_desk, signing_in

RIGHTS_MANAGERS = "Rights manager"
ASKED = "security.second_factor_asked"
DEVICE_NAME = "Authenticator app"

logger = logging.getLogger("security")


def required_of(user) -> bool:
    """Return whether `user` must sign in with a second factor."""
    if user.is_superuser:
        return True
    groups = [RIGHTS_MANAGERS, *settings.OTP_REQUIRED_GROUPS]
    return user.groups.filter(name__in=groups).exists()


def device_of(user) -> TOTPDevice | None:
    """Return the authenticator app `user` has set up, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def asked_of(user) -> bool:
    """Return whether `user` is asked for a code when signing in: required, or set up."""
    return required_of(user) or device_of(user) is not None


@receiver(user_logged_in)
def decide_at_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[ASKED] = asked_of(user)


def second_factor_gate(get_response: Callable[[HttpRequest], HttpResponse]):
    """Send a desk session that has a password but not yet its code to the step it lacks: the
    code, or setting up an authenticator app for someone who has none."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            step = missing_step(request)
        except (OperationalError, InterfaceError) as error:  # the session lives in the database
            return database_unavailable(request, error)
        if step:
            return redirect_to_login(request.get_full_path(), reverse(step))
        return get_response(request)

    def missing_step(request: HttpRequest) -> str:
        if on_desk(request) and not signing_in(request):
            user = request.user
            if user.is_authenticated and not user.is_verified():
                if ASKED not in request.session:  # a session from before the gate
                    request.session[ASKED] = asked_of(user)
                if request.session[ASKED]:
                    return "security:code" if device_of(user) else "security:set_up"
        return ""

    return middleware


def pending_device(user) -> TOTPDevice:
    """Return the authenticator app `user` is setting up, made now if they have not begun."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def check_code(device: TOTPDevice, code: str) -> bool:
    """Return whether `code` is the device's current one (each code is accepted once)."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return locked.verify_token(code)


def confirm(device: TOTPDevice) -> None:
    """Make the device the user's one authenticator app, setting aside any other."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    logger.info("Second factor set up by %s", device.user.get_username())


def reset(user, *, by: str) -> int:
    """Remove `user`'s authenticator apps: they set up a new one when they next sign in.
    Return how many were removed."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    logger.warning("Second factor of %s reset by %s", user.get_username(), by)
    return removed


def current_code(device: TOTPDevice) -> str:
    """Return the code the device's app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def secret(device: TOTPDevice) -> str:
    """Return the device's key as an app asks for it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code(device: TOTPDevice) -> SafeString:
    """Return the device's set-up address as an inline SVG QR code, drawn without any style
    attribute, so the strict Content Security Policy lets it show."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        omitsize=True, svgclass="nr-qr", lineclass=None, light="#fff", title="QR code to scan"
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup, from our own key
