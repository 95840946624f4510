"""A person's list walks the person's bylines in the lists' order, and lists what the query it
replaced listed, in the same order: every public story the person is credited on, once each
whatever their roles, newest first and the higher id first at the same time, nothing that is not
public, on every page and in the API."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.filters import ArticleFilter
from articles.models import Article, Byline, Person
from articles.pages.views import PAGE_SIZE
from articles.presentation import item_uri
from articles.vocabulary import Channel, Right

pytestmark = pytest.mark.django_db
HIDDEN_KINDS = ["draft", "scheduled", "embargoed", "withdrawn", "refused", "suspended"]


def replaced_query(queryset, person: Person):
    """The person narrowing before bylines carried their story's time: an EXISTS of a byline."""
    credited = Byline.objects.filter(article=OuterRef("pk"), person=person)
    return queryset.filter(Exists(credited)).order_by("-published_at", "-id")


@pytest.fixture
def newsroom(make_article, make_source, now):
    """Five people credited on sixty stories of every kind: published at many times (some at
    the same moment), drafts, scheduled, embargoed, withdrawn, without the right to publish,
    from a suspended source; one to four bylines each, a person sometimes twice on one story."""
    rng = random.Random(11)
    people = [Person.objects.create(name=f"Reporter {n}", slug=f"reporter-{n}") for n in range(5)]
    suspended = make_source(suspended=True)
    shared_moment = now - datetime.timedelta(hours=30)
    for n in range(60):
        kind = rng.choice(
            ["public"] * 6
            + ["draft", "scheduled", "embargoed", "withdrawn", "refused", "suspended"]
        )
        when = shared_moment if n % 7 == 0 else now - datetime.timedelta(hours=rng.randint(1, 900))
        fields = {"published_at": when}
        if kind == "draft":
            fields = {"status": Article.Status.DRAFT, "published_at": None}
        elif kind == "scheduled":
            fields = {
                "status": Article.Status.SCHEDULED,
                "published_at": now + datetime.timedelta(hours=3),
            }
        elif kind == "embargoed":
            fields["embargo_until"] = now + datetime.timedelta(hours=2)
        elif kind == "withdrawn":
            fields["status"] = Article.Status.WITHDRAWN
        elif kind == "refused":
            fields[f"may_{Right.PUBLISH.value}"] = False
        elif kind == "suspended":
            fields["source"] = suspended
        article = make_article(**fields)
        credited = rng.sample(people, rng.randint(1, 4))
        if rng.random() < 0.25:
            credited.append(credited[0])  # the same person again, in another role
        for order, person in enumerate(credited):
            Byline.objects.create(
                article=article, person=person, order=order, role=rng.choice(Byline.Role.values)
            )
    return people


def listed(person: Person, *, channel: Channel = Channel.LIST) -> list[int]:
    queryset = Article.objects.for_channel(channel, at=timezone.now()).listed()
    found = ArticleFilter({"person": person.slug}, queryset=queryset)
    assert found.is_valid()
    return list(found.qs.values_list("pk", flat=True))


def test_every_person_s_list_is_what_the_replaced_query_listed_in_the_same_order(newsroom):
    compared = 0
    for person in newsroom:
        queryset = Article.objects.for_channel(Channel.LIST, at=timezone.now())
        before = list(replaced_query(queryset, person).values_list("pk", flat=True))
        assert listed(person) == before, person.slug
        assert len(set(before)) == len(before)
        compared += len(before)
    assert compared > 30  # the fixture gave each list something to compare


def test_a_person_credited_twice_on_a_story_lists_it_once(make_article, now):
    person = Person.objects.create(name="Two Roles", slug="two-roles")
    story = make_article()
    Byline.objects.create(article=story, person=person, order=0, role=Byline.Role.WRITING)
    Byline.objects.create(article=story, person=person, order=1, role=Byline.Role.PHOTOGRAPHY)
    assert listed(person) == [story.pk]


def test_stories_published_at_the_same_moment_list_the_higher_id_first(make_article, now):
    person = Person.objects.create(name="Same Time", slug="same-time")
    moment = now - datetime.timedelta(hours=2)
    stories = [make_article(published_at=moment) for _ in range(3)]
    for story in stories:
        Byline.objects.create(article=story, person=person)
    assert listed(person) == sorted((s.pk for s in stories), reverse=True)


def test_a_rescheduled_story_moves_in_the_person_s_list(make_article, now):
    person = Person.objects.create(name="Mover", slug="mover")
    older = make_article(published_at=now - datetime.timedelta(hours=5))
    newer = make_article(published_at=now - datetime.timedelta(hours=1))
    for story in (older, newer):
        Byline.objects.create(article=story, person=person)
    assert listed(person) == [newer.pk, older.pk]
    Article.objects.filter(pk=older.pk).update(published_at=now - datetime.timedelta(minutes=5))
    assert listed(person) == [older.pk, newer.pk]


def test_the_person_s_page_lists_their_public_stories_page_by_page(client, newsroom):
    person = max(newsroom, key=lambda p: len(listed(p)))
    expected = listed(person)
    assert len(expected) > PAGE_SIZE // 2
    headlines = dict(Article.objects.values_list("pk", "headline"))
    url = reverse("articles:person", args=[person.slug])
    shown = []
    for page in range(1, len(expected) // PAGE_SIZE + 2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page": page})
        assert response.status_code == 200
        content = response.content.decode()
        on_page = expected[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        positions = [content.index(headlines[pk]) for pk in on_page]
        assert positions == sorted(positions)
        shown += on_page
        assert len(queries) <= 8
    assert shown == expected


def test_the_api_narrows_to_a_person_as_the_pages_do(client, newsroom):
    person = newsroom[0]
    response = client.get(
        reverse("syndication:api-items"), {"person": person.slug, "page_size": 100}
    )
    assert response.status_code == 200
    uris = [item["uri"] for item in response.json()["items"]]
    stories = Article.objects.in_bulk(listed(person, channel=Channel.API))
    assert uris == [item_uri(stories[pk]) for pk in listed(person, channel=Channel.API)]
    assert uris
