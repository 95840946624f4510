"""The desk's change list pages without counting the archive.

Django's admin counts the filtered list to number its pages, and counts the whole table beside
it; at a million items each count reads every row. Here the whole table is never counted
(`show_full_result_count = False` on the admin), and the list's own count is bounded: an
unfiltered list on PostgreSQL takes the planner's estimate of the table's rows (`pg_class`,
kept by ANALYZE and autovacuum), and a filtered one counts at most COUNT_LIMIT + 1 rows. The
pagination then says "about" or "more than" (`admin/articles/article/pagination.html`).
"""

from __future__ import annotations

import math
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections

# The most rows a filtered list counts; past it the list says "more than" this many, and its
# last page link is the page this many rows fill.
COUNT_LIMIT = 1_000


def estimated_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows of `queryset`'s table, or None where it has none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    # -1: never analysed or vacuumed; the estimate is then no estimate.
    return row[0] if row and row[0] >= 0 else None


class DeskPaginator(Paginator):
    """A `Paginator` whose count reads at most COUNT_LIMIT + 1 rows of a filtered list, and only
    the planner's estimate of an unfiltered one too large to count. Its pages stop where
    COUNT_LIMIT rows end, so no page asks the database to skip more rows than that: older items
    are found by a filter or a search."""

    estimated = False  # the count is the planner's estimate
    capped = False  # there are more rows than the count

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not queryset.query.where:
            estimate = estimated_rows(queryset)
            if estimate is not None and estimate > COUNT_LIMIT:
                self.estimated = True
                return estimate
        counted = queryset.order_by()[: COUNT_LIMIT + 1].count()
        if counted > COUNT_LIMIT:
            self.capped = True
            return COUNT_LIMIT
        return counted

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        pages = math.ceil(max(1, self.count - self.orphans) / self.per_page)
        return min(pages, math.ceil(COUNT_LIMIT / self.per_page))
