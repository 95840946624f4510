"""The lead picture on the partner channels and the newsletter: RSS and Atom and the ninjs API
carry it only where its own rights allow redistribution, the newsletter only where they allow
broadcast; each judged apart from its story, valid against the IPTC schemas, in constant
queries, and kept no longer than the picture's rights."""

from __future__ import annotations

import datetime

import jsonschema
import pytest
from django.conf import settings
from django.urls import reverse
from lxml import etree

from articles.models import Article
from articles.syndication import openapi
from newsletter.digest import Recipient, deliver, digest_items, record_digest, render_digest
from pictures.models import Picture
from tests.factories import max_age, validate

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def story(make_article, staff, photo):
    def make(headline: str = "Harbour reopens", **picture_fields) -> Article:
        picture = photo(**{"creators": ["Ana Lima"], **picture_fields})
        return make_article(headline=headline, source=staff, lead_picture=picture)

    return make


# --- feeds ---------------------------------------------------------------------------------------


def test_rss_carries_a_picture_that_may_be_redistributed(client, story):
    article = story()
    root = etree.fromstring(client.get(reverse("syndication:rss")).content)
    [item] = root.iter("item")
    content = item.find(f"{MEDIA}content")
    picture = article.lead_picture
    assert content.get("url") == f"http://testserver/pictures/{picture.pk}/800.jpg"
    assert (content.get("type"), content.get("medium")) == ("image/jpeg", "image")
    assert (content.get("width"), content.get("height")) == ("800", "600")
    assert item.findtext(f"{MEDIA}credit") == "Ana Lima"
    assert item.findtext(f"{MEDIA}copyright") == "© 2026 The Newsroom"


def test_atom_carries_it_as_an_enclosure(client, story):
    article = story()
    root = etree.fromstring(client.get(reverse("syndication:atom")).content)
    [entry] = root.iter(f"{ATOM}entry")
    [enclosure] = [link for link in entry.iter(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert enclosure.get("href") == f"http://testserver/pictures/{article.lead_picture.pk}/800.jpg"
    assert enclosure.get("type") == "image/jpeg"
    assert entry.findtext(f"{MEDIA}credit") == "Ana Lima"


@pytest.mark.parametrize("feed", ["syndication:rss", "syndication:atom"])
@pytest.mark.parametrize(
    "refusing",
    [{"may_redistribute": False}, {"may_publish": False}, {"territories": ["GB"]}],
    ids=["redistribution denied", "publication denied", "territories, country unknown"],
)
def test_a_feed_leaves_out_a_picture_its_rights_keep_from_partners(client, story, feed, refusing):
    article = story(**refusing)
    content = client.get(reverse(feed)).content.decode()
    assert article.headline in content  # the story itself may go
    assert "/pictures/" not in content
    assert "enclosure" not in content


def test_a_feed_judges_a_picture_for_the_readers_country(client, story):
    article = story(territories=["GB"])
    url = reverse("syndication:rss")
    here = client.get(url, headers={settings.COUNTRY_HEADER: "GB"}).content.decode()
    there = client.get(url, headers={settings.COUNTRY_HEADER: "FR"}).content.decode()
    assert f"/pictures/{article.lead_picture.pk}/" in here
    assert "/pictures/" not in there


@pytest.mark.parametrize("count", [3, 30])
def test_a_feed_with_pictures_costs_the_same_queries(
    client, story, django_assert_max_num_queries, count
):
    for n in range(count):
        story(f"Story {n}", may_redistribute=n % 2 == 0)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("syndication:rss"))
    assert response.content.decode().count("<media:content") == (count + 1) // 2


def test_a_feed_is_kept_no_longer_than_its_pictures_rights(client, story, now):
    story(rights_expire_at=now + datetime.timedelta(minutes=7))
    response = client.get(reverse("syndication:atom"))
    assert 0 < max_age(response) <= 420
    assert any(k.startswith("picture-") for k in response.headers["Surrogate-Key"].split())


# --- the ninjs API -------------------------------------------------------------------------------


def api_item(client, article: Article, version: str = "3.1", **headers) -> dict:
    url = reverse("syndication:api-item", kwargs={"uri": article.guid})
    response = client.get(url, {"version": version}, headers=headers)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("version", ["3.1", "2.2"])
def test_ninjs_associates_a_picture_that_may_be_redistributed(client, story, version):
    article = story()
    picture = article.lead_picture
    data = api_item(client, article, version)
    validate(data, version)
    key = "associations"
    [associated] = data[key]
    assert associated["name"] == "lead picture"
    assert associated["type"] == "picture"
    assert associated["uri"] == picture.guid
    assert associated["by"] == "Ana Lima"
    holder, notice = ("copyrightHolder", "copyrightNotice")
    if version == "2.2":
        holder, notice = holder.lower(), notice.lower()
        assert "rel" not in associated
    else:
        assert associated["rel"] == "lead picture"
    assert associated[holder] == "The Newsroom"
    assert associated[notice] == "© 2026 The Newsroom"
    hrefs = {r["href"] for r in associated["renditions"]}
    assert f"http://testserver/pictures/{picture.pk}/320.jpg" in hrefs
    assert f"http://testserver/pictures/{picture.pk}/800.webp" in hrefs
    widest = next(r for r in associated["renditions"] if r["name"] == "800-jpg")
    assert (widest["width"], widest["height"]) == (800, 600)
    assert widest["contentType" if version == "3.1" else "contenttype"] == "image/jpeg"


def test_the_association_matches_the_openapi_description(client, story):
    [associated] = api_item(client, story())["associations"]
    jsonschema.validate(associated, openapi.lead_picture())


@pytest.mark.parametrize("version", ["3.1", "2.2"])
@pytest.mark.parametrize(
    "refusing",
    [{"may_redistribute": False}, {"rights_settled": False}, {"excluded_territories": ["FR"]}],
    ids=["redistribution denied", "unsettled", "excluded for the partner's country"],
)
def test_ninjs_leaves_out_a_picture_its_rights_keep_from_partners(client, story, version, refusing):
    data = api_item(client, story(**refusing), version, **{settings.COUNTRY_HEADER: "FR"})
    validate(data, version)
    assert "associations" not in data


def test_the_api_list_carries_pictures_in_constant_queries(
    client, story, django_assert_max_num_queries
):
    for n in range(12):
        story(f"Story {n}", may_redistribute=n % 3 != 0)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("syndication:api-items"))
    items = response.json()["items"]
    assert sum("associations" in item for item in items) == 8
    for item in items:
        validate(item, "3.1")


def test_the_api_is_kept_no_longer_than_its_pictures_rights(client, story, now):
    article = story(rights_expire_at=now + datetime.timedelta(minutes=4))
    url = reverse("syndication:api-item", kwargs={"uri": article.guid})
    response = client.get(url)
    assert 0 < max_age(response) <= 240
    assert f"picture-{article.lead_picture.pk}" in response.headers["Surrogate-Key"].split()


# --- the newsletter ------------------------------------------------------------------------------


def test_the_newsletter_shows_a_picture_that_may_be_broadcast(story, now, settings):
    settings.SITE_URL = "https://news.example.com"
    article = story()
    content = render_digest([article], at=now)
    picture = article.lead_picture
    assert f'<img src="https://news.example.com/pictures/{picture.pk}/640.jpg"' in content.html
    assert 'width="576" height="432"' in content.html
    assert 'alt="Boats in the harbour"' in content.html
    assert "Photo: Ana Lima / © 2026 The Newsroom" in content.html
    # The plain-text part names the credit and nothing else of the picture.
    assert "Photo: Ana Lima / © 2026 The Newsroom" in content.text
    assert "/pictures/" not in content.text
    assert "Boats in the harbour" not in content.text
    assert "style=" not in content.html


@pytest.mark.parametrize(
    "refusing",
    [{"may_broadcast": False}, {"may_publish": False}, {"territories": ["GB"]}],
    ids=["broadcast denied", "publication denied", "territories (an email has no country)"],
)
def test_the_newsletter_leaves_out_a_picture_its_rights_keep_from_email(story, now, refusing):
    article = story(**refusing)
    content = render_digest([article], at=now)
    assert article.headline in content.html
    assert "<img" not in content.html
    assert "Photo:" not in content.text
    assert "Photo:" not in content.html


def test_the_digest_reads_its_pictures_with_its_items(story, now, django_assert_max_num_queries):
    for n in range(5):
        story(f"Story {n}")
    with django_assert_max_num_queries(2):
        content = render_digest(digest_items(since=now - DAY), at=now)
    assert content.html.count("<img") == 5


def test_a_picture_refused_since_the_digest_was_recorded_is_not_delivered(
    story, now, mailoutbox, settings
):
    settings.NEWSLETTER_RECIPIENTS = ["desk@example.com"]
    article = story()
    digest = record_digest([article], [Recipient("desk@example.com")], at=now)
    Picture.objects.filter(pk=article.lead_picture_id).update(may_broadcast=False)
    deliver(digest, at=now + datetime.timedelta(minutes=1))
    [message] = mailoutbox
    assert article.headline in message.body
    assert "<img" not in message.alternatives[0][0]
