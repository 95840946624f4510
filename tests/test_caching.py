"""Caching: no public page is kept past the next rights change, and refusals are never kept."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import max_age


def test_an_article_is_cached_no_longer_than_until_its_rights_expire(client, make_article, now):
    article = make_article(rights_expire_at=now + datetime.timedelta(seconds=90))

    response = client.get(article.get_absolute_url())

    assert "public" in response.headers["Cache-Control"]
    assert 0 < max_age(response) <= 90


def test_the_front_page_is_cached_no_longer_than_until_the_next_embargo_lifts(
    client, make_article, now
):
    make_article(headline="Out now")
    make_article(headline="Soon", embargo_until=now + datetime.timedelta(seconds=40))

    response = client.get(reverse("articles:front"))

    assert "Soon" not in response.content.decode()
    assert 0 < max_age(response) <= 40


def test_the_front_page_is_cached_no_longer_than_until_the_next_rights_window_opens(
    client, make_article, now
):
    make_article(headline="Out now")
    make_article(headline="Soon", rights_start_at=now + datetime.timedelta(seconds=40))

    response = client.get(reverse("articles:front"))

    assert "Soon" not in response.content.decode()
    assert 0 < max_age(response) <= 40


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.KILLED},
        {"may_publish": False},
    ],
)
def test_a_refusal_is_never_stored(client, make_article, fields):
    response = client.get(make_article(**fields).get_absolute_url())

    assert "no-store" in response.headers["Cache-Control"]
    assert max_age(response) == 0


def test_a_page_answers_not_modified_to_a_matching_etag(client, make_article):
    url = make_article().get_absolute_url()

    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_page_does_not_answer_not_modified(client, make_article):
    article = make_article(headline="First version")
    first = client.get(reverse("articles:front"))
    article.headline = "Second version"
    article.save()

    again = client.get(reverse("articles:front"), headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert "Second version" in again.content.decode()
