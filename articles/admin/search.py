"""The desk's article search: the stored search vector and the guid's index on PostgreSQL.

Django's own search, `icontains` on each of `search_fields`, reads every row of the table: at a
million items it is seconds a search, and the change list's count reads them again. On PostgreSQL
the words are matched through the GIN index of `search_document` (headline, standfirst and body,
stemmed, in the public search's syntax) and a guid by its exact value or its beginning through the
guid's unique index. What the desk sees, among the items its filters leave, is the `DESK_CANDIDATES`
newest with the words and the first `DESK_CANDIDATES` whose guid begins with the term, so the change
list's count and pages read no more than that. The copyright holder is left to the source filter
there. On SQLite, Django's search over `search_fields` stays as it is.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery
from django.db import connections

from articles.search import CONFIG

# The most items a desk search finds on PostgreSQL: the newest, as the change list orders them.
DESK_CANDIDATES = 1_000


class VectorSearch:
    """A mixin for the article's ModelAdmin: `get_search_results()` through the indexes (one query
    for the ids); elsewhere the admin's `search_fields`."""

    def get_search_results(self, request, queryset, search_term):
        terms = search_term.strip()
        if not terms or connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        query = SearchQuery(terms, search_type="websearch", config=CONFIG)
        newest = ("-published_at", "-id")
        words = queryset.filter(search_document=query).order_by(*newest)
        guids = queryset.filter(guid__startswith=terms).order_by("guid")
        found = words.values_list("pk", flat=True)[:DESK_CANDIDATES].union(
            guids.values_list("pk", flat=True)[:DESK_CANDIDATES], all=True
        )
        return queryset.filter(pk__in=list(found)), False
