"""Front-page pins: an editor puts a story in a place at the top of the front page until a time.

A pin is a wish, not a right: the front page still shows only what `for_channel(Channel.PAGE)`
allows, and a pin whose end has passed is ignored by the query itself, so nothing has to clear
it. Pinning and unpinning check the editor's permission and are written to the audit log.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone

from articles.audit import AuditEntry
from articles.querysets import ShownOnPages

PIN_PERMISSION = "articles.pin_to_front"
# The places at the top of the front page: the lead, the two stories beneath it, then the
# column of the latest (`articles.pages.views` lays them out).
FRONT_PLACES = 8
PLACE_NAMES = {1: "The lead", 2: "Beneath the lead, first", 3: "Beneath the lead, second"}


def place_label(position: int) -> str:
    """The place in words, as the desk's form and the audit log name it."""
    return PLACE_NAMES.get(position, f"The latest column, place {position - 3}")


class FrontPin(ShownOnPages):
    """One story held at a place on the front page until `until`."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="front_pin"
    )
    position = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(FRONT_PLACES)],
        help_text="1 is the lead; 2 and 3 the stories beneath it; 4 to 8 the latest column.",
    )
    until = models.DateTimeField(help_text="The pin is ignored from this moment on.")
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ("view",)
        permissions = [("pin_to_front", "Can pin stories to the front page")]
        # The front page asks for the pins still in force, in place order, and stops early.
        indexes = [models.Index(fields=["until", "position"], name="front_pin_until_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=FRONT_PLACES),
                name="front_pin_position_on_the_page",
                violation_error_message=f"A pin's place is from 1 to {FRONT_PLACES}.",
            )
        ]

    def __str__(self) -> str:
        place = place_label(self.position).lower()
        return f"{self.article}, {place}, until {self.until:%Y-%m-%d %H:%M}"


def may_pin(user) -> bool:
    return bool(user and user.has_perm(PIN_PERMISSION))


def pin(article, *, position: int, until: datetime.datetime, by, reason: str = "") -> FrontPin:
    """Hold `article` at `position` until `until`, replacing any pin it had; audited."""
    if not may_pin(by):
        raise PermissionDenied("Only editors may pin stories to the front page.")
    if not 1 <= position <= FRONT_PLACES:
        raise ValidationError(f"A pin's place is from 1 to {FRONT_PLACES}.")
    if until <= timezone.now():
        raise ValidationError("A pin needs an end in the future.")
    with transaction.atomic():
        held, _ = FrontPin.objects.update_or_create(
            article=article,
            defaults={
                "position": position,
                "until": until,
                "pinned_by": by,
                "pinned_at": timezone.now(),
            },
        )
        AuditEntry.record(
            AuditEntry.Action.PIN,
            article=article,
            actor=by,
            reason=reason,
            detail={
                "position": position,
                "place": place_label(position),
                "until": until.isoformat(),
            },
        )
    return held


def unpin(article, *, by, reason: str = "") -> bool:
    """Take `article`'s pin away, if it has one; audited. Return whether there was one."""
    if not may_pin(by):
        raise PermissionDenied("Only editors may unpin stories from the front page.")
    with transaction.atomic():
        deleted, _ = FrontPin.objects.filter(article=article).delete()
        if deleted:
            AuditEntry.record(AuditEntry.Action.UNPIN, article=article, actor=by, reason=reason)
    return bool(deleted)
