"""Cache lifetimes that never outlive rights: a response may be kept until the next clock change.

An embargo lifting, a scheduled item going live, a rights window opening or rights expiring
changes what a channel shows.
Those moments are in the database, so a response says how long it stays true: until the earliest
such moment after now, and never longer than `settings.PUBLIC_MAX_AGE`. A page may know a moment
of its own besides (the front page, the end of a pin it shows) and pass it as `until`.
"""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.db.models import Subquery
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from articles.models import Article
from articles.vocabulary import LIVE_STATUSES


def next_change(
    *, at: datetime.datetime, article: Article | None = None
) -> datetime.datetime | None:
    """The first moment after `at` when the clock alone changes what may be shown.

    For one article, its own times; otherwise the earliest over every article, from four
    index lookups in one query (no scan, no count).
    """
    if article is not None:
        times = [
            article.embargo_until,
            article.rights_start_at,
            article.rights_expire_at,
            article.published_at,
        ]
        return min((t for t in times if t is not None and t > at), default=None)
    # Each the first value past `at` along its own index (`ORDER BY … LIMIT 1`), the four as
    # subqueries of one single-row query; an empty table has no row, so no change.
    firsts = {
        name: Subquery(
            Article.objects.filter(**{f"{field}__gt": at}, **where)
            .order_by(field)
            .values(field)[:1]
        )
        for name, field, where in (
            ("embargo", "embargo_until", {}),
            ("window", "rights_start_at", {}),
            ("expiry", "rights_expire_at", {}),
            # Only a live item goes live by the clock (along article_order_idx).
            ("schedule", "published_at", {"status__in": LIVE_STATUSES}),
        )
    }
    found = Article.objects.order_by().annotate(**firsts).values(*firsts).first()
    return min((t for t in (found or {}).values() if t is not None), default=None)


def seconds_until_change(
    *,
    at: datetime.datetime,
    article: Article | None = None,
    until: datetime.datetime | None = None,
) -> int:
    limit = settings.PUBLIC_MAX_AGE
    moments = [next_change(at=at, article=article), until]
    change = min((t for t in moments if t is not None and t > at), default=None)
    if change is None:
        return limit
    return max(0, min(limit, math.floor((change - at).total_seconds())))


def cache_until_change(
    response: HttpResponse,
    *,
    at: datetime.datetime,
    article: Article | None = None,
    until: datetime.datetime | None = None,
) -> HttpResponse:
    """Mark a public response cacheable until the next rights change by the clock, or `until`
    where that comes first."""
    seconds = seconds_until_change(at=at, article=article, until=until)
    patch_cache_control(response, public=True, max_age=seconds)
    return response


def never_cache_refusal(response: HttpResponse) -> HttpResponse:
    """Refusals are not kept: the item may become visible on the next second."""
    patch_cache_control(response, no_store=True, max_age=0)
    return response
