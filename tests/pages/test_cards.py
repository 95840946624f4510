"""A story's card, written in Python (`articles.templatetags.cards`), is byte for byte what its
template wrote, for every form the pages use; and the paths built from a slug are reverse()'s."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone

from articles import addresses
from articles.models import Article, Byline, Person, Section
from articles.templatetags import cards

pytestmark = pytest.mark.django_db

# The card's template as it was (with its credit line inlined): the reference.
CREDITS = (
    "{% load reader %}{% with people=story|authors %}{% if people %}"
    '<span class="story__by">By {% for person in people %}{% if not forloop.first %}'
    "{% if forloop.last %} and {% else %}, {% endif %}{% endif %}{{ person.name }}{% endfor %}"
    "</span> · {% endif %}{% endwith %}\n"
)
TEMPLATE = (
    '{% load reader %}<article class="story{% if size %} story--{{ size }}{% endif %}'
    '{% if story.picture and not brief %} story--pictured{% endif %}">\n'
    '  {% if story.picture and not brief %}{% if size == "lead" %}'
    '{% include "articles/includes/figure.html" with shown=story.picture '
    'figure_class="figure--lead" sizes="(min-width: 52rem) 44rem, 100vw" caption=False %}'
    '{% else %}{% include "articles/includes/figure.html" with shown=story.picture '
    'figure_class="figure--card" sizes="(min-width: 52rem) 22rem, (min-width: 40rem) 50vw, '
    '100vw" caption=False lazy=True %}{% endif %}{% endif %}\n'
    '  {% if kicker and story.section %}<p class="kicker"><a href="'
    '{{ story.section.get_absolute_url }}">{{ story.section.name }}</a></p>{% endif %}\n'
    '  <h{{ level|default:3 }} class="story__headline"><a href="{{ story.get_absolute_url }}">'
    "{{ story.headline }}</a></h{{ level|default:3 }}>\n"
    '  {% if story.standfirst and not brief %}<p class="story__standfirst">'
    "{{ story.standfirst }}</p>{% endif %}\n"
    '  <p class="story__meta">' + CREDITS + "{% with public_from=story|public_from %}"
    '<time datetime="{{ public_from|date:\'c\' }}">{{ public_from|date:"j M Y, H:i" }}</time>'
    '{% endwith %} · <a href="{{ story.source.get_absolute_url }}">{{ story.source.credit }}</a>'
    "</p>\n</article>\n"
)
FORMS = [
    {"level": 3},
    {"level": 2, "kicker": True},
    {"level": 3, "size": "lead", "kicker": True},
    {"level": 3, "size": "compact", "kicker": True, "brief": True},
    {"level": 3, "brief": True},
    {"level": None},
]


def reference(story: Article, **form) -> str:
    return engines["django"].from_string(TEMPLATE).render({"story": story, **form})


def picture() -> SimpleNamespace:
    return SimpleNamespace(
        srcset_webp="/p/1/640.webp 640w",
        srcset_jpg="/p/1/640.jpg 640w",
        src=SimpleNamespace(url="/p/1/640.jpg", width=640, height=427),
        alt='Boats & "barges"',
        caption="The harbour at dawn",
        credit="Photo <Agency>",
    )


@pytest.fixture
def stories(make_article, make_source):
    section = Section.objects.create(name="Ports & <Harbours>", slug="ports")
    agency = make_source("Wire & Co", credit_line='Wire "Co" <AP>')
    people = [Person.objects.create(name=f"Person {n} <&>", slug=f"p-{n}") for n in range(4)]
    made = []
    for n in range(4):  # no writer, one, two and three (an editor is never named)
        story = make_article(
            headline=f"Harbour <b>{n}</b> & \"quays\" 'n' more",
            standfirst="" if n == 1 else f"Standfirst {n} & <i>more</i>",
            section=section if n != 2 else None,
            source=agency if n % 2 else make_source(f"Desk {n}"),
            published_at=timezone.now() - datetime.timedelta(days=n, minutes=7 * n),
        )
        for order, person in enumerate(people[:n]):
            Byline.objects.create(
                article=story, person=person, role=Byline.Role.REPORTING, order=order
            )
        Byline.objects.create(article=story, person=people[3], role=Byline.Role.EDITING, order=n)
        made.append(story)
    unpublished = make_article(headline="Not yet", published_at=None, status=Article.Status.DRAFT)
    embargoed = make_article(
        headline="Later", embargo_until=timezone.now() + datetime.timedelta(hours=2)
    )
    return [*made, unpublished, embargoed]


def test_a_card_is_what_its_template_wrote_in_every_form(stories):
    checked = 0
    for story in stories:
        for with_picture in (False, True):
            story.picture = picture() if with_picture else None
            for form in FORMS:
                assert cards.card(story, **form) == reference(story, **form), (story, form)
                checked += 1
    assert checked == len(stories) * 2 * len(FORMS)


def test_a_card_without_a_picture_attribute_has_none(stories):
    story = Article.objects.get(pk=stories[0].pk)
    assert not hasattr(story, "picture")
    assert cards.card(story, level=2, kicker=True) == reference(story, level=2, kicker=True)
    assert "figure" not in cards.card(story)


def test_a_card_escapes_what_the_desk_wrote(stories):
    written = cards.card(stories[3], level=3, kicker=True)
    assert "<b>" not in written and "&lt;b&gt;" in written
    assert "Ports &amp; &lt;Harbours&gt;" in written
    assert "By Person 0 &lt;&amp;&gt;, Person 1 &lt;&amp;&gt; and Person 2" in written
    assert "Person 3" not in written  # the editor


@pytest.mark.parametrize(
    ("view_name", "slug"),
    [
        ("articles:article", "harbour-reopens"),
        ("articles:section", "ports_2"),
        ("articles:source", "AP-123"),
        ("articles:person", "x"),
    ],
)
def test_slug_paths_are_reverses_own(view_name, slug):
    assert addresses.slug_path(view_name, slug) == reverse(view_name, kwargs={"slug": slug})


def test_a_slug_the_converter_refuses_goes_through_reverse_and_its_error():
    with pytest.raises(NoReverseMatch):
        addresses.slug_path("articles:article", "café au lait")
    with pytest.raises(NoReverseMatch):
        addresses.slug_path("articles:article", "")
    with pytest.raises(NoReverseMatch):
        addresses.slug_path("articles:no-such-view", "x")


def test_slug_paths_and_routes_follow_the_script_prefix():
    try:
        set_script_prefix("/paper/")
        assert addresses.slug_path("articles:article", "a") == "/paper/news/a/"
        assert addresses.route("syndication:rss") == "/paper/feeds/rss/"
    finally:
        set_script_prefix("/")
    assert addresses.slug_path("articles:article", "a") == "/news/a/"
    assert addresses.route("syndication:rss") == "/feeds/rss/"


def test_paths_are_forgotten_when_the_urls_change(settings):
    assert addresses.route("articles:front") == "/"
    settings.ROOT_URLCONF = "bench.floor.urls"
    with pytest.raises(NoReverseMatch, match="not a registered namespace"):
        addresses.route("articles:front")
    with pytest.raises(NoReverseMatch, match="not a registered namespace"):
        addresses.slug_path("articles:article", "a")


def test_the_route_tag_is_empty_only_where_asked(settings):
    settings.ROOT_URLCONF = "bench.floor.urls"
    render = engines["django"].from_string
    optional = "{% load reader %}{% route 'syndication:rss' optional=True as rss %}[{{ rss }}]"
    assert render(optional).render({}) == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% load reader %}{% route 'syndication:rss' %}").render({})


@pytest.mark.parametrize(
    "uri",
    [
        "urn:newsml:example.com:20260101:abc-1",
        "tag:example.com,2026:item/7",  # "," and "/": through reverse()
        "urn:newsroom:wire:a%20b",  # "%": reverse() quotes it
        "urn:x:é",
        "a b",
    ],
)
def test_plain_paths_are_reverses_own(uri):
    expected = reverse("syndication:api-item", kwargs={"uri": uri})
    assert addresses.plain_path("syndication:api-item", "uri", uri) == expected
