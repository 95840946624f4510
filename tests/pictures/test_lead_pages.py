"""The lead picture on the article page and the front page: shown only where its own rights
allow this reader to see it now, with its caption and credit, in a constant number of queries,
named among the page's surrogate keys, and the page kept no longer than the picture's rights."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article, Section
from tests.factories import ld_json, max_age
from tests.pictures.stories import CAPTION, country


@pytest.fixture
def story(make_article, staff, photo):
    return make_article(headline="Harbour reopens", source=staff, lead_picture=photo())


def figure(content: str) -> str | None:
    found = re.search(r"<figure class=\"figure[^\"]*\">.*?</figure>", content, re.S)
    return found.group(0) if found else None


def test_the_article_page_shows_a_lead_picture_its_rights_allow(client, story):
    picture = story.lead_picture
    content = client.get(story.get_absolute_url()).content.decode()

    shown = figure(content)
    assert shown is not None
    # An 800-pixel picture is served at 320, 640 and 800: the widest stands for 1024.
    assert f'src="/pictures/{picture.pk}/800.jpg"' in shown
    assert f"/pictures/{picture.pk}/320.jpg 320w, /pictures/{picture.pk}/640.jpg 640w" in shown
    assert f"/pictures/{picture.pk}/800.jpg 800w" in shown
    assert f"/pictures/{picture.pk}/800.webp 800w" in shown
    assert 'type="image/webp"' in shown
    assert 'width="800" height="600"' in shown
    assert 'alt="Boats in the harbour"' in shown
    assert CAPTION in shown
    assert "Photo: Ana Lima / © 2026 The Newsroom" in shown
    assert "style=" not in shown


def test_the_alt_text_falls_back_to_the_caption_and_the_credit_to_the_source(
    client, make_article, staff, photo
):
    picture = photo(title="", credit_line="", copyright_year=None, copyright_holder="")
    article = make_article(source=staff, lead_picture=picture)
    shown = figure(client.get(article.get_absolute_url()).content.decode())
    assert f'alt="{CAPTION}"' in shown
    assert "Photo: Staff / © The Newsroom" in shown


@pytest.mark.parametrize(
    "refusing",
    [
        {"may_publish": False},
        {"rights_settled": False},
        {"status": Article.Status.DRAFT},
        {"embargo_until": datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)},
        {"rights_expire_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["publish denied", "unsettled", "draft", "embargoed", "expired"],
)
def test_a_picture_its_rights_refuse_is_left_out_and_the_story_still_shown(
    client, make_article, staff, photo, refusing
):
    article = make_article(headline="Harbour reopens", source=staff, lead_picture=photo(**refusing))
    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Harbour reopens" in content
    assert figure(content) is None
    assert "/pictures/" not in content
    assert "image" not in ld_json(content)
    assert "og:image" not in content


def test_a_story_whose_own_rights_refuse_it_is_refused_whatever_its_picture(
    client, make_article, staff, photo
):
    article = make_article(source=staff, lead_picture=photo(), may_publish=False)
    assert client.get(article.get_absolute_url()).status_code == 451


def test_a_picture_limited_to_territories_is_shown_only_to_readers_there(
    client, make_article, staff, photo
):
    article = make_article(source=staff, lead_picture=photo(territories=["GB", "IE"]))
    url = article.get_absolute_url()
    assert figure(client.get(url, headers=country("GB")).content.decode()) is not None
    assert figure(client.get(url, headers=country("IE")).content.decode()) is not None
    assert figure(client.get(url, headers=country("FR")).content.decode()) is None
    assert figure(client.get(url).content.decode()) is None  # the country unknown
    response = client.get(url, headers=country("FR"))
    assert settings.COUNTRY_HEADER.lower() in response.headers["Vary"].lower()


def test_a_picture_excluded_from_a_country_is_not_shown_there(client, make_article, staff, photo):
    article = make_article(source=staff, lead_picture=photo(excluded_territories=["US"]))
    url = article.get_absolute_url()
    assert figure(client.get(url, headers=country("GB")).content.decode()) is not None
    assert figure(client.get(url, headers=country("US")).content.decode()) is None


def test_the_article_page_stays_within_its_queries_with_a_picture(
    client, story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(story.get_absolute_url())
    assert figure(response.content.decode()) is not None


def test_the_page_is_kept_no_longer_than_its_pictures_rights(
    client, make_article, staff, photo, now
):
    expiry = now + datetime.timedelta(minutes=10)
    article = make_article(source=staff, lead_picture=photo(rights_expire_at=expiry))
    response = client.get(article.get_absolute_url())
    assert figure(response.content.decode()) is not None
    assert 0 < max_age(response) <= 600


def test_a_picture_still_to_come_bounds_the_page_it_will_appear_on(
    client, make_article, staff, photo, now
):
    lifts = now + datetime.timedelta(minutes=5)
    article = make_article(source=staff, lead_picture=photo(embargo_until=lifts))
    response = client.get(article.get_absolute_url())
    assert figure(response.content.decode()) is None
    assert 0 < max_age(response) <= 300


def test_the_page_names_its_picture_among_its_surrogate_keys(client, make_article, staff, photo):
    shown, hidden = photo(), photo(may_publish=False)
    for picture in (shown, hidden):
        article = make_article(source=staff, lead_picture=picture)
        keys = client.get(article.get_absolute_url()).headers["Surrogate-Key"].split()
        assert f"picture-{picture.pk}" in keys
        assert f"article-{article.pk}" in keys


def test_json_ld_describes_the_picture_with_its_own_rights(client, make_article, staff, photo):
    picture = photo(
        creators=["Ana Lima"],
        web_statement="https://example.com/licensing/harbour",
        copyright_notice="© 2026 The Newsroom. All rights reserved.",
    )
    article = make_article(source=staff, lead_picture=picture, copyright_holder="Someone Else")
    data = ld_json(client.get(article.get_absolute_url()).content.decode())
    image = data["image"]
    assert image["@type"] == "ImageObject"
    assert image["url"] == f"http://testserver/pictures/{picture.pk}/800.jpg"
    assert (image["width"], image["height"]) == (800, 600)
    assert image["copyrightHolder"] == {"@type": "Organization", "name": "The Newsroom"}
    assert data["copyrightHolder"]["name"] == "Someone Else"  # the story's, not the picture's
    assert image["creditText"] == "Ana Lima"
    assert image["license"] == "https://example.com/licensing/harbour"
    assert image["acquireLicensePage"] == "https://example.com/licensing/harbour"
    assert image["copyrightNotice"] == "© 2026 The Newsroom. All rights reserved."
    assert image["creator"] == [{"@type": "Person", "name": "Ana Lima"}]
    assert image["caption"] == CAPTION


def test_json_ld_names_a_creative_commons_licence_the_file_states(
    client, make_article, staff, photo
):
    from articles.notices import CopyTerms, parse_notice

    terms = CopyTerms(notice=parse_notice("Photo by Ana Lima, licensed under CC BY 4.0"))
    picture = photo(copy_terms=terms.as_json(), web_statement="")
    article = make_article(source=staff, lead_picture=picture)
    image = ld_json(client.get(article.get_absolute_url()).content.decode())["image"]
    assert image["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert "acquireLicensePage" not in image
    assert image["creator"] == [{"@type": "Organization", "name": "Ana Lima"}]


# --- the front page ------------------------------------------------------------------------------


@pytest.fixture
def pictured_front(make_article, staff, photo, now):
    def make(n: int, *, refused: int = 0):
        sections = [Section.objects.create(name=f"S{i}", slug=f"s{i}") for i in range(3)]
        stories = []
        for i in range(n):
            picture = photo(may_publish=i >= refused)
            stories.append(
                make_article(
                    headline=f"Harbour story {i}",
                    source=staff,
                    section=sections[i % 3],
                    lead_picture=picture,
                    published_at=now - datetime.timedelta(minutes=i + 1),
                )
            )
        return stories

    return make


def test_the_front_page_shows_the_lead_big_and_the_cards_with_thumbnails(client, pictured_front):
    stories = pictured_front(6)
    content = client.get(reverse("articles:front")).content.decode()
    lead = stories[0].lead_picture
    assert re.search(rf'<figure class="figure figure--lead">.*?/pictures/{lead.pk}/', content, re.S)
    assert content.count('class="figure figure--card"') >= 2
    assert "Photo: Ana Lima / © 2026 The Newsroom" in content


def test_the_front_page_leaves_out_pictures_their_rights_refuse(client, pictured_front):
    stories = pictured_front(4, refused=1)
    content = client.get(reverse("articles:front")).content.decode()
    assert "Harbour story 0" in content
    assert f"/pictures/{stories[0].lead_picture.pk}/" not in content
    assert "figure--lead" not in content
    assert f"/pictures/{stories[1].lead_picture.pk}/" in content


def test_the_front_page_judges_pictures_per_reader_country(client, make_article, staff, photo, now):
    article = make_article(source=staff, lead_picture=photo(territories=["GB"]))
    url = reverse("articles:front")
    assert (
        f"/pictures/{article.lead_picture.pk}/"
        in client.get(url, headers=country("GB")).content.decode()
    )
    assert (
        f"/pictures/{article.lead_picture.pk}/"
        not in client.get(url, headers=country("DE")).content.decode()
    )


@pytest.mark.parametrize("n", [3, 30])
def test_the_front_page_costs_the_same_queries_with_pictures(
    client, pictured_front, django_assert_max_num_queries, n
):
    pictured_front(n, refused=n // 3)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("articles:front"))
    assert response.status_code == 200
    assert "figure--card" in response.content.decode()


def test_the_front_page_names_its_pictures_and_keeps_no_longer_than_their_rights(
    client, make_article, staff, photo, now
):
    picture = photo(rights_expire_at=now + datetime.timedelta(minutes=3))
    make_article(source=staff, lead_picture=picture)
    response = client.get(reverse("articles:front"))
    assert f"picture-{picture.pk}" in response.headers["Surrogate-Key"].split()
    assert 0 < max_age(response) <= 180
