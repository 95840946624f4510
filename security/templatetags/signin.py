"""What the admin's own pages say of signing in: the lockout's figures."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def signin_limits() -> dict[str, int]:
    return {"limit": settings.SIGNIN_FAILURE_LIMIT, "minutes": settings.SIGNIN_COOLOFF_MINUTES}
