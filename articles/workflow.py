"""The desk's reports across many items: what went out today, and what the clock changes next.

The editorial actions themselves, one item at a time or a licence's items together, are in
`articles.actions`; these are what an editor reads before the day's embargoes lift and rights
expire.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article
from articles.vocabulary import Right, Status

# --- what stands in the way -----------------------------------------------------------------------


def published_today(*, at: datetime.datetime | None = None) -> QuerySet[Article]:
    at = at or timezone.now()
    midnight = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
    return Article.objects.permitting(Right.PUBLISH, at=at).filter(
        published_at__gte=midnight, published_at__lte=at
    )


# --- what the clock changes next ------------------------------------------------------------------


class Change(models.TextChoices):
    """What the clock does to an item."""

    EMBARGO = "embargo", "Embargo lifts"
    SCHEDULED = Status.SCHEDULED.value, "Scheduled publication"
    EXPIRY = "expiry", "Rights expire"
    WINDOW = "window", "Rights window opens"


@dataclass(frozen=True)
class Moment:
    """One thing the clock will do to one item."""

    kind: Change
    at: datetime.datetime
    article: Article

    @property
    def label(self) -> str:
        return Change(self.kind).label

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "at": self.at.isoformat(),
            "id": self.article.pk,
            "headline": self.article.headline,
            "source": self.article.source.name,
            "status": self.article.status,
        }


@dataclass(frozen=True)
class RightsReport:
    start: datetime.datetime
    end: datetime.datetime
    embargoes: list[Moment]
    scheduled: list[Moment]
    expiries: list[Moment]
    openings: list[Moment]

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def moments(self) -> list[Moment]:
        every = [*self.embargoes, *self.scheduled, *self.expiries, *self.openings]
        return sorted(every, key=lambda m: m.at)

    def as_json(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "until": self.end.isoformat(),
            "embargoes": [m.as_json() for m in self.embargoes],
            Change.SCHEDULED: [m.as_json() for m in self.scheduled],
            "expiries": [m.as_json() for m in self.expiries],
            "openings": [m.as_json() for m in self.openings],
        }


def rights_report(*, days: int = 7, at: datetime.datetime | None = None) -> RightsReport:
    """Embargoes lifting, scheduled publications, rights expiring and rights windows opening
    within `days` of `at`."""
    start = at or timezone.now()
    end = start + datetime.timedelta(days=days)
    items = Article.objects.still_going().select_related("source")

    def moments(kind: Change, field: str, **extra) -> list[Moment]:
        window = {f"{field}__gt": start, f"{field}__lte": end}
        return [
            Moment(kind, getattr(article, field), article)
            for article in items.filter(**window, **extra).order_by(field)
        ]

    return RightsReport(
        start=start,
        end=end,
        embargoes=moments(Change.EMBARGO, "embargo_until"),
        scheduled=moments(Change.SCHEDULED, "published_at", status=Status.SCHEDULED),
        expiries=moments(Change.EXPIRY, "rights_expire_at"),
        openings=moments(Change.WINDOW, "rights_start_at"),
    )
