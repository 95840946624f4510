"""Redis gone: the cache is a miss, pages are still served and sign-in still works, the error is
logged (not once a request), and when Redis is back the cache works again.

Against a redis-server of the test's own, killed and started again mid-run.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

import newsroom.cache
from newsroom import urls as site_urls
from newsroom.cache import ResilientRedisCache
from tests.faults.services import settings_under

pytestmark = pytest.mark.redis

OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


def cache_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "newsroom.cache"]


def test_redis_url_selects_the_resilient_cache_with_small_timeouts():
    caches = settings_under({"REDIS_URL": "redis://127.0.0.1:1/0"}, "CACHES")["CACHES"]

    assert caches["default"]["BACKEND"] == "newsroom.cache.ResilientRedisCache"
    assert caches["default"]["OPTIONS"] == OPTIONS


def test_a_redis_that_is_gone_is_an_empty_cache_until_it_is_back(private_redis, caplog):
    redis = ResilientRedisCache(private_redis.url, {"OPTIONS": OPTIONS})
    redis.set("story", "cached")
    assert redis.get("story") == "cached"

    private_redis.kill()
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        assert redis.get("story") is None
        assert redis.get("story", "miss") == "miss"
        assert redis.get_many(["story"]) == {}
        assert redis.has_key("story") is False
        assert redis.get_or_set("front", lambda: "computed") == "computed"
        redis.set("story", "dropped")
        assert redis.add("new", 1) is False
        assert redis.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert redis.touch("story") is False
        assert redis.delete("story") is False
        redis.delete_many(["a", "b"])
        with pytest.raises(ValueError, match="not found"):
            redis.incr("hits")
        assert redis.clear() is False
    down = cache_records(caplog)

    private_redis.start()
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        redis.set("story", "fresh")
        assert redis.get("story") == "fresh"
        assert redis.add("hits", 1) and redis.incr("hits") == 2

    # The first failure is logged, with its cause; the rest of the outage is not, line by line.
    assert [(r.levelname, r.getMessage()) for r in down] == [
        (
            "ERROR",
            "Redis unavailable, cache get answered as a miss: ConnectionError: Error 111 "
            f"connecting to 127.0.0.1:{private_redis.port}. Connection refused.",
        )
    ]
    back = cache_records(caplog)[len(down) :]
    assert [r.getMessage() for r in back] == [
        "Redis answers again, after 15 failed cache operations."
    ]


def test_a_long_outage_is_logged_again_once_a_while_with_the_failures_since(
    private_redis, caplog, monkeypatch
):
    monkeypatch.setattr(newsroom.cache, "LOG_EVERY", 0.2)
    redis = ResilientRedisCache(private_redis.url, {"OPTIONS": OPTIONS})
    private_redis.kill()

    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for _ in range(5):
            redis.get("story")
        time.sleep(0.3)
        redis.get("story")

    messages = [r.getMessage() for r in cache_records(caplog)]
    assert len(messages) == 2
    assert messages[1].endswith("(4 more failures since the last report)")


def remembered(request: HttpRequest) -> HttpResponse:
    """A page that keeps something in the cache and shows what the cache gives back."""
    cache.set("remembered", request.GET["value"], 60)
    return HttpResponse(repr(cache.get("remembered")))


urlpatterns = [path("remembered/", remembered), *site_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_pages_are_served_and_sign_in_works_while_redis_is_gone(
    client, make_article, private_redis, caplog
):
    article = make_article()
    get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    backend = {"BACKEND": "newsroom.cache.ResilientRedisCache", "OPTIONS": OPTIONS}

    def visit(value: str) -> list[tuple[int, str]]:
        pages = [client.get("/remembered/", {"value": value}), client.get("/")]
        pages.append(client.get(article.get_absolute_url()))
        return [(page.status_code, page.content.decode()[:20]) for page in pages]

    with (
        override_settings(CACHES={"default": {**backend, "LOCATION": private_redis.url}}),
        caplog.at_level(logging.WARNING, logger="newsroom.cache"),
    ):
        up = visit("before")
        private_redis.kill()
        down = [visit(f"during {n}") for n in range(5)]
        signed_in = client.post(
            "/admin/login/?next=/admin/", {"username": "editor", "password": "pw"}
        )
        desk = client.get("/admin/")
        private_redis.start()
        back = visit("after")

    assert up[0] == (200, "'before'") and back[0] == (200, "'after'")
    assert [pages[0] for pages in down] == [(200, "None")] * 5  # a miss, not an error
    assert all(status == 200 for pages in [up, *down, back] for status, _ in pages)
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/admin/"
    assert desk.status_code == 200  # sessions are in the database, not the cache
    errors = [r for r in cache_records(caplog) if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "Connection refused" in errors[0].getMessage()
