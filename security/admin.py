"""The desk's view of sign-in: failed sign-ins with their lockouts, which a rights manager may
lift; the record of sign-ins; and each person's second factor, which a rights manager may reset."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.admin import RecordAdmin
from security import lockout, second_factor
from security.models import FailedSignIn, SecondFactor, SignIn

# django-otp registers its own device admin, which shows each key; this one never does.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


def cool_off() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SIGNIN_COOLOFF_MINUTES)


def failures_of(field: str, since: datetime.datetime) -> Coalesce:
    """The failures counted against the row's account (or address) since `since`."""
    counted = (
        FailedSignIn.objects.filter(attempt_time__gte=since, **{field: OuterRef(field)})
        .order_by()
        .values(field)
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class KeptByTheDesk:
    """Records the desk keeps itself: nobody adds, edits or bulk-deletes them by hand; each
    admin's own actions (lift a lockout, reset an app) are the only way to change them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("counting", "Counting (within the cool-off)"), ("over", "Cool-off over")]

    def queryset(self, request, queryset):
        since = timezone.now() - cool_off()
        if self.value() == "counting":
            return queryset.filter(attempt_time__gte=since)
        if self.value() == "over":
            return queryset.filter(attempt_time__lt=since)
        return queryset


@admin.register(FailedSignIn)
class FailedSignInAdmin(KeptByTheDesk, admin.ModelAdmin):
    list_display = ["username", "ip_address", "failures", "last_failure", "state"]
    list_filter = [StateFilter]
    search_fields = ["username", "ip_address"]
    fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    actions = ["lift_accounts", "lift_addresses"]

    def get_queryset(self, request):
        since = timezone.now() - cool_off()
        return (
            super()
            .get_queryset(request)
            .annotate(
                account_failures=failures_of("username", since),
                address_failures=failures_of("ip_address", since),
            )
        )

    @admin.display(description="failures", ordering="failures_since_start")
    def failures(self, attempt) -> int:
        return attempt.failures_since_start

    @admin.display(description="last failure", ordering="attempt_time")
    def last_failure(self, attempt) -> datetime.datetime:
        return attempt.attempt_time

    @admin.display(description="state")
    def state(self, attempt) -> str:
        until = attempt.attempt_time + cool_off()
        if until <= timezone.now():
            return "Cool-off over: no longer counted"
        limit = settings.SIGNIN_FAILURE_LIMIT
        if attempt.account_failures >= limit:
            return f"Account locked until {date_format(timezone.localtime(until), 'H:i T')}"
        if attempt.address_failures >= limit:
            return f"Address locked until {date_format(timezone.localtime(until), 'H:i T')}"
        counted = max(attempt.account_failures, attempt.address_failures)
        return f"{counted} of {limit} failures: not locked"

    @admin.action(description="Lift the lockout of the selected accounts", permissions=["delete"])
    def lift_accounts(self, request, queryset):
        names = list(queryset.values_list("username", flat=True))
        removed = lockout.lift(usernames=names, by=request.user.get_username())
        self.message_user(
            request,
            f"Lockout lifted for {', '.join(sorted(set(names)))} "
            f"({removed} record{'s' * (removed != 1)} of failures cleared). They may sign in now.",
            messages.SUCCESS,
        )

    @admin.action(description="Lift the lockout of the selected addresses", permissions=["delete"])
    def lift_addresses(self, request, queryset):
        addresses = list(queryset.values_list("ip_address", flat=True))
        removed = lockout.lift(addresses=addresses, by=request.user.get_username())
        self.message_user(
            request,
            f"Lockout lifted for {', '.join(sorted(set(addresses)))} "
            f"({removed} record{'s' * (removed != 1)} of failures cleared).",
            messages.SUCCESS,
        )


@admin.register(SignIn)
class SignInAdmin(RecordAdmin):
    list_display = ["attempt_time", "username", "ip_address", "user_agent", "logout_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "attempt_time", "logout_time"]


class SetUpFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "set_up"

    def lookups(self, request, model_admin):
        return [("yes", "Set up"), ("no", "Being set up")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed=self.value() == "yes")
        return queryset


@admin.register(SecondFactor)
class SecondFactorAdmin(KeptByTheDesk, admin.ModelAdmin):
    list_display = ["user", "name", "set_up", "created_at", "last_used_at"]
    list_filter = [SetUpFilter]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    # Never the key: whoever reads it could make the person's codes.
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    actions = ["reset"]

    @admin.display(description="state", ordering="confirmed")
    def set_up(self, device) -> str:
        return "Set up" if device.confirmed else "Being set up"

    @admin.action(
        description="Reset: they set up a new authenticator app when they next sign in",
        permissions=["delete"],
    )
    def reset(self, request, queryset):
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            second_factor.reset(user, by=request.user.get_username())
        self.message_user(
            request,
            f"Second factor reset for {', '.join(sorted(u.get_username() for u in users))}: "
            "at their next sign-in the desk asks them to set up an authenticator app again.",
            messages.SUCCESS,
        )
