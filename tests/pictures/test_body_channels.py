"""Pictures placed in a story's body on the other channels: the ninjs API's body carries one only
where its own rights allow redistribution (absolute addresses, one query for a whole list); a
feed keeps the story and never reads a caption into its summary; the newsletter's channel asks
for broadcast; a wire's copy places none of our pictures."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from lxml import etree

from articles.ingest.loader import Ingest
from articles.models import Article
from articles.vocabulary import Channel
from newsletter.digest import digest_items, render_digest
from pictures import placing
from tests.factories import max_age, ninjs_item
from tests.pictures.stories import placed

TYPED = "The quay at first light"
PRINT_ONLY = {"may_redistribute": False, "may_broadcast": False}


@pytest.fixture
def story(make_article, staff):
    def make(*placings: str, **fields) -> Article:
        body = "".join(placings) + "<p>The harbour reopened on Monday.</p>"
        return make_article(headline="Harbour reopens", source=staff, body=body, **fields)

    return make


def api_body(client, article: Article, **headers) -> str:
    url = reverse("syndication:api-item", kwargs={"uri": article.guid})
    return client.get(url, headers=headers).json()["bodies"][0]["value"]


# --- the ninjs API -------------------------------------------------------------------------------


def test_the_api_body_carries_a_picture_that_may_be_redistributed(client, story, photo):
    picture = photo()
    body = api_body(client, story(placed(picture.pk, TYPED)))
    assert f'src="http://testserver/pictures/{picture.pk}/800.jpg"' in body
    assert f"http://testserver/pictures/{picture.pk}/320.webp 320w" in body
    assert TYPED in body and "Photo: Ana Lima" in body
    assert "data-picture" not in body


@pytest.mark.parametrize(
    "refusing",
    [
        {"may_redistribute": False},
        {"rights_expire_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)},
        {"embargo_until": datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["print only", "licence expired", "embargoed"],
)
def test_the_api_body_drops_a_picture_its_rights_keep_from_partners(client, story, photo, refusing):
    picture = photo(**refusing)
    body = api_body(client, story(placed(picture.pk, TYPED)))
    assert body == "<p>The harbour reopened on Monday.</p>"


def test_the_api_judges_a_body_picture_for_the_partners_country(client, story, photo):
    article = story(placed(photo(territories=["GB"]).pk, TYPED))
    assert "<img" in api_body(client, article, **{settings.COUNTRY_HEADER: "GB"})
    assert "<img" not in api_body(client, article, **{settings.COUNTRY_HEADER: "DE"})


def test_the_api_list_reads_every_body_picture_in_one_query(
    client, story, photo, django_assert_num_queries
):
    url = reverse("syndication:api-items")
    story(placed(photo().pk, TYPED))
    with django_assert_num_queries(4) as one:
        client.get(url)
    for _ in range(4):
        story(placed(photo().pk, TYPED), placed(photo(may_redistribute=False).pk, TYPED))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    bodies = [item["bodies"][0]["value"] for item in response.json()["items"]]
    assert sum(body.count("<img") for body in bodies) == 5


def test_the_api_is_kept_no_longer_than_a_body_pictures_rights(client, story, photo, now):
    picture = photo(rights_expire_at=now + datetime.timedelta(minutes=4))
    article = story(placed(picture.pk, TYPED))
    response = client.get(reverse("syndication:api-item", kwargs={"uri": article.guid}))
    assert 0 < max_age(response) <= 240
    assert f"picture-{picture.pk}" in response["Surrogate-Key"].split()


# --- feeds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("feed", ["syndication:rss", "syndication:atom"])
def test_a_feed_keeps_the_story_of_a_print_only_picture_and_no_caption(client, story, photo, feed):
    picture = photo(**PRINT_ONLY)
    story(placed(picture.pk, TYPED), standfirst="")
    response = client.get(reverse(feed))
    content = response.content.decode()
    assert "Harbour reopens" in content
    assert "The harbour reopened on Monday." in content  # the summary, from the paragraph
    assert TYPED not in content and f"/pictures/{picture.pk}/" not in content
    assert f"picture-{picture.pk}" not in response["Surrogate-Key"]  # the feed shows no body


def test_a_summary_is_never_read_from_a_caption_even_alone(client, story, photo):
    story(placed(photo().pk, "<p>Only a caption</p>"), standfirst="")
    Article.objects.update(body=placed(1, "<p>Only a caption</p>"))
    root = etree.fromstring(client.get(reverse("syndication:rss")).content)
    [item] = root.iter("item")
    assert item.findtext("title") == "Harbour reopens"
    assert item.findtext("description") is None


# --- the newsletter's channel and the renderer ---------------------------------------------------


def test_the_newsletters_channel_asks_for_broadcast_and_knows_no_country(photo, now):
    may, print_only, in_gb = photo(), photo(may_broadcast=False), photo(territories=["GB"])
    body = placed(may.pk, TYPED) + placed(print_only.pk, TYPED) + placed(in_gb.pk, TYPED)
    pictures = placing.fetch([may.pk, print_only.pk, in_gb.pk])
    shown = placing.render(body, pictures, Channel.NEWSLETTER, at=now)
    assert shown.count("<figure") == 1 and f"/pictures/{may.pk}/" in shown
    # The page for a reader in GB would show two of them.
    assert placing.render(body, pictures, Channel.PAGE, at=now, country="GB").count("<img") == 3


def test_the_digest_carries_no_body_so_no_body_picture(story, photo, now):
    picture = photo(may_broadcast=False)
    story(placed(picture.pk, TYPED))
    content = render_digest(digest_items(since=now - datetime.timedelta(days=1)), at=now)
    assert "Harbour reopens" in content.html
    for part in (content.html, content.text):
        assert TYPED not in part and f"/pictures/{picture.pk}/" not in part


def test_fetch_reads_nothing_for_no_id(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert placing.fetch([]) == {}
    assert placing.render("<p>x</p>", {}, Channel.PAGE, at=datetime.datetime.now(datetime.UTC))


# --- ingest --------------------------------------------------------------------------------------


def test_a_wire_story_places_none_of_our_pictures(db, photo):
    picture = photo()
    body = f'<p>Text.</p><figure data-picture="{picture.pk}"><figcaption>c</figcaption></figure>'
    [report] = Ingest().data(ninjs_item(body_html=body), name="item.json")
    stored = Article.objects.get(pk=report.id).body
    assert "data-picture" not in stored
    assert stored.startswith("<p>Text.</p><figure>")
