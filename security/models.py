"""The sign-in records as the desk names them: proxies of django-axes' and django-otp's models,
so that they sit together under Security in the admin, with permissions of their own."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessLog
from django_otp.plugins.otp_totp.models import TOTPDevice


class FailedSignIn(AccessAttempt):
    """The failures of one account from one address and browser, since its last cool-off."""

    class Meta:
        proxy = True
        verbose_name = "failed sign-in"
        verbose_name_plural = "failed sign-ins"
        ordering = ["-attempt_time"]


class SignIn(AccessLog):
    """A successful sign-in, and when its session was signed out."""

    class Meta:
        proxy = True
        verbose_name = "sign-in"
        verbose_name_plural = "sign-ins"
        ordering = ["-attempt_time"]


class SecondFactor(TOTPDevice):
    """An authenticator app that gives a member of staff their one-time codes."""

    class Meta:
        proxy = True
        verbose_name = "second factor"
        verbose_name_plural = "second factors"
        ordering = ["user__username"]
