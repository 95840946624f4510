"""The front page's pins: a pinned story takes its place until the pin ends, never shows when
its rights forbid it, costs no more queries however many pins there are, and the page is kept
in a cache no longer than the first pin it shows lasts."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, FrontPin, Section
from articles.pages.views import FRONT_PIN_CANDIDATES, FRONT_TOP
from articles.pins import FRONT_PLACES
from tests.factories import max_age

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def front(make_article):
    """Twelve stories, newest first: "Story 0" is the newest."""
    now = timezone.now()
    return [
        make_article(headline=f"Story {n}", published_at=now - datetime.timedelta(minutes=10 + n))
        for n in range(12)
    ]


def hold(article: Article, position: int, *, until: datetime.datetime, at=None) -> FrontPin:
    return FrontPin.objects.create(
        article=article, position=position, until=until, pinned_at=at or timezone.now()
    )


def top_headlines(client) -> list[str]:
    """The headlines at the top of the front page, lead first, in their order."""
    content = client.get(reverse("articles:front")).content.decode()
    top = content.split('<div class="front-top">')[1].split('<section class="section-block"')[0]
    return re.findall(r'class="story__headline[^"]*"[^>]*>\s*<a [^>]*>([^<]+)</a>', top)


def test_the_top_is_the_latest_first_without_pins(client, front):
    assert top_headlines(client) == [f"Story {n}" for n in range(FRONT_TOP)]


def test_a_pinned_story_takes_its_place_and_the_latest_fill_the_rest(client, front):
    hold(front[10], 1, until=timezone.now() + HOUR)
    hold(front[11], 3, until=timezone.now() + HOUR)

    assert top_headlines(client) == [
        "Story 10",
        "Story 0",
        "Story 11",
        *[f"Story {n}" for n in range(1, 6)],
    ]


def test_two_pins_for_one_place_give_it_to_the_newer_and_the_next_place_to_the_other(client, front):
    now = timezone.now()
    hold(front[9], 2, until=now + HOUR, at=now - HOUR)
    hold(front[10], 2, until=now + HOUR, at=now)

    assert top_headlines(client)[:4] == ["Story 0", "Story 10", "Story 9", "Story 1"]


def test_a_pin_whose_end_has_passed_is_ignored_with_nothing_to_clear_it(client, front):
    pin = hold(front[10], 1, until=timezone.now() + HOUR)
    assert top_headlines(client)[0] == "Story 10"

    with time_machine.travel(pin.until + datetime.timedelta(seconds=1)):
        assert top_headlines(client)[0] == "Story 0"
        assert "Story 10" not in top_headlines(client)
    assert FrontPin.objects.filter(pk=pin.pk).exists()


@pytest.mark.parametrize(
    "hidden",
    [
        {"may_publish": False},
        {"status": Article.Status.DRAFT, "published_at": None},
        {"embargo_until": timezone.now() + datetime.timedelta(days=1)},
        {"rights_settled": False},
        {"territories": {"GB"}},
    ],
)
def test_a_pin_never_shows_a_story_its_rights_keep_from_the_reader(
    client, front, make_article, hidden
):
    forbidden = make_article(headline="Pinned but forbidden", **hidden)
    hold(forbidden, 1, until=timezone.now() + HOUR)

    content = client.get(reverse("articles:front")).content.decode()

    assert "Pinned but forbidden" not in content
    assert top_headlines(client) == [f"Story {n}" for n in range(FRONT_TOP)]


def test_a_pinned_story_in_the_top_is_not_shown_again_in_its_section(client, make_article):
    world = Section.objects.create(name="World", slug="world", position=0)
    old = make_article(
        headline="Old world story", section=world, published_at=timezone.now() - HOUR
    )
    for n in range(FRONT_TOP):
        make_article(headline=f"Fresh {n}")
    hold(old, 1, until=timezone.now() + HOUR)

    content = client.get(reverse("articles:front")).content.decode()

    assert content.count("Old world story") == 1
    assert top_headlines(client)[0] == "Old world story"


@pytest.mark.parametrize("pins", [0, 3, 40])
def test_the_front_page_costs_the_same_queries_however_many_pins_there_are(
    client, make_article, pins
):
    section = Section.objects.create(name="World", slug="world")
    stories = [make_article(headline=f"Story {n}", section=section) for n in range(50)]
    now = timezone.now()
    for n, story in enumerate(stories[:pins]):
        hold(story, 1 + n % FRONT_PLACES, until=now + HOUR * (1 + n % 2))
    client.get(reverse("articles:front"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articles:front"))

    assert response.status_code == 200
    # The top (pins included), the sections shown, their stories, the bylines, the navigation
    # and the next rights change: the six of a front page without pins
    # (tests/pages/test_bounds.py).
    assert len(queries) == 6, [q["sql"][:120] for q in queries]


def test_only_the_first_pins_by_place_are_looked_at(client, make_article):
    now = timezone.now()
    stories = [make_article(headline=f"Pinned {n:02d}") for n in range(FRONT_PIN_CANDIDATES + 4)]
    for n, story in enumerate(stories):
        hold(story, FRONT_PLACES, until=now + HOUR, at=now - datetime.timedelta(seconds=n))

    # All want the last place: the newest pin has it, the others find no free place after it.
    assert top_headlines(client)[-1] == "Pinned 00"


def test_the_page_is_cached_no_longer_than_the_first_pin_it_shows_lasts(client, front):
    now = timezone.now()
    hold(front[10], 1, until=now + datetime.timedelta(seconds=100))
    hold(front[11], 2, until=now + datetime.timedelta(seconds=200))

    response = client.get(reverse("articles:front"))

    assert 0 < max_age(response) <= 100


def test_a_pin_the_page_does_not_show_does_not_shorten_its_cache(client, front, make_article):
    forbidden = make_article(headline="Forbidden", may_publish=False)
    hold(forbidden, 1, until=timezone.now() + datetime.timedelta(seconds=100))

    response = client.get(reverse("articles:front"))

    assert max_age(response) > 100


def test_the_front_pages_places_are_the_pins_places():
    assert FRONT_TOP == FRONT_PLACES
