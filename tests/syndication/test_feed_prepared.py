"""A feed's items are read by a query compiled once (`FEED_ITEMS`): it finds what its queryset
finds for the whole site, a section and a source, at moments around an embargo and a licence's
end, for readers in and out of a story's territories; and it is kept, not built each time."""

from __future__ import annotations

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS

from articles.models import Article, Section, Source
from articles.syndication.feeds import FEED_ITEMS, feed_items_query

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def stories(make_article, make_source, now):
    harbour = Section.objects.create(name="Harbour", slug="harbour")
    agency = make_source("Desk two", kind=Source.Kind.STAFF)
    return {
        "open": make_article(slug="open", section=harbour, published_at=now - HOUR),
        "embargoed": make_article(slug="embargoed", section=harbour, embargo_until=now + HOUR),
        "only-fr": make_article(slug="only-fr", source=agency, territories={"FR"}),
        "not-de": make_article(slug="not-de", source=agency, excluded_territories={"DE"}),
        "expiring": make_article(slug="expiring", rights_expire_at=now + 2 * HOUR),
        "draft": make_article(slug="draft", status=Article.Status.DRAFT, published_at=None),
        "harbour": harbour,
        "agency": agency,
    }


LATER = [-3 * HOUR, 0 * HOUR, 90 * datetime.timedelta(minutes=1), 3 * HOUR]


@pytest.mark.parametrize("later", LATER)
@pytest.mark.parametrize("country", [None, "FR", "DE"])
@pytest.mark.parametrize("scope", ["site", "section", "source"])
def test_the_feed_finds_what_its_queryset_finds(stories, now, later, country, scope):
    values = {
        "at": now + later,
        "country": country,
        "section": stories["harbour"].pk if scope == "section" else None,
        "source": stories["agency"].pk if scope == "source" else None,
    }
    assert FEED_ITEMS.prepared_for(DEFAULT_DB_ALIAS, **values)
    found = FEED_ITEMS.run(**values)
    expected = list(feed_items_query(**values))
    assert [a.slug for a in found] == [a.slug for a in expected]
    # Bylines come with them, as the queryset's prefetch leaves them.
    for item in found:
        assert item._prefetched_objects_cache["bylines"] is not None


def test_each_scope_and_country_is_a_narrowing(stories, now):
    site = FEED_ITEMS.run(at=now, country=None, section=None, source=None)
    section = FEED_ITEMS.run(at=now, country=None, section=stories["harbour"].pk, source=None)
    source = FEED_ITEMS.run(at=now, country="FR", section=None, source=stories["agency"].pk)
    # A reader of no known country sees no story its territories limit.
    assert {a.slug for a in site} == {"open", "expiring"}
    assert [a.slug for a in section] == ["open"]
    assert {a.slug for a in source} == {"only-fr", "not-de"}


def test_a_feed_is_read_in_its_queries_without_compiling_the_rights_filter_again(
    stories, client, django_assert_max_num_queries
):
    client.get("/feeds/rss/")
    with django_assert_max_num_queries(4):
        response = client.get("/feeds/rss/")
    assert response.status_code == 200
    assert b"<guid" in response.content
