"""The change list's filters on rights: one per granted right, whether an item may go out, and
the desk's shelves, so that each shelf's "see all" opens exactly what it counted."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from articles.desks import SHELVES
from articles.rights import permitting_q
from articles.vocabulary import Right


class RightFilter(admin.SimpleListFilter):
    """Filter on one granted right; one subclass per right keeps parameter names distinct."""

    right: Right

    def lookups(self, request, model_admin):
        return [("yes", "Granted"), ("no", "Not granted")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{self.right.field: self.value() == "yes"})
        return queryset


def right_filter(right: Right) -> type[RightFilter]:
    return type(
        f"{right.value.capitalize()}Filter",
        (RightFilter,),
        {"right": right, "title": f"{right.noun} right", "parameter_name": right.field},
    )


class AvailabilityFilter(admin.SimpleListFilter):
    title = "availability"
    parameter_name = "availability"

    def lookups(self, request, model_admin):
        return [
            ("publishable", "Publishable now"),
            ("blocked", "Blocked by rights"),
            ("review", "Needs rights review"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "publishable":
            # The rule itself on the list's rows (no semi-join over the table), so the list
            # walks its order's index and stops at its page; the change list joins what its
            # columns show, as it does unfiltered.
            return queryset.filter(permitting_q(Right.PUBLISH))
        if self.value() == "blocked":
            return queryset.blocked(Right.PUBLISH)
        if self.value() == "review":
            return queryset.needing_rights_review()
        return queryset


class DeskFilter(admin.SimpleListFilter):
    """One of the desk's shelves (`articles.desks.SHELVES`): the same queryset the desk counts."""

    title = "desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [(name, title) for name, (title, _) in SHELVES.items()]

    def queryset(self, request, queryset):
        if self.value() not in SHELVES:
            return queryset
        _, choose = SHELVES[self.value()]
        return queryset.filter(pk__in=choose(request.user, at=timezone.now()).values("pk"))
