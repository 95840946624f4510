"""Feeds a source sends over HTTP, and what each poll of them found.

A `Feed` holds what to fetch and the state a polite poller keeps between polls (the validators
for a conditional GET, when to come back, how many polls in a row failed); a `FeedPoll` is one
poll's outcome, kept so the desk can see in words what a feed has been doing. Polling itself is
`articles.ingest.poll`'s: this module only stores, so the models never import ingest.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone

# Polls kept per feed; older ones are pruned as new ones are recorded.
KEEP_POLLS = 50


def known_zone(value: str) -> None:
    """Refuse what is not an IANA time zone (blank is allowed: the field's fallback applies)."""
    if value:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
            raise ValidationError(
                f"“{value}” is not an IANA time zone; write it as “Europe/Berlin”, "
                "“America/New_York” or “UTC”."
            ) from None


class Feed(models.Model):
    """One URL a source serves its copy at, polled every `interval` seconds while active."""

    source = models.ForeignKey("articles.Source", on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(
        "URL",
        max_length=1000,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="An http or https address serving ninjs, RSS or Atom with the full text.",
    )
    format = models.CharField(
        max_length=20,
        default="auto",
        help_text="What the feed serves: “auto” tells it from the content.",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[known_zone],
        help_text="The zone of times the feed gives without one (blank: the source's).",
    )
    active = models.BooleanField(default=True)
    interval = models.PositiveIntegerField(
        "poll every (seconds)", default=300, validators=[MinValueValidator(10)]
    )
    # The poll state: validators for the next conditional GET, and the schedule.
    etag = models.CharField("ETag", max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Blank: at the next run."
    )
    failures = models.PositiveIntegerField("consecutive failures", default=0, editable=False)

    class Meta:
        ordering = ["source", "pk"]

    def __str__(self) -> str:
        return f"feed {self.pk} ({self.url})" if self.pk else self.url

    @property
    def zone(self) -> datetime.tzinfo:
        return ZoneInfo(self.time_zone) if self.time_zone else self.source.zone


class FeedPoll(models.Model):
    """What one poll of a feed found: the HTTP status, the items by outcome, or the error."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="polls")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    not_modified = models.BooleanField(default=False)
    succeeded = models.BooleanField(default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    duration = models.DurationField(default=datetime.timedelta)
    next_poll_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"

    def __str__(self) -> str:
        return self.described()

    def described(self) -> str:
        """The poll in words: "12:04 — 3 new, 1 updated, 20 unchanged", "12:09 — not
        modified", "12:14 — failed: HTTP 503; next try in 4 min"."""
        local = timezone.localtime(self.at)
        when = local.strftime("%H:%M")
        if local.date() != timezone.localtime().date():
            when = f"{local.day} {local.strftime('%b %H:%M')}"
        if not self.succeeded:
            words = f"failed: {self.error or 'unknown error'}"
            if self.next_poll_at:
                words += f"; next try in {_span(self.next_poll_at - self.at)}"
            return f"{when} — {words}"
        if self.not_modified:
            return f"{when} — not modified"
        counts = [f"{self.created} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.errors:
            counts.append(f"{self.errors} refused")
        return f"{when} — {', '.join(counts)}"

    @classmethod
    def prune(cls, feed: Feed, *, keep: int = KEEP_POLLS) -> None:
        """Keep the newest `keep` polls of `feed`; delete the rest."""
        old = cls.objects.filter(feed=feed).order_by("-at", "-pk").values_list("pk", flat=True)
        stale = list(old[keep:])
        if stale:
            cls.objects.filter(pk__in=stale).delete()


def _span(delta: datetime.timedelta) -> str:
    seconds = max(0, round(delta.total_seconds()))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h".replace(".0 h", " h")
