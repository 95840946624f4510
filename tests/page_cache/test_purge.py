"""A change that may hide an item purges the CDN by surrogate key once it commits, and never
when it rolls back; Varnish, Fastly and Cloudflare each in their own form."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import transaction

from articles import cdn
from articles.rights import Right
from articles.surrogates import OVERFLOW

# Transactional: the purge follows a real commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def varnish(settings, fake_cdn):
    settings.CDN_PURGE_URLS = [fake_cdn.url]
    return fake_cdn


def test_a_kill_purges_the_item_once_it_commits(varnish, make_article, boss):
    story = make_article()
    varnish.requests.clear()
    with transaction.atomic():
        story.kill(by=boss, reason="Legal")
        assert varnish.requests == []  # nothing before the commit
    assert len(varnish.requests) == 1
    sent = varnish.requests[0]
    assert sent.method == "BAN"
    assert {f"article-{story.pk}", OVERFLOW} <= varnish.sent_keys()[0]


def test_a_withdrawal_purges_the_item(varnish, make_article, boss):
    story = make_article()
    varnish.requests.clear()
    story.withdraw(by=boss, reason="Wrong")
    assert [f"article-{story.pk}" in keys for keys in varnish.sent_keys()] == [True]


def test_a_licence_change_purges_its_source_and_items_in_one_request(
    varnish, make_source, make_licence, make_article
):
    source = make_source("Meridian Press Agency")
    licence = make_licence(source, Right.PUBLISH, Right.REDISTRIBUTE)
    for _ in range(3):
        make_article(source=source, licence=licence)
    varnish.requests.clear()
    licence.grants_publish = False
    licence.save()
    assert len(varnish.requests) == 1
    assert f"source-{source.pk}" in varnish.sent_keys()[0]


def test_a_suspension_purges_the_source(varnish, make_article):
    story = make_article()
    varnish.requests.clear()
    story.source.suspended = True
    story.source.save()
    assert f"source-{story.source_id}" in varnish.sent_keys()[0]


def test_nothing_is_sent_when_the_transaction_rolls_back(varnish, make_article, boss):
    story = make_article()
    varnish.requests.clear()

    def failing_kill():
        with transaction.atomic():
            story.kill(by=boss, reason="Legal")
            raise RuntimeError("the kill failed")

    with pytest.raises(RuntimeError):
        failing_kill()
    assert varnish.requests == []
    story.refresh_from_db()
    assert story.status == "published"
    # Nor later, with the next transaction's purge.
    with transaction.atomic():
        story.headline = "Edited"
        story.save()
    assert len(varnish.requests) == 1


def test_nothing_is_sent_without_a_cdn(settings, fake_cdn, make_article, boss):
    settings.CDN_PURGE_URLS = []
    make_article().kill(by=boss, reason="Legal")
    assert fake_cdn.requests == []


def test_fastly_is_purged_by_surrogate_key(settings, fake_cdn, make_article, boss):
    settings.FASTLY_API_URL = fake_cdn.url
    settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "SVC123", "fastly-token"
    story = make_article()
    fake_cdn.requests.clear()
    story.kill(by=boss, reason="Legal")
    (sent,) = fake_cdn.requests
    assert (sent.method, sent.path) == ("POST", "/service/SVC123/purge")
    assert sent.headers["Fastly-Key"] == "fastly-token"
    assert f"article-{story.pk}" in sent.headers["Surrogate-Key"].split()


def test_cloudflare_is_purged_by_cache_tag_thirty_at_a_time(settings, fake_cdn):
    settings.CLOUDFLARE_API_URL = fake_cdn.url.rstrip("/") + "/client/v4"
    settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "ZONE9", "cf-token"
    cdn.send([f"article-{n}" for n in range(40)])
    assert [r.path for r in fake_cdn.requests] == ["/client/v4/zones/ZONE9/purge_cache"] * 2
    assert fake_cdn.requests[0].headers["Authorization"] == "Bearer cf-token"
    tags = [json.loads(r.body)["tags"] for r in fake_cdn.requests]
    assert [len(t) for t in tags] == [30, 10]
    assert sorted(tags[0] + tags[1]) == sorted(f"article-{n}" for n in range(40))


def test_a_cdn_that_does_not_answer_is_logged_and_the_change_stands(
    settings, fake_cdn, make_article, boss, caplog
):
    settings.CDN_PURGE_URLS = [fake_cdn.url]
    settings.CDN_PURGE_TIMEOUT = 0.2
    fake_cdn.delay = 1.0
    story = make_article()
    with caplog.at_level(logging.ERROR, logger="newsroom.cdn"):
        story.kill(by=boss, reason="Legal")
    story.refresh_from_db()
    assert story.status == "killed"
    assert "Varnish did not answer the purge" in caplog.text


def test_a_cdn_that_refuses_is_logged(settings, make_article, boss, caplog):
    from tests.faults.services import free_port

    settings.CDN_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # nothing listens
    with caplog.at_level(logging.ERROR, logger="newsroom.cdn"):
        make_article().kill(by=boss, reason="Legal")
    assert "did not answer the purge" in caplog.text
