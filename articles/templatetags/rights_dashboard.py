"""The rights dashboard on the admin index: what is blocked, what needs review, what comes next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import template
from django.utils import timezone

from articles.desks import ENDING_SOON_DAYS, desks_for
from articles.models import Article
from articles.rights import Right
from articles.workflow import (
    Change,
    RightsReport,
    published_today,
    rights_report,
)

register = template.Library()

DAYS = 7
# The chart's geometry, in SVG user units: a plot area above a row of day labels.
WIDTH, PLOT_HEIGHT, LABEL_HEIGHT, BAR_WIDTH = 700, 120, 24, 16
SERIES = (
    (Change.EMBARGO, "embargo lifts"),
    (Change.SCHEDULED, Change.SCHEDULED.value),
    (Change.EXPIRY, "rights expire"),
    (Change.WINDOW, "rights windows open"),
)


@dataclass(frozen=True)
class Bar:
    kind: str
    x: int
    y: int
    height: int
    count: int
    title: str


@dataclass(frozen=True)
class Day:
    label: str
    label_x: int
    bars: list[Bar]


def timeline(report: RightsReport) -> list[Day]:
    """Lay out one group of bars per day: embargo lifts, scheduled publications, expiries and
    rights windows opening."""
    start = timezone.localtime(report.start).date()
    counts = {
        (start + datetime.timedelta(days=n), kind): 0 for n in range(DAYS) for kind, _ in SERIES
    }
    for moment in report.moments:
        key = (timezone.localtime(moment.at).date(), moment.kind)
        if key in counts:
            counts[key] += 1
    tallest = max(counts.values(), default=0) or 1
    column = WIDTH // DAYS
    days = []
    for n in range(DAYS):
        date = start + datetime.timedelta(days=n)
        bars = []
        for i, (kind, noun) in enumerate(SERIES):
            count = counts[(date, kind)]
            height = round(PLOT_HEIGHT * count / tallest)
            bars.append(
                Bar(
                    kind=kind,
                    x=n * column + 10 + i * (BAR_WIDTH + 4),
                    y=PLOT_HEIGHT - height,
                    height=height,
                    count=count,
                    title=f"{date:%a %d %b}: {count} {noun}",
                )
            )
        days.append(Day(label=f"{date:%a %d}", label_x=n * column + column // 2, bars=bars))
    return days


@register.inclusion_tag("admin/newsroom/dashboard.html", takes_context=True)
def rights_dashboard(context) -> dict:
    request = context["request"]
    if not request.user.has_perm("articles.view_article"):
        return {"shown": False}
    now = timezone.now()
    report = rights_report(days=DAYS, at=now)
    blocked = (
        Article.objects.blocked(Right.PUBLISH).select_related("source").order_by("-updated_at")
    )
    return {
        "shown": True,
        "desks": desks_for(request.user, at=now),
        "soon_days": ENDING_SOON_DAYS,
        "blocked": blocked[:5],
        "blocked_count": blocked.count(),
        "review_count": Article.objects.needing_rights_review().count(),
        "today_count": published_today().count(),
        "report": report,
        "days": timeline(report),
        "series": SERIES,
        "width": WIDTH,
        "plot_height": PLOT_HEIGHT,
        "height": PLOT_HEIGHT + LABEL_HEIGHT,
        "bar_width": BAR_WIDTH,
        "label_y": PLOT_HEIGHT + 16,
    }
