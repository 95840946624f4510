"""What counts as the desk: the admin's paths, and the sign-in steps that lead into it."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import Resolver404, resolve

from articles import addresses


def on_desk(request: HttpRequest) -> bool:
    """Return whether the request is for the admin (the readers' pages never touch a session)."""
    return request.path.startswith(addresses.route("admin:index"))  # reverse()'s, remembered


def signing_in(request: HttpRequest) -> bool:
    """Return whether the request is a step of signing in or out, which no gate may turn away."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.namespace == "security" or match.view_name in ("admin:login", "admin:logout")
