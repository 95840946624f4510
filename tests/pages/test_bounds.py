"""Input that never breaks a page: page numbers of any size, the calendar's ends, searches of any
length, and a front page whose cost does not grow with the number of sections."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.filters import MAX_PAGE
from articles.models import Article, Section, Source
from articles.pages.views import (
    FRONT_CANDIDATES,
    FRONT_LATEST,
    FRONT_PER_SECTION,
    FRONT_SECONDARY,
    FRONT_SECTIONS,
)
from articles.templatetags.reader import NAV_SECTIONS

LISTS = ["section", "source", "person", "archive", "search"]


def list_url(site, name: str) -> str:
    day = site.day
    return {
        "section": reverse("articles:section", args=[site.section.slug]),
        "source": reverse("articles:source", args=[site.source.slug]),
        "person": reverse("articles:person", args=[site.person.slug]),
        "archive": reverse("articles:archive-day", args=[day.year, day.month, day.day]),
        "search": reverse("articles:search") + "?q=harbour",
    }[name]


def with_page(url: str, page: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}page={page}"


@pytest.mark.parametrize("name", LISTS)
def test_a_twenty_digit_page_number_is_not_found_not_a_server_error(client, public_site, name):
    # SQLite reads an offset of twenty digits as a real and refused it: "datatype mismatch".
    response = client.get(with_page(list_url(public_site, name), "99999999999999999999"))
    assert response.status_code == 404


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "page", ["0", "-1", str(MAX_PAGE + 1), "", "x", " 2", "2 ", "1_0", "١", "２", "1e3", "9" * 5000]
)
def test_a_page_that_is_no_plain_number_in_bounds_is_not_found(client, public_site, name, page):
    assert client.get(with_page(list_url(public_site, name), page)).status_code == 404


@pytest.mark.parametrize("name", LISTS)
def test_the_first_page_is_served_and_one_past_the_last_is_not_found(client, public_site, name):
    url = list_url(public_site, name)
    assert client.get(with_page(url, "1")).status_code == 200
    assert client.get(with_page(url, "01")).status_code == 200
    assert client.get(with_page(url, "2")).status_code == 404
    assert client.get(with_page(url, str(MAX_PAGE))).status_code == 404


def test_the_calendars_last_day_is_an_empty_archive_page_not_a_server_error(client, db):
    # The day after 9999-12-31 cannot be reckoned: the page asked for it, and failed.
    response = client.get(reverse("articles:archive-day", args=[9999, 12, 31]))
    assert response.status_code == 200
    assert "No stories here yet." in response.content.decode()
    assert client.get(reverse("articles:archive-day", args=[1, 1, 1])).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_list_narrowed_to_the_calendars_ends_is_empty_not_a_server_error(
    client, public_site, day
):
    response = client.get(list_url(public_site, "section") + f"?day={day}")
    assert response.status_code == 200
    assert public_site.visible.headline not in response.content.decode()


def test_a_search_of_1500_words_is_not_found_not_a_server_error(client, public_site):
    # Each word was a condition of its own; SQLite refused the query: "Expression tree is too
    # large (maximum depth 1000)".
    terms = " ".join(["harbour"] * 1500)
    assert client.get(reverse("articles:search"), {"q": terms}).status_code == 404
    assert client.get(list_url(public_site, "section"), {"q": terms}).status_code == 404


def test_a_search_of_200_characters_is_served(client, public_site):
    terms = " ".join(["harbour"] * 25)
    assert len(terms) == 199
    response = client.get(reverse("articles:search"), {"q": terms})
    assert response.status_code == 200
    assert public_site.visible.headline in response.content.decode()


# --- the front page, whatever the number of sections ---------------------------------------------


@pytest.fixture
def sectioned(make_source, now):
    """`count` sections (as ingest once made of wire subjects), and two stories in each of the
    first 20 by position, beside stories in none."""

    def make(count: int) -> list[Section]:
        Section.objects.bulk_create(
            Section(name=f"Subject {n:05d}", slug=f"subject-{n}", position=n % 7)
            for n in range(count)
        )
        source = make_source("Desk", kind=Source.Kind.STAFF)
        sections = list(Section.objects.all()[:20])
        minutes = iter(range(1, 1000))
        for section in [None] * 8 + sections * 2:
            Article.objects.create(
                headline=f"Story in {section or 'no section'}",
                body="<p>Text.</p>",
                source=source,
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(minutes=next(minutes)),
                rights_settled=True,
                may_publish=True,
            )
        return sections

    return make


@pytest.mark.parametrize("count", [3, 7000])
def test_the_front_page_shows_the_first_sections_by_position_at_a_cost_the_count_does_not_change(
    client, sectioned, count
):
    sections = sectioned(count)
    client.get(reverse("articles:front"))  # anything done once a process, done

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articles:front"))

    assert response.status_code == 200
    content = response.content.decode()
    shown = [s for s in sections if f'id="section-{s.slug}"' in content]
    assert shown == sections[: min(count, FRONT_SECTIONS)]
    assert content.count('class="section-block"') == min(count, FRONT_SECTIONS)
    nav = content.split('aria-label="Sections"')[1].split("</nav>")[0]
    assert nav.count("<li>") == 1 + min(count, NAV_SECTIONS)  # Home, then the sections
    # The same queries with 3 sections as with 7,000: the top, the sections shown, their
    # stories, the bylines with their people, the navigation and the next rights change.
    assert len(queries) == 6, [q["sql"][:120] for q in queries]


def test_the_front_page_looks_only_at_the_first_sections_by_position(client, make_article):
    """A run of empty sections at the head of the order (what ingest once made of subjects) is
    walked only so far: a section beyond the first FRONT_CANDIDATES by position gets no block
    however many stories it has, and one among them does."""
    Section.objects.bulk_create(
        Section(name=f"Empty {n:04d}", slug=f"empty-{n}", position=0)
        for n in range(FRONT_CANDIDATES)
    )
    late = Section.objects.create(name="Sport", slug="sport", position=1)
    early = Section.objects.create(name="Arts", slug="arts", position=0)  # "Arts" < "Empty"
    for n in range(1 + FRONT_SECONDARY + FRONT_LATEST):  # the top of the page
        make_article(headline=f"Top story {n}")
    hour_ago = timezone.now() - datetime.timedelta(hours=2)
    make_article(headline="Sport story", section=late, published_at=hour_ago)
    make_article(headline="Arts story", section=early, published_at=hour_ago)

    content = client.get(reverse("articles:front")).content.decode()

    assert 'id="section-sport"' not in content
    assert 'id="section-arts"' in content


def test_the_front_page_shows_at_most_four_stories_a_section(client, sectioned, make_article):
    (first, *_) = sectioned(3)
    for n in range(6):
        make_article(headline=f"More in the first {n}", section=first)

    content = client.get(reverse("articles:front")).content.decode()

    block = content.split(f'id="section-{first.slug}"')[1].split("</section>")[0]
    assert block.count('<article class="story') == FRONT_PER_SECTION


@pytest.mark.parametrize("bylines", [1, 6])
def test_an_article_page_costs_at_most_four_queries_whatever_its_bylines(
    client, make_article, django_assert_max_num_queries, bylines
):
    from articles.models import Byline, Person

    article = make_article(headline="Bylined")
    for n in range(bylines):
        person = Person.objects.create(name=f"Reporter {n}", slug=f"reporter-{n}")
        Byline.objects.create(article=article, person=person, order=n)
    client.get(article.get_absolute_url())  # anything done once a process, done

    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert all(f"Reporter {n}" in content for n in range(bylines))
