"""The page cache: a kept page costs one query, answers conditional GETs, is keyed by the
reader's country only where the page read it, never outlives its max-age, and is never a desk
page, a preview, a refusal, a signed-in reader's or one that sets a cookie."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles import generation
from articles.previews import preview_path
from newsroom import page_cache as cache_middleware
from tests.factories import max_age

pytestmark = pytest.mark.django_db


def country(code: str) -> dict[str, str]:
    return {"headers": {settings.COUNTRY_HEADER: code}}


def test_a_second_request_is_served_from_the_cache_at_the_cost_of_one_query(
    page_cache, make_article, client, django_assert_num_queries
):
    story = make_article(headline="Harbour reopens")
    first = client.get(story.get_absolute_url())
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(1) as captured:
        second = client.get(story.get_absolute_url())
    assert "articles_rightsgeneration" in captured.captured_queries[0]["sql"]
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_head_is_served_from_what_a_get_kept(page_cache, make_article, client):
    story = make_article()
    client.get(story.get_absolute_url())
    head = client.head(story.get_absolute_url())
    assert head.status_code == 200
    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""


def test_a_kept_page_answers_a_conditional_get_with_304(page_cache, make_article, client):
    story = make_article()
    first = client.get(story.get_absolute_url())
    etag = first["ETag"]
    again = client.get(story.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    # The hit itself carries the same validator.
    assert client.get(story.get_absolute_url())["ETag"] == etag


def test_the_query_string_is_keyed_in_any_order_and_kept_apart(page_cache, make_article, client):
    make_article(headline="Harbour news")
    url = reverse("syndication:api-items")
    assert client.get(url + "?page=1&page_size=5")["X-Page-Cache"] == "miss"
    assert client.get(url + "?page_size=5&page=1")["X-Page-Cache"] == "hit"
    assert client.get(url + "?page_size=6&page=1")["X-Page-Cache"] == "miss"


def test_a_page_that_reads_the_country_is_kept_per_country(page_cache, make_article, client):
    limited = make_article(headline="For British readers", territories={"GB"})
    url = limited.get_absolute_url()
    gb = client.get(url, **country("GB"))
    assert gb.status_code == 200 and gb["X-Page-Cache"] == "miss"
    assert settings.COUNTRY_HEADER in gb["Vary"]
    # Another country is not handed the British page: it is refused, and never kept.
    fr = client.get(url, **country("FR"))
    assert fr.status_code == 451
    assert b"For British readers" not in fr.content
    assert client.get(url, **country("FR")).status_code == 451
    assert client.get(url, **country("gb"))["X-Page-Cache"] == "hit"  # read as the reader's


def test_a_page_that_does_not_read_the_country_is_kept_once_for_all(
    page_cache, make_article, client
):
    make_article()
    url = reverse("syndication:sitemap-news")
    first = client.get(url, **country("GB"))
    assert settings.COUNTRY_HEADER not in first.get("Vary", "")
    assert first["X-Page-Cache"] == "miss"
    assert client.get(url, **country("FR"))["X-Page-Cache"] == "hit"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_the_api_is_kept_per_accept_header(page_cache, make_article, client):
    make_article()
    url = reverse("syndication:api-items")
    ninjs = {"headers": {"Accept": "application/vnd.iptc.ninjs+json; version=2.2"}}
    plain = client.get(url, headers={"Accept": "application/json"})
    assert plain["X-Page-Cache"] == "miss"
    other = client.get(url, **ninjs)
    assert other["X-Page-Cache"] == "miss"
    assert other.json()["version"] == "2.2"
    assert client.get(url, **ninjs)["X-Page-Cache"] == "hit"


def test_the_desk_previews_refusals_and_other_addresses_are_not_kept(
    page_cache, make_article, client, boss
):
    withdrawn = make_article(status="withdrawn")
    for _ in range(2):
        refused = client.get(withdrawn.get_absolute_url())
        assert refused.status_code == 410
        assert refused["X-Page-Cache"] == "miss"
        unknown = client.get("/news/no-such-story/")
        assert unknown.status_code == 404 and unknown["X-Page-Cache"] == "miss"
    for url in [reverse("articles:healthz"), preview_path(withdrawn.pk), "/admin/login/"]:
        assert "X-Page-Cache" not in client.get(url)
    client.force_login(boss)
    assert "X-Page-Cache" not in client.get(reverse("admin:index"))


def test_a_reader_with_a_session_is_neither_served_nor_kept(page_cache, make_article, client, boss):
    story = make_article()
    client.force_login(boss)
    signed_in = client.get(story.get_absolute_url())
    assert signed_in.status_code == 200
    assert "X-Page-Cache" not in signed_in
    client.logout()
    anonymous = client.get(story.get_absolute_url())
    assert anonymous["X-Page-Cache"] == "miss"  # the signed-in page was not kept
    client.force_login(boss)
    assert "X-Page-Cache" not in client.get(story.get_absolute_url())  # nor the kept one served


def test_a_kept_page_carries_no_cookie(page_cache, make_article, client):
    story = make_article()
    client.get(story.get_absolute_url())
    hit = client.get(story.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert not hit.cookies
    assert "Set-Cookie" not in hit
    assert b"csrfmiddlewaretoken" not in hit.content


@pytest.mark.parametrize(
    "spoil",
    [
        lambda request, response: response.set_cookie("seen", "1"),
        lambda request, response: request.META.__setitem__("CSRF_COOKIE_NEEDS_UPDATE", True),
        lambda request, response: response.headers.__setitem__("Vary", "Cookie"),
        lambda request, response: response.headers.__setitem__("Cache-Control", "private"),
        lambda request, response: response.headers.__setitem__("Cache-Control", "no-store"),
        lambda request, response: setattr(response, "status_code", 503),
    ],
    ids=["cookie", "csrf-token", "vary-cookie", "private", "no-store", "503"],
)
def test_a_response_for_one_reader_or_not_for_keeping_is_not_kept(spoil):
    request = RequestFactory().get("/")
    response = HttpResponse("page")
    response.headers["Cache-Control"] = "public, max-age=60"
    assert cache_middleware.keepable(request, response) == 60
    spoil(request, response)
    assert cache_middleware.keepable(request, response) == 0


def test_page_cache_off_keeps_nothing(page_cache, settings, make_article, client):
    settings.PAGE_CACHE = False
    story = make_article()
    for _ in range(2):
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert "Surrogate-Key" in response  # the CDN's keys do not depend on it


def test_page_cache_off_in_the_environment(monkeypatch):
    from tests.faults.services import settings_under

    assert settings_under({"PAGE_CACHE": "off"}, "PAGE_CACHE") == {"PAGE_CACHE": False}
    assert settings_under({}, "PAGE_CACHE") == {"PAGE_CACHE": True}


def test_a_page_is_kept_no_longer_than_its_max_age_nor_past_the_next_rights_change(
    page_cache, make_article, client, monkeypatch
):
    now = timezone.now()
    expiring = make_article(rights_expire_at=now + datetime.timedelta(seconds=40))
    timeouts = []
    original = cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("page:"):
            timeouts.append(timeout)
        return original(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    with time_machine.travel(now, tick=False):
        first = client.get(expiring.get_absolute_url())
    assert first.status_code == 200
    assert max_age(first) <= 40
    assert timeouts and timeouts[0] <= max_age(first)
    with time_machine.travel(now + datetime.timedelta(seconds=10), tick=False):
        hit = client.get(expiring.get_absolute_url())
        assert hit["X-Page-Cache"] == "hit"
        assert max_age(hit) <= 30  # what remains, so a CDN keeps it no longer either
    with time_machine.travel(now + datetime.timedelta(seconds=41), tick=False):
        after = client.get(expiring.get_absolute_url())
    assert after.status_code == 451


def test_a_page_is_not_served_to_a_clock_before_it_was_made(page_cache, make_article, client):
    now = timezone.now()
    story = make_article(embargo_until=now + datetime.timedelta(minutes=5))
    with time_machine.travel(now + datetime.timedelta(minutes=6), tick=False):
        assert client.get(story.get_absolute_url()).status_code == 200
    with time_machine.travel(now, tick=False):
        assert client.get(story.get_absolute_url()).status_code == 404


def test_a_redis_that_is_gone_is_a_miss(page_cache, settings, make_article, client):
    from tests.faults.services import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    story = make_article()
    for _ in range(2):
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"


def test_a_database_that_is_gone_leaves_the_page_to_be_made(page_cache, rf, monkeypatch):
    from django.db import OperationalError

    def gone(using="default"):
        raise OperationalError("the database is gone")

    monkeypatch.setattr(generation, "current", gone)
    made = []
    middleware = cache_middleware.PageCache(lambda request: made.append(1) or HttpResponse("made"))
    response = middleware(rf.get(reverse("articles:front")))
    assert response.content == b"made" and made == [1]
