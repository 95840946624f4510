"""The public pages: every page shows what may be shown and nothing else, at a constant cost."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Byline, Person, Section, Source

# Every way an item is kept from readers, as the fields that make it so.
HIDDEN = {
    "draft": lambda now: {"status": Article.Status.DRAFT, "published_at": None},
    "scheduled": lambda now: {
        "status": Article.Status.SCHEDULED,
        "published_at": now + datetime.timedelta(hours=2),
    },
    "embargoed": lambda now: {"embargo_until": now + datetime.timedelta(days=1)},
    "expired": lambda now: {"rights_expire_at": now - datetime.timedelta(minutes=1)},
    "suspended": lambda now: {},
    "unsettled": lambda now: {"rights_settled": False},
    "denied": lambda now: {"may_publish": False},
    "territory": lambda now: {"territories": {"FR"}},
    "withdrawn": lambda now: {"status": Article.Status.WITHDRAWN},
    "killed": lambda now: {"status": Article.Status.KILLED},
}
REFUSAL_STATUS = {
    "draft": 404,
    "scheduled": 404,
    "embargoed": 404,
    "expired": 451,
    "suspended": 451,
    "unsettled": 451,
    "denied": 451,
    "territory": 451,
    "withdrawn": 410,
    "killed": 410,
}


def country(code: str) -> dict[str, str]:
    return {settings.COUNTRY_HEADER: code}


@pytest.fixture
def world(make_article, make_source, now):
    """One visible story and one hidden story of every kind, sharing section, source and byline."""
    section = Section.objects.create(name="World", slug="world")
    source = make_source("Staff", kind=Source.Kind.STAFF)
    suspended = make_source("Suspended Agency", suspended=True)
    writer = Person.objects.create(name="Erdogan Cagatay Zontur", slug="erdogan-cagatay-zontur")
    published_at = now - datetime.timedelta(hours=1)

    def story(slug: str, headline: str, **fields) -> Article:
        fields = {"source": source, "section": section, "published_at": published_at, **fields}
        article = make_article(
            slug=slug,
            headline=headline,
            standfirst=f"Standfirst of {slug}",
            body=f"<p>Harbour text of {slug}.</p>",
            **fields,
        )
        Byline.objects.create(article=article, person=writer, role=Byline.Role.WRITING)
        return article

    visible = story("harbour-reopens", "Harbour reopens after the storm")
    hidden = {}
    for kind, fields in HIDDEN.items():
        extra = fields(now)
        if kind == "suspended":
            extra["source"] = suspended
        hidden[kind] = story(f"hidden-{kind}", f"Harbour secret {kind} headline", **extra)
    return SimpleNamespace(
        section=section,
        source=source,
        suspended=suspended,
        writer=writer,
        visible=visible,
        hidden=hidden,
        day=published_at.date(),
    )


PAGES = {
    "front": lambda w: reverse("articles:front"),
    "section": lambda w: reverse("articles:section", kwargs={"slug": w.section.slug}),
    "source": lambda w: reverse("articles:source", kwargs={"slug": w.source.slug}),
    "person": lambda w: reverse("articles:person", kwargs={"slug": w.writer.slug}),
    "archive": lambda w: reverse("articles:archive-day", args=[w.day.year, w.day.month, w.day.day]),
    "search": lambda w: reverse("articles:search") + "?q=harbour",
}


def assert_hidden_absent(content: str, world) -> None:
    for kind, article in world.hidden.items():
        assert article.headline not in content, kind
        assert article.slug not in content, kind
        assert article.standfirst not in content, kind


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_visible_story_and_no_hidden_one(client, world, page):
    response = client.get(PAGES[page](world))

    assert response.status_code == 200
    content = response.content.decode()
    assert world.visible.headline in content
    assert_hidden_absent(content, world)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_varies_on_the_readers_country(client, world, page):
    response = client.get(PAGES[page](world))

    assert settings.COUNTRY_HEADER.lower() in response.headers["Vary"].lower()


@pytest.mark.parametrize("page", ["front", "section", "person", "archive", "search"])
def test_a_story_limited_to_a_country_is_listed_for_readers_there_only(client, world, page):
    headline = world.hidden["territory"].headline

    assert headline in client.get(PAGES[page](world), headers=country("FR")).content.decode()
    assert headline not in client.get(PAGES[page](world), headers=country("GB")).content.decode()


def test_a_suspended_sources_page_lists_none_of_its_stories(client, world):
    response = client.get(reverse("articles:source", kwargs={"slug": world.suspended.slug}))

    assert response.status_code == 200
    assert_hidden_absent(response.content.decode(), world)


def test_the_visible_article_is_shown_in_full(client, world):
    response = client.get(world.visible.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert world.visible.headline in content
    assert "Harbour text of harbour-reopens." in content
    assert 'href="/people/erdogan-cagatay-zontur/"' in content


@pytest.mark.parametrize("kind", HIDDEN)
def test_a_hidden_article_answers_with_its_refusal_status(client, world, kind):
    response = client.get(world.hidden[kind].get_absolute_url())

    assert response.status_code == REFUSAL_STATUS[kind]


@pytest.mark.parametrize("kind", HIDDEN)
def test_a_refusal_page_carries_nothing_of_the_story(client, world, kind):
    article = world.hidden[kind]
    response = client.get(article.get_absolute_url())

    content = response.content.decode()
    assert article.headline not in content
    assert article.standfirst not in content
    assert "Harbour text" not in content
    # The slug is in the address the reader asked for, never in the page.
    assert article.slug not in content
    assert "article" not in (response.context or {})


@pytest.mark.parametrize("kind", [k for k, status in REFUSAL_STATUS.items() if status == 451])
def test_a_451_links_to_the_rights_policy_that_blocks_it(client, world, kind):
    response = client.get(world.hidden[kind].get_absolute_url())

    policy = "http://testserver" + reverse("articles:rights-policy")
    assert response.headers["Link"] == f'<{policy}>; rel="blocked-by"'


@pytest.mark.parametrize("kind", ["draft", "embargoed", "withdrawn"])
def test_only_a_451_has_a_blocked_by_link(client, world, kind):
    response = client.get(world.hidden[kind].get_absolute_url())

    assert "Link" not in response.headers


def test_a_territory_refusal_varies_on_the_readers_country(client, world):
    url = world.hidden["territory"].get_absolute_url()

    refused = client.get(url, headers=country("GB"))
    shown = client.get(url, headers=country("FR"))

    assert refused.status_code == 451
    assert shown.status_code == 200
    assert settings.COUNTRY_HEADER.lower() in refused.headers["Vary"].lower()


def test_an_unknown_article_looks_like_a_draft(client, world):
    unknown = client.get(reverse("articles:article", kwargs={"slug": "no-such-story"}))
    draft = client.get(world.hidden["draft"].get_absolute_url())

    assert unknown.status_code == draft.status_code == 404
    assert unknown.content == draft.content
    assert unknown.headers["Cache-Control"] == draft.headers["Cache-Control"]


def test_an_unknown_address_gets_the_sites_not_found_page(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


@pytest.mark.parametrize("name", ["section", "source", "person"])
def test_an_unknown_list_is_not_found(client, db, name):
    response = client.get(reverse(f"articles:{name}", kwargs={"slug": "nobody"}))

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/archive/2025/02/30/", "/archive/2025/13/01/"])
def test_an_impossible_date_is_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_credit_lines_group_people_by_role_and_link_each_name(client, make_article):
    article = make_article()
    people = {
        name: Person.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        for name in ["Ayse Kaya", "Mehmet Demir", "Erdogan Cagatay Zontur", "Jane Editor"]
    }
    for order, (name, role) in enumerate(
        [
            ("Ayse Kaya", Byline.Role.REPORTING),
            ("Erdogan Cagatay Zontur", Byline.Role.WRITING),
            ("Mehmet Demir", Byline.Role.REPORTING),
            ("Jane Editor", Byline.Role.EDITING),
        ]
    ):
        Byline.objects.create(article=article, person=people[name], role=role, order=order)

    content = client.get(article.get_absolute_url()).content.decode()

    credits = re.search(r'<p class="credits">(.*?)</p>', content).group(1)
    text = re.sub(r"<[^>]+>", "", credits)
    assert text == (
        "Reporting by Ayse Kaya and Mehmet Demir; Writing by Erdogan Cagatay Zontur; "
        "Editing by Jane Editor"
    )
    for person in people.values():
        assert f'<a href="{person.get_absolute_url()}">{person.name}</a>' in credits


def test_the_article_shows_dateline_source_copyright_and_editors_note(client, make_article):
    article = make_article(
        dateline="ISTANBUL",
        copyright_holder="Anadolu Agency",
        copyright_year=2022,
        copyright_notice="Copyright 2022 Anadolu Agency. All rights reserved.",
        editor_note="This story was updated to correct the name of the minister.",
    )

    content = client.get(article.get_absolute_url()).content.decode()

    assert '<p class="dateline">ISTANBUL</p>' in content
    assert "© 2022 Anadolu Agency" in content
    assert "Copyright 2022 Anadolu Agency. All rights reserved." in content
    assert "correct the name of the minister" in content
    assert article.source.credit in content


def test_the_article_lists_its_keywords_escaped_and_a_story_without_none(client, make_article):
    tagged = make_article(keywords=["Ferries", "<b>Storms</b>"])
    plain = make_article()

    content = client.get(tagged.get_absolute_url()).content.decode()

    assert "<li>Ferries</li><li>&lt;b&gt;Storms&lt;/b&gt;</li>" in content
    assert 'class="keywords"' not in client.get(plain.get_absolute_url()).content.decode()


def test_the_body_is_marked_safe_but_every_other_field_is_escaped(client, make_article):
    article = make_article(
        headline="<b>Bold</b> claims",
        standfirst="<i>Leaning</i>",
        body="<p>Safe <strong>body</strong><script>alert(1)</script></p>",
    )

    content = client.get(article.get_absolute_url()).content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in content
    assert "&lt;i&gt;Leaning&lt;/i&gt;" in content
    assert "<strong>body</strong>" in content
    assert "alert(1)" not in content


def test_every_page_links_its_stylesheet_favicon_and_skip_link(client, world):
    content = client.get(reverse("articles:front")).content.decode()

    assert 'rel="icon" href="/favicon.ico"' in content
    assert 'href="#content"' in content
    assert 'id="content"' in content
    assert "style=" not in content
    assert "<style" not in content


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"


def test_the_front_page_leads_with_the_newest_story_and_blocks_sections(client, make_article, now):
    business = Section.objects.create(name="Business", slug="business", position=2)
    sport = Section.objects.create(name="Sport", slug="sport", position=1)
    stories = [
        make_article(
            headline=f"Story {n}",
            section=business if n % 2 else sport,
            published_at=now - datetime.timedelta(hours=n),
        )
        for n in range(1, 18)
    ]

    content = client.get(reverse("articles:front")).content.decode()

    lead = content.index('class="lead"')
    assert content.index(stories[0].headline, lead) < content.index('class="latest"')
    assert content.index('id="section-sport"') < content.index('id="section-business"')
    assert "Story 17" not in content


def test_lists_page_by_fetching_one_row_more(client, make_article, now):
    for n in range(25):
        make_article(headline=f"Pager story {n:02d}", published_at=now - datetime.timedelta(n))
    url = reverse("articles:search") + "?q=pager"

    first = client.get(url).content.decode()
    second = client.get(url + "&page=2").content.decode()

    assert "Pager story 00" in first and "Pager story 19" in first
    assert "Pager story 20" not in first
    assert "Older stories" in first and "Newer stories" not in first
    assert "Pager story 20" in second and "Older stories" not in second
    assert "Newer stories" in second
    assert client.get(url + "&page=9").status_code == 404
    assert client.get(url + "&page=x").status_code == 404


def test_no_public_page_counts_the_table(client, world):
    with CaptureQueriesContext(connection) as queries:
        for page in PAGES:
            client.get(PAGES[page](world))
        client.get(world.visible.get_absolute_url())

    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.fixture
def bylined_stories(make_source, now):
    """`n` permitted stories across sections, each with two bylines, all matching "harbour"."""

    def make(n: int):
        source = make_source("Staff desk", kind=Source.Kind.STAFF)
        sections = [Section.objects.create(name=f"S{i}", slug=f"s{i}") for i in range(3)]
        people = [Person.objects.create(name=f"Writer {i}", slug=f"writer-{i}") for i in range(2)]
        for i in range(n):
            article = Article.objects.create(
                headline=f"Harbour story {i}",
                body="<p>Harbour.</p>",
                source=source,
                section=sections[i % 3],
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(minutes=i + 1),
                rights_settled=True,
                may_publish=True,
            )
            for order, person in enumerate(people):
                Byline.objects.create(article=article, person=person, order=order)
        return SimpleNamespace(
            source=source, section=sections[0], person=people[0], article=article
        )

    return make


# The most queries each page may make, whatever the number of stories.
QUERY_BOUNDS = {
    "front": 8,
    "article": 4,
    "section": 7,
    "source": 7,
    "person": 7,
    "archive": 7,  # and one query each for the nearest earlier and later days
    "search": 6,
}


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("page", QUERY_BOUNDS)
def test_every_page_makes_a_constant_number_of_queries(
    client, bylined_stories, django_assert_max_num_queries, page, n, now
):
    made = bylined_stories(n)
    day = made.article.published_at.date()
    url = {
        "front": reverse("articles:front"),
        "article": made.article.get_absolute_url(),
        "section": reverse("articles:section", kwargs={"slug": made.section.slug}),
        "source": reverse("articles:source", kwargs={"slug": made.source.slug}),
        "person": reverse("articles:person", kwargs={"slug": made.person.slug}),
        "archive": reverse("articles:archive-day", args=[day.year, day.month, day.day]),
        "search": reverse("articles:search") + "?q=harbour",
    }[page]

    with django_assert_max_num_queries(QUERY_BOUNDS[page]):
        response = client.get(url)

    assert response.status_code == 200
    assert "Harbour story" in response.content.decode()


def test_a_day_page_links_only_to_the_nearest_days_that_have_stories(client, make_article, now):
    noon = (now - datetime.timedelta(days=20)).replace(hour=12, minute=0, second=0)
    days = datetime.timedelta(days=1)
    make_article(headline="Ten days before", published_at=noon - 10 * days)
    make_article(headline="That day", published_at=noon)
    make_article(headline="Hidden day before", published_at=noon - days, status="draft")

    def day_url(moment: datetime.datetime) -> str:
        return reverse("articles:archive-day", args=[moment.year, moment.month, moment.day])

    page = client.get(day_url(noon)).content.decode()
    assert day_url(noon - 10 * days) in page
    assert day_url(noon - days) not in page
    first = client.get(day_url(noon - 10 * days)).content.decode()
    assert day_url(noon) in first
    assert "←" not in first  # nothing earlier to go back to


def test_a_dateline_already_in_the_lead_is_not_printed_twice(client, make_article):
    wire = make_article(
        dateline="KIRKWALL, Nov 24 (Northern Wire)",
        body="<p>KIRKWALL, Nov 24 (Northern Wire) - Ferries resumed.</p>",
    )
    ours = make_article(dateline="ISTANBUL", body="<p>Ferries resumed on the Bosphorus.</p>")
    assert 'class="dateline"' not in client.get(wire.get_absolute_url()).content.decode()
    assert 'class="dateline">ISTANBUL' in client.get(ours.get_absolute_url()).content.decode()
