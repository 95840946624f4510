"""Cache lifetimes that never outlive rights: a response may be kept until the next clock change.

An embargo lifting, a scheduled item going live, a rights window opening or rights expiring
changes what a channel shows.
Those moments are in the database, so a response says how long it stays true: until the earliest
such moment after now, and never longer than `settings.PUBLIC_MAX_AGE`. A page may know a moment
of its own besides (the front page, the end of a pin it shows) and pass it as `until`.
"""

from __future__ import annotations

import datetime
import functools
import math

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.utils import timezone
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
    # subqueries of one single-row query. Every list, feed and API page asks it, so it is
    # written once in SQL: the ORM's building of the same query was a tenth of a list page.
    alias = Article.objects.db  # the router's choice: a replica where the request may read one
    connection = connections[alias]
    value = connection.ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        cursor.execute(_next_change_sql(connection.vendor, alias), [value] * 4 + [*LIVE_STATUSES])
        row = cursor.fetchone()
    return min((t for t in map(_as_datetime, row or ()) if t is not None), default=None)


@functools.cache
def _next_change_sql(vendor: str, alias: str) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(Article._meta.db_table)
    statuses = ", ".join(["%s"] * len(LIVE_STATUSES))

    def first(field: str, extra: str = "") -> str:
        column = quote(Article._meta.get_field(field).column)
        return (
            f"(SELECT {column} FROM {table} WHERE {column} > %s{extra} "
            f"ORDER BY {column} ASC LIMIT 1)"
        )

    # Only a live item goes live by the clock (along article_order_idx).
    live = f" AND {quote(Article._meta.get_field('status').column)} IN ({statuses})"
    parts = [
        first("embargo_until"),
        first("rights_start_at"),
        first("rights_expire_at"),
        first("published_at", live),
    ]
    return "SELECT " + ", ".join(parts)


def _as_datetime(value) -> datetime.datetime | None:
    """A time as the database gave it (SQLite: text in UTC), as the ORM would have it."""
    if value is None or isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if settings.USE_TZ and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


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
