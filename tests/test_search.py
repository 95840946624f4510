"""Search: ranked full-text search on PostgreSQL, substring matching elsewhere; permitted only."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from articles.filters import ArticleFilter
from articles.models import Article
from articles.rights import Right
from articles.search import ranked_search, substring_search
from tests.factories import need_service


def search_page(client, terms: str, **headers) -> str:
    response = client.get(reverse("articles:search"), {"q": terms}, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_a_story_by_a_word_of_its_headline(client, make_article):
    make_article(headline="Lighthouse keeper retires after forty years")
    make_article(headline="Council approves new budget")

    content = search_page(client, "lighthouse")

    assert "Lighthouse keeper retires" in content
    assert "Council approves" not in content


def test_search_finds_a_story_by_its_body(client, make_article):
    make_article(headline="A quiet week", body="<p>The observatory reopened on Monday.</p>")

    assert "A quiet week" in search_page(client, "observatory")


def test_search_never_finds_a_story_the_reader_may_not_see(client, make_article, now):
    make_article(headline="Volcano visible story")
    hidden = [
        make_article(headline="Volcano draft story", status=Article.Status.DRAFT),
        make_article(
            headline="Volcano embargoed story", embargo_until=now + datetime.timedelta(hours=1)
        ),
        make_article(headline="Volcano denied story", may_publish=False),
        make_article(headline="Volcano unsettled story", rights_settled=False),
        make_article(headline="Volcano withdrawn story", status=Article.Status.WITHDRAWN),
        make_article(headline="Volcano territory story", territories={"US"}),
    ]

    content = search_page(client, "volcano", **{"CF-IPCountry": "GB"})

    assert "Volcano visible story" in content
    for article in hidden:
        assert article.headline not in content


def test_an_empty_search_shows_the_form_and_no_stories(client, make_article):
    make_article(headline="Anything at all")

    content = search_page(client, "  ")

    assert 'name="q"' in content
    assert "Anything at all" not in content


def test_search_narrows_by_section_as_the_filter_allows(make_article):
    from articles.models import Section

    sport = Section.objects.create(name="Sport", slug="sport")
    make_article(headline="Marathon record in sport", section=sport)
    make_article(headline="Marathon budget talks")

    found = ArticleFilter(
        {"q": "marathon", "section": "sport"},
        queryset=Article.objects.permitting(Right.PUBLISH),
    ).qs

    assert [a.headline for a in found] == ["Marathon record in sport"]


def test_substring_search_matches_every_word_in_any_case(make_article):
    make_article(headline="Storm closes the harbour", body="<p>Ferries stay in port.</p>")
    make_article(headline="Storm passes inland")

    found = substring_search(Article.objects.all(), "STORM ferries")

    assert [a.headline for a in found] == ["Storm closes the harbour"]


def test_the_search_filter_only_narrows_what_it_is_given(make_article):
    make_article(headline="Glacier melt visible")
    make_article(headline="Glacier melt denied", may_publish=False)

    found = ArticleFilter({"q": "glacier"}, queryset=Article.objects.permitting(Right.PUBLISH)).qs

    assert [a.headline for a in found] == ["Glacier melt visible"]


@pytest.fixture
def postgresql():
    need_service(connection.vendor == "postgresql", "needs PostgreSQL", service="postgresql")


def test_postgresql_ranks_a_headline_match_above_a_body_match(postgresql, make_article, now):
    make_article(
        headline="Council meets",
        body="<p>The bridge repairs were on the agenda.</p>",
        published_at=now - datetime.timedelta(minutes=1),
    )
    make_article(
        headline="Bridge repairs begin",
        body="<p>Work starts today.</p>",
        published_at=now - datetime.timedelta(hours=5),
    )

    found = ranked_search(Article.objects.permitting(Right.PUBLISH), "bridge")

    assert [a.headline for a in found] == ["Bridge repairs begin", "Council meets"]


def test_postgresql_reads_search_engine_syntax(postgresql, make_article):
    make_article(headline="Central bank raises interest rates")
    make_article(headline="Bank holiday traffic")

    permitted = Article.objects.permitting(Right.PUBLISH)

    assert [a.headline for a in ranked_search(permitted, '"interest rates"')] == [
        "Central bank raises interest rates"
    ]
    assert [a.headline for a in ranked_search(permitted, "bank -interest")] == [
        "Bank holiday traffic"
    ]


def test_postgresql_stems_words_and_ignores_markup(postgresql, make_article):
    make_article(headline="Farmers protest", body="<p>They were <strong>protesting</strong>.</p>")

    permitted = Article.objects.permitting(Right.PUBLISH)

    assert ranked_search(permitted, "protests").count() == 1
    assert ranked_search(permitted, "strong").count() == 0


def test_postgresql_reads_or_and_finds_nothing_for_an_unknown_word(postgresql, make_article):
    make_article(headline="Harbour reopens")
    make_article(headline="Tunnel closes")
    make_article(headline="Council meets")
    permitted = Article.objects.permitting(Right.PUBLISH)

    assert sorted(a.headline for a in ranked_search(permitted, "harbour or tunnel")) == [
        "Harbour reopens",
        "Tunnel closes",
    ]
    assert list(ranked_search(permitted, "xylophonequartz")) == []
    assert list(ranked_search(permitted, "the of and")) == []  # stop words only: no lexeme
