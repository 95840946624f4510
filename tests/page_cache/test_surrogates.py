"""Every public response names what it shows in Surrogate-Key and Cache-Tag, within a bound."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import surrogates
from articles.models import Byline, Person, Section
from articles.presentation import item_uri

pytestmark = pytest.mark.django_db


def keys(response) -> set[str]:
    value = response["Surrogate-Key"]
    assert response["Cache-Tag"] == value.replace(" ", ",")
    return set(value.split())


@pytest.fixture
def shown(make_article, make_source):
    section = Section.objects.create(name="World", slug="world")
    person = Person.objects.create(name="Ada Writer", slug="ada-writer")
    visible = make_article(headline="Visible story", section=section)
    other = make_article(headline="Another story", section=section)
    hidden = make_article(headline="Hidden story", section=section, status="withdrawn")
    for article in (visible, other, hidden):
        Byline.objects.create(article=article, person=person)
    return visible, other, hidden, section, person


def test_the_front_page_names_its_stories_their_sources_and_itself(client, shown):
    visible, other, hidden, *_ = shown
    found = keys(client.get("/"))
    assert {"site", "front", f"article-{visible.pk}", f"article-{other.pk}"} <= found
    assert f"source-{visible.source_id}" in found
    assert f"article-{hidden.pk}" not in found


def test_a_list_names_its_section_and_its_stories(client, shown):
    visible, other, hidden, section, person = shown
    found = keys(client.get(reverse("articles:section", args=[section.slug])))
    assert {f"section-{section.pk}", f"article-{visible.pk}", f"article-{other.pk}"} <= found
    assert f"article-{hidden.pk}" not in found
    by = keys(client.get(reverse("articles:person", args=[person.slug])))
    assert {f"person-{person.pk}", f"article-{visible.pk}"} <= by


def test_an_article_names_itself_and_its_source(client, shown):
    visible, *_ = shown
    found = keys(client.get(visible.get_absolute_url()))
    assert found == {"site", "pages", f"article-{visible.pk}", f"source-{visible.source_id}"}


def test_feeds_name_their_items(client, shown):
    visible, other, hidden, section, _ = shown
    for url in (
        reverse("syndication:rss"),
        reverse("syndication:atom"),
        reverse("syndication:section-rss", args=[section.slug]),
    ):
        found = keys(client.get(url))
        assert {"feed", f"article-{visible.pk}", f"article-{other.pk}"} <= found, url
        assert f"article-{hidden.pk}" not in found
    assert f"section-{section.pk}" in keys(
        client.get(reverse("syndication:section-rss", args=[section.slug]))
    )


def test_the_api_names_its_items(client, shown):
    visible, other, hidden, *_ = shown
    listed = keys(client.get(reverse("syndication:api-items")))
    assert {"api", f"article-{visible.pk}", f"article-{other.pk}"} <= listed
    assert f"article-{hidden.pk}" not in listed
    one = keys(client.get(reverse("syndication:api-item", args=[item_uri(visible)])))
    assert f"article-{visible.pk}" in one and f"article-{other.pk}" not in one


def test_sitemaps_are_dropped_with_any_item(client, shown):
    for url in (reverse("syndication:sitemap"), reverse("syndication:sitemap-news")):
        assert {"site", "sitemap", surrogates.OVERFLOW} <= keys(client.get(url))


def test_a_refusal_names_nothing_of_the_item(client, shown):
    _, _, hidden, *_ = shown
    refused = client.get(hidden.get_absolute_url())
    unknown = client.get("/news/no-such-story/")
    assert refused.status_code == 410 and unknown.status_code == 404
    assert keys(refused) == keys(unknown) == {"site", "pages"}


def test_the_header_is_bounded_and_a_long_list_falls_back_to_overflow():
    many = {f"article-{n}" for n in range(5000)} | {"site", "feed", "source-1"}
    value = surrogates.header(many)
    assert len(value) <= surrogates.HEADER_LIMIT
    assert set(value.split()) == {"site", "feed", "source-1", surrogates.OVERFLOW}
    assert surrogates.header({"article-1", "site"}) == "article-1 site"


def test_a_key_that_is_not_a_plain_name_is_left_out():
    assert (
        surrogates.header({"article-1", "bad key", "Ünïcode", "a" * 200, "x\r\ny"}) == "article-1"
    )


def test_naming_outside_a_request_does_nothing(shown):
    visible, *_ = shown
    surrogates.name(visible)  # no request is gathering: nothing to name it in, and no error
    with surrogates.gathering("site") as found:
        surrogates.name(visible, "front")
    assert found == {"site", "front", f"article-{visible.pk}", f"source-{visible.source_id}"}
