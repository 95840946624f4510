"""The stored search vector: kept by PostgreSQL's trigger on every path that writes the text,
equal to `search_vector()`, indexed; the ranked search over a bounded window of the newest
matches; the desk's search through the indexes; SQLite leaves the column empty."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search as search_module
from articles.admin import search as desk_search
from articles.filters import ArticleFilter
from articles.ingest.loader import Ingest
from articles.models import Article, Section
from articles.rights import Right
from articles.search import ranked_search, search, search_vector
from articles.vocabulary import Channel
from tests.factories import member, need_service, ninjs_item

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def postgresql():
    need_service(connection.vendor == "postgresql", "needs PostgreSQL", service="postgresql")


def stored(article: Article) -> str | None:
    return Article.objects.values_list("search_document", flat=True).get(pk=article.pk)


def lexemes(article: Article) -> set[str]:
    """The stored vector's words, without their positions and weights."""
    return {part.split(":")[0].strip("'") for part in (stored(article) or "").split()}


def found(queryset, terms: str) -> list[str]:
    return [a.headline for a in search(queryset, terms)]


# --- the trigger -------------------------------------------------------------------------------


def test_the_stored_vector_equals_search_vector_for_the_same_row(postgresql, make_article):
    article = make_article(
        headline="Harbour pilots strike",
        standfirst="Ferries <em>wait</em> offshore",
        body="<p>The pilots' union said talks had failed. Ships queued past midnight.</p>",
    )

    document, computed = (
        Article.objects.annotate(computed=search_vector())
        .values_list("search_document", "computed")
        .get(pk=article.pk)
    )

    assert document == computed
    assert "'harbour':1A" in document and "'ferri':4B" in document and "union" in document


def test_an_empty_standfirst_and_body_still_give_the_headline_its_weight(postgresql, make_article):
    article = make_article(headline="Lighthouse", standfirst="", body="")

    assert stored(article) == "'lighthous':1A"


def test_save_keeps_the_vector_current(postgresql, make_article):
    article = make_article(headline="Council meets", body="<p>On the budget.</p>")
    assert {"council", "budget"} <= lexemes(article)

    article.refresh_from_db()
    article.headline = "Orchestra tours"
    article.body = "<p>On the violins.</p>"
    article.save()

    assert lexemes(article) == {"orchestra", "tour", "violin"}


def test_a_save_that_leaves_the_text_leaves_the_vector_as_it_was(postgresql, make_article):
    article = make_article(headline="Ferry timetable changes", body="")
    article.refresh_from_db()
    article.dateline = "PORTSMOUTH"
    article.status = Article.Status.WITHDRAWN
    article.save()

    assert stored(article) == "'chang':3A 'ferri':1A 'timet':2A"


def test_a_save_from_an_instance_with_no_vector_loaded_recomputes_it(postgresql, make_article):
    article = make_article(headline="Glacier retreats", body="")
    # The instance made by create() never read the vector back: it holds None.
    assert article.search_document is None
    article.standfirst = "Scientists measure"
    article.save()

    assert lexemes(article) == {"glacier", "retreat", "scientist", "measur"}


def test_queryset_update_of_the_headline_or_body_keeps_the_vector_current(postgresql, make_article):
    article = make_article(headline="Old words", body="<p>Nothing here.</p>")

    Article.objects.filter(pk=article.pk).update(headline="Volcano erupts")
    assert "volcano" in lexemes(article) and "old" not in lexemes(article)

    Article.objects.filter(pk=article.pk).update(body="<p>Ash clouds drift.</p>")
    assert lexemes(article) == {"volcano", "erupt", "ash", "cloud", "drift"}


def test_writing_the_vector_itself_cannot_make_it_stale(postgresql, make_article):
    article = make_article(headline="Marathon record", body="")

    Article.objects.filter(pk=article.pk).update(search_document=None)

    assert lexemes(article) == {"marathon", "record"}


def test_bulk_create_and_bulk_update_keep_the_vector_current(postgresql, make_article):
    template = make_article(headline="Template")
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Article._meta.concrete_fields
        if f.attname not in {"id", "guid", "slug", "headline", "search_document"}
    }
    made = Article.objects.bulk_create(
        [
            Article(**fields, guid=f"bulk-{n}", slug=f"bulk-{n}", headline=f"Regatta day {n}")
            for n in range(3)
        ]
    )
    assert all({"regatta", "day"} <= lexemes(a) for a in made)

    for article in made:
        article.headline = "Snowfall closes roads"
    Article.objects.bulk_update(made, ["headline"])

    assert all({"snowfal", "close", "road"} <= lexemes(a) for a in made)


def test_ingest_stores_the_vector_and_an_update_from_the_wire_renews_it(postgresql, db):
    (report,) = Ingest().data(ninjs_item(), name="item.json")
    article = Article.objects.get(pk=report.id)
    assert {"harbour", "bridg", "reopen", "repair"} <= lexemes(article)

    data = ninjs_item(version="2", headline="Tunnel closes for works")
    (update,) = Ingest().data(data, name="item.json")
    assert update.status == "updated"
    article.refresh_from_db()
    assert article.headline == "Tunnel closes for works"
    assert {"tunnel", "work"} <= lexemes(article) and "harbour" not in lexemes(article)


def test_the_vector_has_a_gin_index_and_the_window_an_index_of_the_newest(postgresql, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article' "
            "AND indexname IN ('article_search_idx', 'article_order_idx')"
        )
        definitions = dict(cursor.fetchall())

    assert "USING gin (search_document)" in definitions["article_search_idx"]
    assert "(published_at DESC, id DESC)" in definitions["article_order_idx"]


def test_sqlite_leaves_the_vector_empty_and_searches_by_substring(make_article):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's behaviour")
    article = make_article(headline="Harbour pilots strike")

    assert stored(article) is None
    assert found(Article.objects.all(), "pilots") == ["Harbour pilots strike"]


# --- the bounded ranking ---------------------------------------------------------------------


def test_only_the_newest_candidates_are_ranked_and_found(
    postgresql, make_article, now, monkeypatch
):
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    # The oldest has the word in its headline and would rank first; it is past the window.
    make_article(headline="Eclipse eclipse eclipse", published_at=now - 9 * HOUR)
    for n in range(4):
        make_article(
            headline=f"Night sky {n}", body="<p>An eclipse.</p>", published_at=now - n * HOUR
        )

    assert found(Article.objects.for_channel(Channel.SEARCH), "eclipse") == [
        "Night sky 0",
        "Night sky 1",
        "Night sky 2",
    ]


def test_the_window_ranks_a_headline_above_a_newer_body_match(postgresql, make_article, now):
    make_article(headline="Council meets", body="<p>Bridge repairs.</p>", published_at=now)
    make_article(headline="Bridge closes", published_at=now - 3 * HOUR)
    make_article(headline="Weather", body="<p>A bridge iced.</p>", published_at=now - HOUR)

    assert found(Article.objects.for_channel(Channel.SEARCH), "bridge")[0] == "Bridge closes"


def test_other_filters_narrow_before_the_window_is_taken(
    postgresql, make_article, now, monkeypatch
):
    monkeypatch.setattr(search_module, "CANDIDATES", 1)
    sport = Section.objects.create(name="Sport", slug="sport")
    make_article(headline="Regatta in sport", section=sport, published_at=now - 5 * HOUR)
    make_article(headline="Regatta traffic", published_at=now)

    filtered = ArticleFilter(
        {"q": "regatta", "section": "sport"}, queryset=Article.objects.permitting(Right.PUBLISH)
    ).qs

    assert [a.headline for a in filtered] == ["Regatta in sport"]


def test_the_window_holds_only_what_the_queryset_permits(postgresql, make_article, now):
    make_article(headline="Avalanche warning", may_publish=False, published_at=now)
    make_article(headline="Avalanche drill", status=Article.Status.DRAFT, published_at=now)
    make_article(headline="Avalanche season", published_at=now - HOUR)

    assert found(Article.objects.for_channel(Channel.SEARCH), "avalanche") == ["Avalanche season"]


def test_a_page_past_the_window_is_not_found(postgresql, client, make_article, now, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    for n in range(30):
        make_article(headline=f"Comet {n}", published_at=now - n * HOUR)
    url = reverse("articles:search")

    first = client.get(url, {"q": "comet"}).content.decode()
    assert "Comet 0" in first and "Comet 1" in first and "Comet 2" not in first
    assert client.get(url, {"q": "comet", "page": "2"}).status_code == 404


def test_a_search_page_makes_as_many_queries_for_thirty_matches_as_for_one(
    postgresql, client, make_article
):
    make_article(headline="Tornado touches down")
    url = reverse("articles:search")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, {"q": "tornado"}).status_code == 200
    for n in range(29):
        make_article(headline=f"Tornado report {n}")
    with CaptureQueriesContext(connection) as thirty:
        page = client.get(url, {"q": "tornado"})
    assert page.status_code == 200 and page.content.decode().count("Tornado report") == 20

    assert len(thirty) == len(one)


# --- the desk's search -------------------------------------------------------------------------


@pytest.fixture
def desk_client(db, client):
    client.force_login(member("Editor"))
    return client


def desk_search_page(client, terms: str) -> str:
    response = client.get(reverse("admin:articles_article_changelist"), {"q": terms})
    assert response.status_code == 200
    return response.content.decode()


def test_the_desk_finds_an_article_by_a_headline_word_and_by_its_guid(desk_client, make_article):
    make_article(headline="Lighthouse keeper retires", guid="urn:wire:alpha-1")
    make_article(headline="Council budget", guid="urn:wire:beta-2")

    by_word = desk_search_page(desk_client, "lighthouse")
    by_guid = desk_search_page(desk_client, "urn:wire:beta-2")

    assert "Lighthouse keeper retires" in by_word and "Council budget" not in by_word
    assert "Council budget" in by_guid and "Lighthouse keeper retires" not in by_guid


def test_the_desk_on_postgresql_finds_body_words_stems_and_a_guid_prefix(
    postgresql, desk_client, make_article
):
    make_article(headline="Quiet week", body="<p>The observatories reopened.</p>", guid="a-1")
    make_article(headline="Busy week", guid="urn:wire:2026:77")

    assert "Quiet week" in desk_search_page(desk_client, "observatory")
    by_prefix = desk_search_page(desk_client, "urn:wire:2026")
    assert "Busy week" in by_prefix and "Quiet week" not in by_prefix
    assert "Busy week" not in desk_search_page(desk_client, "xylophonequartz")


def test_the_desk_search_keeps_the_newest_candidates(
    postgresql, desk_client, make_article, now, monkeypatch
):
    monkeypatch.setattr(desk_search, "DESK_CANDIDATES", 2)
    for n in range(4):
        make_article(headline=f"Harvest festival {n}", published_at=now - n * HOUR)

    page = desk_search_page(desk_client, "harvest")

    assert "Harvest festival 0" in page and "Harvest festival 1" in page
    assert "Harvest festival 2" not in page and "Harvest festival 3" not in page


def test_the_desk_search_on_postgresql_uses_the_vector_not_icontains(
    postgresql, desk_client, make_article
):
    make_article(headline="Storm warning")
    with CaptureQueriesContext(connection) as queries:
        assert "Storm warning" in desk_search_page(desk_client, "storm")

    sql = [q["sql"] for q in queries]
    assert any('"search_document" @@ (websearch_to_tsquery' in s for s in sql)
    assert not any("UPPER(" in s and "LIKE" in s for s in sql)


def test_ranked_search_keeps_what_the_queryset_selects(postgresql, make_article):
    make_article(headline="Regatta")
    queryset = Article.objects.permitting(Right.PUBLISH)

    (article,) = ranked_search(queryset, "regatta")

    assert article.rank > 0 and "source" in article._state.fields_cache
