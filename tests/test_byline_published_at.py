"""A byline carries its article's publication time on every path that writes either row: the
desk's publish and reschedule, a save, a bulk update, an upsert, a byline added, moved to another
story or given a value of its own, on SQLite and PostgreSQL alike (the database's triggers,
migration 0019)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import F

from articles.models import Article, Byline, Person
from tests.factories import member

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def people() -> list[Person]:
    return [Person.objects.create(name=f"Writer {n}", slug=f"writer-{n}") for n in range(3)]


def credit(article: Article, *people: Person) -> None:
    for order, person in enumerate(people):
        Byline.objects.create(article=article, person=person, order=order)


def stored(article: Article) -> set:
    """The times the article's bylines carry."""
    return set(Byline.objects.filter(article=article).values_list("published_at", flat=True))


def time_of(article: Article) -> datetime.datetime | None:
    return Article.objects.values_list("published_at", flat=True).get(pk=article.pk)


def test_a_new_byline_takes_its_story_s_time_whatever_it_was_given(make_article, people, now):
    article = make_article(published_at=now - HOUR)
    credit(article, *people[:2])
    Byline.objects.create(article=article, person=people[2], order=5, published_at=now + 100 * HOUR)
    assert stored(article) == {now - HOUR}


def test_bylines_of_a_draft_carry_no_time_and_take_one_when_it_is_published(
    make_article, people, now
):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    credit(draft, *people)
    assert stored(draft) == {None}
    draft.publish(by=member("Editor"))
    assert stored(draft) == {time_of(draft)} and time_of(draft) is not None


def test_scheduling_and_rescheduling_move_the_bylines_time(make_article, people, now):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    credit(draft, *people)
    draft.publish(by=member("Editor"), at=now + HOUR)
    assert stored(draft) == {now + HOUR}
    draft.refresh_from_db()
    draft.published_at = now + 3 * HOUR
    draft.save()
    assert stored(draft) == {now + 3 * HOUR}
    draft.published_at = None
    draft.status = Article.Status.DRAFT
    draft.save(update_fields=["published_at", "status"])
    assert stored(draft) == {None}


def test_a_bulk_update_moves_every_story_s_bylines_and_no_other(make_article, people, now):
    moved = [make_article(published_at=now - n * HOUR) for n in (1, 2)]
    kept = make_article(published_at=now - 5 * HOUR)
    for article in (*moved, kept):
        credit(article, *people[:2])
    Article.objects.filter(pk__in=[a.pk for a in moved]).update(
        published_at=F("published_at") - HOUR
    )
    assert stored(moved[0]) == {now - 2 * HOUR}
    assert stored(moved[1]) == {now - 3 * HOUR}
    assert stored(kept) == {now - 5 * HOUR}


def test_bulk_update_of_objects_moves_their_bylines(make_article, people, now):
    articles = [make_article(published_at=now - HOUR) for _ in range(3)]
    for n, article in enumerate(articles):
        credit(article, people[n])
        article.published_at = now - (10 + n) * HOUR
    Article.objects.bulk_update(articles, ["published_at"])
    assert [stored(a) for a in articles] == [{now - (10 + n) * HOUR} for n in range(3)]


@pytest.mark.skipif(
    not connection.features.supports_update_conflicts_with_target,
    reason="the database takes no upsert on a named column",
)
def test_an_upsert_that_changes_the_time_moves_the_bylines(make_article, people, now):
    article = make_article(published_at=now - HOUR)
    credit(article, *people)
    again = Article.objects.get(pk=article.pk)
    again.pk = None
    again.published_at = now - 7 * HOUR
    Article.objects.bulk_create(
        [again], update_conflicts=True, unique_fields=["guid"], update_fields=["published_at"]
    )
    assert stored(article) == {now - 7 * HOUR}


def test_a_byline_moved_to_another_story_takes_that_story_s_time(make_article, people, now):
    first = make_article(published_at=now - HOUR)
    second = make_article(published_at=now - 9 * HOUR)
    credit(first, people[0])
    byline = Byline.objects.get(article=first)
    byline.article = second
    byline.save()
    assert stored(second) == {now - 9 * HOUR}
    Byline.objects.filter(pk=byline.pk).update(article=first)
    assert stored(first) == {now - HOUR}
    Byline.objects.filter(pk=byline.pk).update(published_at=now)  # no value of its own
    assert stored(first) == {now - HOUR}


def test_bulk_created_bylines_take_their_stories_times(make_article, people, now):
    articles = [make_article(published_at=now - n * HOUR) for n in (1, 2)]
    Byline.objects.bulk_create(
        [Byline(article=a, person=p, order=n) for a in articles for n, p in enumerate(people)]
    )
    assert [stored(a) for a in articles] == [{now - HOUR}, {now - 2 * HOUR}]


def test_a_removed_byline_leaves_the_others_as_they_were(make_article, people, now):
    article = make_article(published_at=now - HOUR)
    credit(article, *people)
    Byline.objects.filter(article=article, person=people[1]).delete()
    assert Byline.objects.filter(article=article).count() == 2
    assert stored(article) == {now - HOUR}


def test_the_triggers_are_in_place_after_every_migration():
    # SQLite drops a table's triggers when a migration remakes the table: a later migration
    # that alters articles_article or articles_byline there must create them again.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {name for (name,) in cursor.fetchall()}
    wanted = {
        "postgresql": {"articles_byline_published_at", "articles_article_bylines_published_at"},
        "sqlite": {
            "articles_byline_published_at_insert",
            "articles_byline_published_at_update",
            "articles_article_bylines_published_at",
        },
    }[connection.vendor]
    assert wanted <= names
