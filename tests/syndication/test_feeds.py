"""RSS and Atom feeds: valid, carrying each item's rights, and never an item partners may not have.

Every partner channel's tests use the `catalogue` fixture: the visible item and its hidden twins.
"""

from __future__ import annotations

import datetime
import email.utils

import pytest
from django.urls import reverse
from lxml import etree

from articles.models import Byline, Section
from tests.factories import Catalogue, max_age

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
FEEDS = ["rss", "atom", "section-rss", "section-atom", "source-rss", "source-atom"]


def feed_url(name: str, catalogue: Catalogue) -> str:
    if name.startswith("section"):
        return reverse(f"syndication:{name}", kwargs={"slug": catalogue.section.slug})
    if name.startswith("source"):
        return reverse(f"syndication:{name}", kwargs={"slug": catalogue.source.slug})
    return reverse(f"syndication:{name}")


def parse(response) -> etree._Element:
    assert response.status_code == 200
    return etree.fromstring(response.content)


def titles(root: etree._Element) -> list[str]:
    if root.tag == "rss":
        return [item.findtext("title") for item in root.iter("item")]
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_shows_the_visible_item_and_no_hidden_one(client, catalogue, name):
    response = client.get(feed_url(name, catalogue))
    assert titles(parse(response)) == ["Visible story"]
    for article in catalogue.hidden.values():
        assert article.headline.encode() not in response.content
        assert article.guid.encode() not in response.content


@pytest.mark.parametrize("name", ["source-rss", "source-atom"])
def test_a_suspended_source_has_an_empty_feed(client, catalogue, name):
    suspended = catalogue.hidden["suspended_source"].source
    response = client.get(reverse(f"syndication:{name}", kwargs={"slug": suspended.slug}))
    assert titles(parse(response)) == []


@pytest.mark.parametrize("name", FEEDS)
def test_a_territory_limited_item_reaches_readers_in_its_territory(client, catalogue, name):
    response = client.get(feed_url(name, catalogue), HTTP_CF_IPCOUNTRY="GB")
    assert titles(parse(response)) == ["Hidden territory_limited", "Visible story"]


@pytest.mark.parametrize("name", FEEDS)
def test_feeds_vary_on_the_country_and_are_cached_only_until_the_next_change(
    client, catalogue, name
):
    response = client.get(feed_url(name, catalogue))
    assert "CF-IPCountry" in response.headers["Vary"]
    # The scheduled and embargoed items go live within the hour.
    assert 0 < max_age(response) <= 300
    assert "Last-Modified" in response.headers


@pytest.mark.parametrize("name", ["rss", "section-rss", "source-rss"])
def test_rss_is_valid_rss_2_0_with_rights_per_item(client, catalogue, name):
    root = parse(client.get(feed_url(name, catalogue)))
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required)
    email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate"))
    (item,) = channel.iter("item")
    article = catalogue.visible
    assert item.findtext("title") == "Visible story"
    assert item.findtext("link") == f"http://testserver{article.get_absolute_url()}"
    guid = item.find("guid")
    assert guid.text == article.guid
    assert guid.get("isPermaLink") == "false"
    assert item.findtext("description") == "Standfirst of Visible story."
    assert item.findtext(f"{DC}creator") == "Erdogan Cagatay Zontur"
    assert item.findtext(f"{DC}rights") == "© 2022 Anadolu Agency. All rights reserved."
    published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
    assert published == article.published_at.replace(microsecond=0)


@pytest.mark.parametrize("name", ["atom", "section-atom", "source-atom"])
def test_atom_is_valid_rfc_4287_with_rights_per_entry(client, catalogue, name):
    root = parse(client.get(feed_url(name, catalogue)))
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}")
    datetime.datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    (entry,) = root.iter(f"{ATOM}entry")
    article = catalogue.visible
    assert entry.findtext(f"{ATOM}id") == article.guid
    assert entry.findtext(f"{ATOM}title") == "Visible story"
    updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert updated == article.updated_at
    link = entry.find(f"{ATOM}link")
    assert link.get("href") == f"http://testserver{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Erdogan Cagatay Zontur"
    assert entry.findtext(f"{ATOM}summary") == "Standfirst of Visible story."
    assert entry.findtext(f"{ATOM}rights") == "© 2022 Anadolu Agency. All rights reserved."


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_an_entry_is_categorised_by_its_section_and_keywords(client, make_article, name):
    section = Section.objects.create(name="World", slug="world")
    make_article(section=section, keywords=["ferries", "storms"])
    root = parse(client.get(reverse(f"syndication:{name}")))
    if name == "rss":
        categories = [c.text for c in root.iter("category")]
    else:
        categories = [c.get("term") for c in root.iter(f"{ATOM}category")]
    assert categories == ["World", "ferries", "storms"]


def test_an_entry_without_bylines_names_its_source(client, make_article, make_source):
    make_article(source=make_source("Reuters"), headline="Unsigned")
    root = parse(client.get(reverse("syndication:atom")))
    assert root.findtext(f"{ATOM}entry/{ATOM}author/{ATOM}name") == "Reuters"


def test_an_unknown_section_has_no_feed(client, db):
    response = client.get(reverse("syndication:section-rss", kwargs={"slug": "nowhere"}))
    assert response.status_code == 404


@pytest.mark.parametrize("name", FEEDS)
@pytest.mark.parametrize("count", [3, 30])
def test_a_feed_costs_the_same_queries_for_3_items_as_for_30(
    client, make_article, catalogue, django_assert_max_num_queries, name, count
):
    for n in range(count):
        article = make_article(
            headline=f"Extra {n}", section=catalogue.section, source=catalogue.source
        )
        Byline.objects.create(article=article, person=catalogue.person)
    with django_assert_max_num_queries(5):
        response = client.get(feed_url(name, catalogue))
    assert len(titles(parse(response))) == count + 1
