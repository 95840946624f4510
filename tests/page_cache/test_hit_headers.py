"""A kept page is answered before sessions, CSRF, sign-in and the rest of the middleware run, and
carries every header the page carried when it was made: security headers, the policy, `Vary`,
the cache's headers and the surrogate keys, for every kind of public page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import cc_delim_re

from articles import generation
from articles.models import Section
from newsroom import page_cache as cache_middleware

pytestmark = pytest.mark.django_db

# Headers that differ between a miss and a hit by design.
OWN = {"x-page-cache", "cache-control"}


def directives(response) -> dict[str, str]:
    parts = [d.strip() for d in cc_delim_re.split(response["Cache-Control"]) if d.strip()]
    return dict((p.split("=", 1) + [""])[:2] for p in parts)


def assert_same_headers(miss, hit) -> None:
    assert miss["X-Page-Cache"] == "miss"
    assert hit["X-Page-Cache"] == "hit"
    made = {k.lower(): v for k, v in miss.items() if k.lower() not in OWN}
    served = {k.lower(): v for k, v in hit.items() if k.lower() not in OWN}
    assert served == made
    # The same directives; max-age is what remains of the page's own, never more.
    kept, fresh = directives(miss), directives(hit)
    assert kept.keys() == fresh.keys()
    assert 0 <= int(fresh.pop("max-age")) <= int(kept.pop("max-age"))
    assert fresh == kept


@pytest.fixture
def addresses(make_article):
    section = Section.objects.create(name="Harbour", slug="harbour")
    story = make_article(headline="Harbour reopens", section=section)
    return [
        (story.get_absolute_url(), {}),
        (reverse("articles:front"), {}),
        (story.section.get_absolute_url(), {}),
        (reverse("syndication:rss"), {}),
        (reverse("syndication:api-items"), {"HTTP_ACCEPT": "application/json"}),
        (reverse("syndication:sitemap-news"), {}),
        # A reader's country, where the story's page reads it.
        (story.get_absolute_url(), {"headers": {settings.COUNTRY_HEADER: "GB"}}),
    ]


def test_a_hit_carries_every_header_the_page_was_made_with(page_cache, addresses, client):
    for path, extra in addresses:
        miss = client.get(path, secure=True, **extra)
        hit = client.get(path, secure=True, **extra)
        assert miss.status_code == hit.status_code == 200, path
        assert hit.content == miss.content, path
        assert_same_headers(miss, hit)
        # The headers a reader's browser and a CDN rely on are there at all.
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "Surrogate-Key"):
            assert hit.has_header(name), (path, name)
        assert hit["X-Frame-Options"] == "DENY"
        assert "Cookie" not in hit.get("Vary", "")


def test_a_hit_varies_on_the_country_as_its_miss_did(page_cache, make_article, client):
    story = make_article()
    gb = {"headers": {settings.COUNTRY_HEADER: "GB"}}
    miss = client.get(story.get_absolute_url(), **gb)
    hit = client.get(story.get_absolute_url(), **gb)
    assert settings.COUNTRY_HEADER.lower() in miss["Vary"].lower()
    assert hit["Vary"] == miss["Vary"]


def test_a_hit_runs_none_of_the_middleware_below_the_cache(
    page_cache, make_article, client, django_assert_num_queries
):
    story = make_article()
    miss = client.get(story.get_absolute_url())
    assert hasattr(miss.wsgi_request, "reader")  # the miss went down to the view
    with django_assert_num_queries(1):
        hit = client.get(story.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    # Sessions, sign-in, OTP and messages set these on the request: none ran.
    for name in ("session", "user", "_messages", "reader"):
        assert not hasattr(hit.wsgi_request, name), name
    assert not hit.cookies


def test_a_conditional_hit_and_a_head_hit_cost_one_query(
    page_cache, make_article, client, django_assert_num_queries
):
    story = make_article()
    etag = client.get(story.get_absolute_url())["ETag"]
    with django_assert_num_queries(1):
        again = client.get(story.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304
    with django_assert_num_queries(1):
        head = client.head(story.get_absolute_url())
    assert head.status_code == 200
    assert head["ETag"] == etag


def test_a_signed_in_reader_still_passes_every_middleware(page_cache, make_article, client, boss):
    story = make_article()
    client.get(story.get_absolute_url())
    client.force_login(boss)
    response = client.get(story.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert response.wsgi_request.user == boss


def test_routes_are_remembered_per_path_and_forgotten_when_the_urls_change(settings):
    cache_middleware._route_of.cache_clear()
    assert cache_middleware._route_of("/", None) == "front"
    assert cache_middleware._route_of("/admin/", None) is None
    assert cache_middleware._route_of("/no-such-page/", None) is None
    assert cache_middleware._route_of.cache_info().currsize == 3
    settings.ROOT_URLCONF = "bench.floor.urls"  # a setting change empties it
    assert cache_middleware._route_of.cache_info().currsize == 0


def kept_key(client, path: str, **extra) -> str:
    """The page key the cache holds `path` under, after a miss made it."""
    request = client.get(path, **extra).wsgi_request
    varies_on = cache.get(cache_middleware.vary_key(request))
    return cache_middleware.page_key(
        request, at_generation=generation.current(), varies_on=varies_on
    )


def test_a_kept_entry_of_another_form_is_a_miss_and_the_page_is_made(
    page_cache, make_article, client
):
    story = make_article(headline="Harbour reopens")
    key = kept_key(client, story.get_absolute_url())
    # What an older release kept under the same key: (made, until, status, headers, content).
    cache.set(key, (0.0, 2e9, 200, [("Content-Type", "text/html")], b"old"), 60)
    again = client.get(story.get_absolute_url())
    assert again["X-Page-Cache"] == "miss"
    assert b"Harbour reopens" in again.content
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_hit_counts_its_max_age_down_and_keeps_the_other_directives(
    page_cache, make_article, client
):
    story = make_article(rights_expire_at=timezone.now() + datetime.timedelta(seconds=90))
    miss = client.get(story.get_absolute_url())
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30), tick=False):
        hit = client.get(story.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    made, served = directives(miss), directives(hit)
    assert int(made.pop("max-age")) - int(served.pop("max-age")) in (29, 30, 31)
    assert served == made


def test_a_stale_memory_of_what_a_page_varies_on_costs_a_miss_never_a_wrong_page(
    page_cache, make_article, client
):
    story = make_article(headline="Only in France", territories={"FR"})
    fr = {"headers": {settings.COUNTRY_HEADER: "FR"}}
    de = {"headers": {settings.COUNTRY_HEADER: "DE"}}
    assert client.get(story.get_absolute_url(), **fr).status_code == 200
    hit = client.get(story.get_absolute_url(), **fr)
    assert hit["X-Page-Cache"] == "hit"
    # This process remembers, wrongly, that the page varies on nothing: the key it builds is
    # not the French page's, so a German reader is not served it.
    key = cache_middleware.vary_key(hit.wsgi_request)
    cache_middleware._remember_varies(key, [])
    refused = client.get(story.get_absolute_url(), **de)
    assert refused.status_code == 451
    assert b"Only in France" not in refused.content
    # The French page is made again once, and what it varies on is remembered rightly.
    assert client.get(story.get_absolute_url(), **fr)["X-Page-Cache"] == "miss"
    assert client.get(story.get_absolute_url(), **fr)["X-Page-Cache"] == "hit"
    assert cache_middleware.varies_on_of(hit.wsgi_request) == [settings.COUNTRY_HEADER.lower()]


def test_the_memory_of_what_pages_vary_on_is_bounded(monkeypatch):
    monkeypatch.setattr(cache_middleware, "_varies", {})
    for n in range(cache_middleware.ROUTES_REMEMBERED + 10):
        cache_middleware._remember_varies(f"page-vary:{n}", [])
    assert len(cache_middleware._varies) <= cache_middleware.ROUTES_REMEMBERED
