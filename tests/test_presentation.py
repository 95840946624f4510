"""One item reads the same on every channel: one moment it went public, one moment it last changed.

The Python functions and their database twins agree, on SQLite here and on PostgreSQL in CI.
"""

from __future__ import annotations

import datetime
import email.utils
import itertools

import pytest
from django.urls import reverse
from lxml import etree

from articles.models import Article, Source
from articles.presentation import (
    changed_at,
    changed_at_expression,
    item_uri,
    licence_url,
    public_from,
    public_from_expression,
)
from tests.factories import ld_json

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def embargoed_then_edited(make_article, now) -> Article:
    """Published six hours ago under an embargo that lifted two hours ago; edited in between."""
    article = make_article(
        headline="Central bank holds rates",
        published_at=now - 6 * HOUR,
        embargo_until=now - 2 * HOUR,
    )
    Article.objects.filter(pk=article.pk).update(updated_at=now - 5 * HOUR)
    article.refresh_from_db()
    return article


def moment(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def page_data(client, article: Article) -> dict:
    return ld_json(client.get(article.get_absolute_url()).content.decode())


def atom_entry(client) -> etree._Element:
    root = etree.fromstring(client.get(reverse("syndication:atom")).content)
    (entry,) = root.iter(f"{ATOM}entry")
    return entry


def rss_item(client) -> etree._Element:
    root = etree.fromstring(client.get(reverse("syndication:rss")).content)
    (item,) = root.iter("item")
    return item


def sitemap_entry(client, path: str) -> etree._Element:
    root = etree.fromstring(client.get(path).content)
    (url,) = root.iter(f"{SITEMAP}url")
    return url


def ninjs_item(client, article: Article):
    return client.get(reverse("syndication:api-item", kwargs={"uri": item_uri(article)}))


def test_an_item_went_public_when_its_embargo_lifted(embargoed_then_edited, now):
    assert public_from(embargoed_then_edited) == now - 2 * HOUR


def test_an_item_edited_before_it_went_public_changed_when_it_went_public(
    embargoed_then_edited, now
):
    assert changed_at(embargoed_then_edited) == now - 2 * HOUR


def test_an_item_edited_after_it_went_public_changed_at_the_edit(make_article, now):
    article = make_article(published_at=now - 6 * HOUR, embargo_until=now - 2 * HOUR)
    Article.objects.filter(pk=article.pk).update(updated_at=now - HOUR)
    article.refresh_from_db()

    assert public_from(article) == now - 2 * HOUR
    assert changed_at(article) == now - HOUR


def test_every_channel_says_one_item_changed_at_one_instant(client, embargoed_then_edited, now):
    changed = now - 2 * HOUR
    news_map = sitemap_entry(client, reverse("syndication:sitemap-news"))
    articles_map = sitemap_entry(
        client, reverse("syndication:sitemap-section", kwargs={"section": "articles"})
    )
    api = ninjs_item(client, embargoed_then_edited)

    assert moment(page_data(client, embargoed_then_edited)["dateModified"]) == changed
    assert moment(atom_entry(client).findtext(f"{ATOM}updated")) == changed
    assert moment(news_map.findtext(f"{SITEMAP}lastmod")) == changed
    assert articles_map.findtext(f"{SITEMAP}lastmod") == changed.date().isoformat()
    assert moment(api.json()["versionCreated"]) == changed
    assert email.utils.parsedate_to_datetime(api["Last-Modified"]) == changed


def test_every_channel_says_one_item_went_public_at_one_instant(client, embargoed_then_edited, now):
    public = now - 2 * HOUR
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    news_map = sitemap_entry(client, reverse("syndication:sitemap-news"))

    assert moment(page_data(client, embargoed_then_edited)["datePublished"]) == public
    assert moment(atom_entry(client).findtext(f"{ATOM}published")) == public
    assert email.utils.parsedate_to_datetime(rss_item(client).findtext("pubDate")) == public
    assert moment(news_map.findtext(f"{news}news/{news}publication_date")) == public
    page = client.get(embargoed_then_edited.get_absolute_url()).content.decode()
    assert f'<time datetime="{public.isoformat()}">' in page


def test_the_python_and_database_twins_agree(make_article, now):
    published = [None, now - 6 * HOUR]
    embargoes = [None, now - 8 * HOUR, now - 6 * HOUR, now - 2 * HOUR, now + HOUR]
    windows = [None, now - 7 * HOUR, now - 2 * HOUR, now + 2 * HOUR]
    edits = [now - 9 * HOUR, now - 4 * HOUR, now - 2 * HOUR, now]
    made = []
    for published_at, embargo_until, rights_start_at, updated_at in itertools.product(
        published, embargoes, windows, edits
    ):
        article = make_article(
            status=Article.Status.PUBLISHED if published_at else Article.Status.DRAFT,
            published_at=published_at,
            embargo_until=embargo_until,
            rights_start_at=rights_start_at,
        )
        Article.objects.filter(pk=article.pk).update(updated_at=updated_at)
        made.append(article.pk)

    rows = Article.objects.filter(pk__in=made).annotate(
        db_public_from=public_from_expression(), db_changed_at=changed_at_expression()
    )
    for article in rows:
        assert article.db_public_from == public_from(article), article.pk
        assert article.db_changed_at == changed_at(article), article.pk


def test_the_api_window_reads_when_an_item_changed(client, embargoed_then_edited, now):
    url = reverse("syndication:api-items")
    after_the_edit = (now - 3 * HOUR).isoformat()

    found = client.get(url, {"since": after_the_edit}).json()["items"]

    assert [item["uri"] for item in found] == [item_uri(embargoed_then_edited)]
    assert client.get(url, {"until": after_the_edit}).json()["items"] == []


def test_the_licence_url_comes_from_the_terms_stored_with_the_item_not_a_new_reading(
    client, make_article, make_source, monkeypatch
):
    """The notice is read once, when the item is stored; pages and feeds never parse it again."""
    from articles import notices, presentation

    article = make_article(
        source=make_source("Global Voices", kind=Source.Kind.PARTNER),
        copyright_notice="This work is licensed under a Creative Commons Attribution 4.0 licence.",
    )
    assert article.copy_terms["notice"]["licence"]["code"] == "CC-BY-4.0"

    def no_reading(*args, **kwargs):
        raise AssertionError("the notice was parsed again")

    monkeypatch.setattr(notices, "parse_notice", no_reading)
    monkeypatch.setattr(presentation, "parse_notice", no_reading, raising=False)
    assert licence_url(article) == "https://creativecommons.org/licenses/by/4.0/"
    assert page_data(client, article)["license"] == licence_url(article)
    assert client.get(reverse("syndication:rss")).status_code == 200
