"""Queries compiled once (`articles.prepared`): a prepared query gives what its queryset gives,
for every value and on both databases, and refuses to prepare what it cannot replay."""

from __future__ import annotations

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Person, Source
from articles.pages.views import (
    FRONT_TOP_ROWS,
    STORY,
    front_top_rows,
    read_story,
    story_query,
)
from articles.prepared import Code, Prepared

HOUR = datetime.timedelta(hours=1)


def ids(rows) -> list[int]:
    return [row.pk for row in rows]


@pytest.fixture
def stories(make_article, make_source, now):
    agency = make_source("Wire", kind=Source.Kind.AGENCY)
    return {
        "open": make_article(slug="open", published_at=now - HOUR),
        "embargoed": make_article(slug="embargoed", embargo_until=now + HOUR),
        "only-fr": make_article(slug="only-fr", source=agency, territories={"FR"}),
        "not-de": make_article(slug="not-de", excluded_territories={"DE"}),
        "expiring": make_article(slug="expiring", rights_expire_at=now + 2 * HOUR),
        "draft": make_article(slug="draft", status=Article.Status.DRAFT, published_at=None),
    }


MOMENTS = (-3 * HOUR, 0 * HOUR, 90 * datetime.timedelta(minutes=1), 3 * HOUR)
COUNTRIES = (None, "FR", "DE", "GB")


@pytest.mark.parametrize("later", MOMENTS)
@pytest.mark.parametrize("country", COUNTRIES)
def test_the_story_query_finds_what_its_queryset_finds(stories, now, later, country):
    at = now + later
    for slug in (*stories, "no-such-story"):
        expected = ids(story_query(at=at, country=country, slug=slug))
        assert ids(STORY.run(at=at, country=country, slug=slug)) == expected, (slug, at, country)
    assert STORY.prepared_for(DEFAULT_DB_ALIAS, at=at, country=country, slug="open")


def test_the_embargo_lifts_on_the_second_for_the_prepared_query(stories, now):
    lifts = stories["embargoed"].embargo_until
    second = datetime.timedelta(seconds=1)
    assert STORY.run(at=lifts - second, country=None, slug="embargoed") == []
    assert ids(STORY.run(at=lifts, country=None, slug="embargoed")) == [stories["embargoed"].pk]


def test_a_story_is_read_in_two_queries_with_its_bylines_in_order(stories):
    story = stories["open"]
    # Written out of order: the page reads them in the story's.
    for order, name in ((2, "Cy Ode"), (0, "Ann Lee"), (1, "Bo Chen")):
        person = Person.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        story.bylines.create(person=person, order=order)
    read_story(at=timezone.now(), country=None, slug="open")  # prepared
    with CaptureQueriesContext(connection) as queries:
        found = read_story(at=timezone.now(), country=None, slug="open")
        names = [b.person.name for b in found.bylines.all()]
        assert all(b.article is found for b in found.bylines.all())
    assert names == ["Ann Lee", "Bo Chen", "Cy Ode"]
    assert len(queries) == 2
    assert read_story(at=timezone.now(), country=None, slug="draft") is None


def headline_has(*, word: str):
    return Article.objects.filter(headline__contains=word).order_by("id")


def test_a_word_a_pattern_would_escape_is_run_as_the_queryset(make_article):
    plain = make_article(headline="Rates at 50 per cent")
    odd = make_article(headline="Rates at 50% now")
    underscored = make_article(headline="snake_case story")
    prepared = Prepared(Article, headline_has, word=str)
    assert ids(prepared.run(word="Rates")) == [plain.pk, odd.pk]
    assert prepared.prepared_for(DEFAULT_DB_ALIAS, word="Rates")
    assert ids(prepared.run(word="50%")) == [odd.pk]  # not "50 per cent": % is no wildcard
    assert ids(prepared.run(word="e_c")) == [underscored.pk]
    assert prepared.run(word="e_x") == []


def shouted(*, word: str):
    return Article.objects.filter(headline=word.upper())


def test_a_query_whose_parameter_is_not_the_value_given_is_not_prepared(make_article):
    loud = make_article(headline="LOUD")
    prepared = Prepared(Article, shouted, word=str)
    assert not prepared.prepared_for(DEFAULT_DB_ALIAS, word="loud")
    assert ids(prepared.run(word="loud")) == [loud.pk]


def from_day(*, at: datetime.datetime):
    return Article.objects.filter(published_at__date=at.date())


def test_a_query_made_from_part_of_a_moment_is_not_prepared(make_article, now):
    today = make_article(published_at=now)
    prepared = Prepared(Article, from_day, at=datetime.datetime)
    assert not prepared.prepared_for(DEFAULT_DB_ALIAS, at=now)
    assert ids(prepared.run(at=now)) == [today.pk]


def test_a_naive_moment_is_run_as_the_queryset(make_article, now):
    story = make_article(published_at=now - HOUR)

    def published_by(*, at):
        return Article.objects.filter(published_at__lte=at)

    prepared = Prepared(Article, published_by, at=datetime.datetime)
    naive = timezone.make_naive(now, datetime.UTC)
    with override_settings(TIME_ZONE="UTC"), pytest.warns(RuntimeWarning, match="naive"):
        assert ids(prepared.run(at=naive)) == [story.pk]


def test_a_settings_change_drops_what_was_prepared(stories, now):
    STORY.run(at=now, country=None, slug="open")
    assert STORY._kept
    with override_settings(PAGE_CACHE=False):
        assert not STORY._kept


def test_only_datetimes_strings_and_integers_are_prepared(make_article):
    prepared = Prepared(
        Article, lambda *, flag: Article.objects.filter(rights_settled=flag), flag=bool
    )
    with pytest.raises(TypeError, match="not bool"):
        prepared.run(flag=True)


def test_a_code_that_is_not_upper_case_is_run_as_the_queryset(stories, now):
    # The story filter reads "fr" as France, as it reads "FR": the prepared SQL is not used.
    assert STORY.prepared_for(DEFAULT_DB_ALIAS, at=now, country="fr", slug="only-fr")
    found = ids(STORY.run(at=now, country="fr", slug="only-fr"))
    assert found == ids(story_query(at=now, country="fr", slug="only-fr"))
    assert found == [stories["only-fr"].pk]


@pytest.mark.parametrize("country", [None, "GB"])
def test_the_front_pages_top_is_prepared_and_finds_what_its_queryset_finds(stories, now, country):
    rows = FRONT_TOP_ROWS.run(at=now, country=country)
    expected = front_top_rows(at=now, country=country)
    assert sorted(ids(rows)) == sorted(ids(expected))
    # A story kept from one country is shown only where the reader's country is known.
    shown = {stories["open"].pk, stories["not-de"].pk} if country else {stories["open"].pk}
    assert {row.pk for row in rows} >= shown
    assert stories["draft"].pk not in ids(rows)
    assert FRONT_TOP_ROWS.prepared_for(DEFAULT_DB_ALIAS, at=now, country=country)


def test_the_columns_converters_are_worked_out_once_and_convert_as_the_queryset(
    stories, now, monkeypatch
):
    from django.db.models.sql.compiler import SQLCompiler

    asked = []
    real = SQLCompiler.get_converters

    def counted(self, expressions):
        asked.append(len(expressions))
        return real(self, expressions)

    prepared = Prepared(Article, story_query, at=datetime.datetime, country=Code, slug=str)
    monkeypatch.setattr(SQLCompiler, "get_converters", counted)
    first = prepared.run(at=now, country=None, slug="open")
    after_first = len(asked)
    assert after_first >= 1
    again = prepared.run(at=now, country=None, slug="expiring")
    assert len(asked) == after_first  # the second run asked the backend nothing
    expected = list(story_query(at=now, country=None, slug="expiring"))
    assert [(a.pk, a.published_at, a.rights_expire_at, a.keywords) for a in again] == [
        (a.pk, a.published_at, a.rights_expire_at, a.keywords) for a in expected
    ]
    assert again[0].rights_expire_at.tzinfo is not None and first[0].slug == "open"
    assert prepared.prepared_for(DEFAULT_DB_ALIAS, at=now, country=None, slug="x")
