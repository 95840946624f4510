"""Full-text search over articles: ranked PostgreSQL search, or a plain substring match elsewhere.

It narrows the queryset it is given and decides nothing about who may see what.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import F, Q, QuerySet

# Stemming and stop words for the language the site writes in.
CONFIG = "english"
# The longest search the public channels take, in characters. On SQLite each word is a condition
# of its own, and SQLite refuses a query nested 1,000 deep: 1,500 words were a server error.
MAX_TERMS_LENGTH = 200


def search_vector() -> SearchVector:
    """Headline first, then standfirst, then body: a word in the headline counts most."""
    return (
        SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("standfirst", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def ranked_search(queryset: QuerySet, terms: str) -> QuerySet:
    """PostgreSQL: read `terms` as search engines do (quotes, "or", a leading minus), best first."""
    query = SearchQuery(terms, search_type="websearch", config=CONFIG)
    return (
        queryset.annotate(document=search_vector())
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "-published_at", "-id")
    )


def substring_search(queryset: QuerySet, terms: str) -> QuerySet:
    """Any database: items whose headline, standfirst or body contain every word of `terms`."""
    for word in terms.split():
        queryset = queryset.filter(
            Q(headline__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
        )
    return queryset


def search(queryset: QuerySet, terms: str) -> QuerySet:
    """Narrow `queryset` to the items matching `terms`; nothing at all for empty terms."""
    terms = terms.strip()
    if not terms:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return ranked_search(queryset, terms)
    return substring_search(queryset, terms)
