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
# How many of the newest matches a PostgreSQL search ranks, and so the most it finds: 10 pages.
CANDIDATES = 200


def search_vector() -> SearchVector:
    """Headline first, then standfirst, then body: a word in the headline counts most.

    PostgreSQL stores it in `Article.search_document`: the trigger of migration 0017 computes the
    same expression on every write (a test holds the two equal).
    """
    return (
        SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("standfirst", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def ranked_search(queryset: QuerySet, terms: str) -> QuerySet:
    """PostgreSQL: read `terms` as search engines do (quotes, "or", a leading minus), best first.

    The stored `search_document` (kept by a trigger, see migration 0017) is matched through its
    GIN index; then only the `CANDIDATES` newest matches are ranked, best first, the newer first
    among equals. Ranking every match would read every matching vector: a common word matches
    nearly every story (the commonest headline word of the bench archive, 96 in 100), and `ts_rank`
    over a million of them is minutes. Taking the newest first
    lets PostgreSQL walk the publication-time index and stop after `CANDIDATES` matches when a
    word is common, and read the few matches from the GIN index when it is rare, so each search
    reads at most a few hundred vectors whatever the archive's size; for a news site the newest
    matches are also the ones a reader looks for. A search therefore has at most `CANDIDATES`
    results (`CANDIDATES // PAGE_SIZE` pages); older stories are found by narrower words.
    """
    query = SearchQuery(terms, search_type="websearch", config=CONFIG)
    newest = (
        queryset.filter(search_document=query)
        .order_by("-published_at", "-id")
        .values("pk")[:CANDIDATES]
    )
    return (
        queryset.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search_document"), query))
        .order_by("-rank", "-published_at", "-id")
    )


def substring_search(queryset: QuerySet, terms: str) -> QuerySet:
    """Any database: items whose headline, standfirst or body contain every word of `terms`.

    SQLite's engine, for a small site or a developer's copy: no ranking, no stemming, no syntax,
    newest first; each word is a `LIKE '%word%'` over the three columns of every candidate, so a
    search reads the whole archive (about a second at 10,000 items; linear beyond).
    """
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
