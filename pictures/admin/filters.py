"""The picture library's filters: by what its rights allow now, and by when they end."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from articles.rights import clearance_q
from articles.vocabulary import Right

SOON = datetime.timedelta(days=7)


class RightsFilter(admin.SimpleListFilter):
    """May publish (its rights allow it now), blocked (settled, but they forbid it), or needs
    review (not settled: a rights manager must read its terms first)."""

    title, parameter_name = "rights", "rights"

    def lookups(self, request, model_admin):
        return [("may", "May publish"), ("blocked", "Blocked"), ("review", "Needs review")]

    def queryset(self, request, queryset):
        may = clearance_q(Right.PUBLISH)
        if self.value() == "may":
            return queryset.filter(may)
        if self.value() == "blocked":
            return queryset.filter(~may, rights_settled=True)
        if self.value() == "review":
            return queryset.filter(rights_settled=False)
        return queryset


class ExpiryFilter(admin.SimpleListFilter):
    title, parameter_name = "rights expiry", "expiry"

    def lookups(self, request, model_admin):
        return [
            ("expired", "Expired"),
            ("soon", "Expiring within 7 days"),
            ("none", "No expiry"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "expired":
            return queryset.filter(rights_expire_at__lte=now)
        if self.value() == "soon":
            return queryset.filter(Q(rights_expire_at__gt=now, rights_expire_at__lte=now + SOON))
        if self.value() == "none":
            return queryset.filter(rights_expire_at__isnull=True)
        return queryset
