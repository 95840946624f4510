"""The story page's element and every page's frame, written in Python (`articles.pages.story`,
`articles.pages.frame`), are byte for byte what their templates wrote, for every form a page
takes; and what the desk or a wire wrote is escaped."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles import presentation
from articles.models import Article, Byline, Person, Section
from articles.pages import frame, story
from articles.templatetags.reader import FIRST_SECTIONS
from tests.pages.test_cards import picture

pytestmark = pytest.mark.django_db

# The story's element as its template wrote it (with the credit line's include inlined).
CREDITS = (
    '{% with groups=story|credit_groups %}{% if groups %}<p class="credits">'
    "{% for role, people in groups %}{% if not forloop.first %}; {% endif %}{{ role }} by "
    "{% for person in people %}{% if not forloop.first %}{% if forloop.last %} and {% else %}, "
    '{% endif %}{% endif %}<a href="{{ person.get_absolute_url }}">{{ person.name }}</a>'
    "{% endfor %}{% endfor %}</p>{% endif %}{% endwith %}\n"
)
ARTICLE = (
    "{% load reader %}"
    '<article class="article" lang="{{ article.language }}">\n'
    '  <header class="article__header">\n'
    '    {% if article.section %}<p class="kicker"><a href="'
    '{{ article.section.get_absolute_url }}">'
    "{{ article.section.name }}</a></p>{% endif %}\n"
    '    <h1 class="article__headline">{{ article.headline }}</h1>\n'
    '    {% if article.standfirst %}<p class="article__standfirst">{{ article.standfirst }}</p>'
    "{% endif %}\n"
    '    <div class="article__byline">\n'
    "      {% with story=article %}" + CREDITS + "{% endwith %}\n"
    '      <p class="article__meta">{% with public_from=article|public_from %}<time datetime="'
    '{{ public_from|date:\'c\' }}">{{ public_from|date:"l j F Y, H:i T" }}</time>{% endwith %}'
    "</p>\n"
    '      <p class="article__source">Source: <a href="{{ article.source.get_absolute_url }}">'
    "{{ article.source.credit }}</a></p>\n"
    "    </div>\n"
    "  </header>\n"
    '  {% if picture %}{% include "articles/includes/figure.html" with shown=picture '
    'figure_class="article__figure" sizes="(min-width: 72rem) 65ch, 100vw" caption=True %}'
    "{% endif %}\n"
    '  <div class="article__body">\n'
    '    {% if article.dateline and not article.dateline_in_lead %}<p class="dateline">'
    "{{ article.dateline }}</p>{% endif %}\n"
    "    {% if body is not None %}{{ body }}{% else %}{{ article.body|safe }}{% endif %}\n"
    "  </div>\n"
    '  <footer class="article__footer">\n'
    "    {% if article.keywords %}\n"
    '    <div class="keywords">\n'
    '      <h2 class="keywords__heading">Topics</h2>\n'
    '      <ul class="keywords__list">{% for keyword in article.keywords %}<li>{{ keyword }}</li>'
    "{% endfor %}</ul>\n"
    "    </div>\n"
    "    {% endif %}\n"
    "    {% if article.editor_note %}\n"
    '    <aside class="editor-note" aria-labelledby="editor-note-heading">\n'
    '      <h2 id="editor-note-heading">Editor\'s note</h2>\n'
    "      <p>{{ article.editor_note|linebreaksbr }}</p>\n"
    "    </aside>\n"
    "    {% endif %}\n"
    '    <p class="copyright">© {% if article.copyright_year %}{{ article.copyright_year }} '
    "{% endif %}{{ copyright_holder }}</p>\n"
    '    {% if article.copyright_notice %}<p class="copyright__notice">'
    "{{ article.copyright_notice|linebreaksbr }}</p>{% endif %}\n"
    '    <p class="copyright__policy"><a href="{% url \'articles:rights-policy\' %}">How we use '
    "agency and partner copy</a></p>\n"
    "  </footer>\n"
    "</article>"
)

# The frame as base.html wrote it: the head's links, the masthead and the footer.
HEAD = (
    "{% load static reader %}{% site_name as site %}"
    '<link rel="icon" href="{% route \'articles:favicon\' %}" type="image/svg+xml">\n'
    '<link rel="stylesheet" href="{% static \'css/newsroom.css\' %}">\n'
    "{% route 'syndication:rss' optional=True as rss_url %}{% if rss_url %}<link rel=\"alternate\""
    ' type="application/rss+xml" title="{{ site }}: latest stories (RSS)" href="{{ rss_url }}">'
    "{% endif %}\n"
    "{% route 'syndication:atom' optional=True as atom_url %}{% if atom_url %}<link "
    'rel="alternate" type="application/atom+xml" title="{{ site }}: latest stories (Atom)" '
    'href="{{ atom_url }}">{% endif %}'
)
MASTHEAD = (
    "{% load reader %}{% site_name as site %}"
    '<header class="masthead">\n'
    '  <div class="masthead__bar wrap">\n'
    '    <p class="masthead__date"><time datetime="{% now \'Y-m-d\' %}">{% now "l j F Y" %}'
    "</time></p>\n"
    "    {% if search %}\n"
    '    <form class="search-form" role="search" action="{% route \'articles:search\' %}"'
    ' method="get">\n'
    '      <label class="visually-hidden" for="masthead-q">Search stories</label>\n'
    '      <input id="masthead-q" type="search" name="q" placeholder="Search">\n'
    '      <button type="submit">Search</button>\n'
    "    </form>\n"
    "    {% endif %}\n"
    "  </div>\n"
    '  <p class="masthead__title wrap"><a href="{% route \'articles:front\' %}">{{ site }}</a>'
    "</p>\n"
    '  <nav class="sections" aria-label="Sections">\n'
    '    <ul class="wrap">\n'
    "      <li><a href=\"{% route 'articles:front' %}\"{% if request.resolver_match.url_name =="
    ' "front" %} aria-current="page"{% endif %}>Home</a></li>\n'
    "      {% if sections %}{% for item in nav %}\n"
    '      <li><a href="{{ item.get_absolute_url }}"{% if item.slug == current %} '
    'aria-current="page"{% endif %}>{{ item.name }}</a></li>\n'
    "      {% endfor %}{% endif %}\n"
    "    </ul>\n"
    "  </nav>\n"
    "</header>"
)
FOOTER = (
    "{% load reader %}{% site_name as site %}"
    "{% route 'syndication:rss' optional=True as rss_url %}"
    "{% route 'syndication:atom' optional=True as atom_url %}"
    '<footer class="site-footer">\n'
    '  <div class="wrap">\n'
    '    <p class="site-footer__name">{{ site }}</p>\n'
    '    <ul class="site-footer__links">\n'
    "      <li><a href=\"{% route 'articles:rights-policy' %}\">Rights and permissions</a></li>\n"
    "      <li><a href=\"{% route 'articles:search' %}\">Search</a></li>\n"
    '      {% if rss_url %}<li><a href="{{ rss_url }}">RSS feed</a></li>{% endif %}\n'
    '      {% if atom_url %}<li><a href="{{ atom_url }}">Atom feed</a></li>{% endif %}\n'
    "    </ul>\n"
    '    <p class="site-footer__small">Agency copy appears under the terms of its source and is '
    "credited on every story.</p>\n"
    "  </div>\n"
    "</footer>"
)


def render(template: str, context: dict, request=None) -> str:
    return engines["django"].from_string(template).render(context, request)


def reference(found: Article, **context) -> str:
    return render(ARTICLE, {"article": found, **context})


def written(found: Article, *, body, picture, copyright_holder) -> str:
    return story.article(found, body=body, picture=picture, copyright_holder=copyright_holder)


@pytest.fixture
def stories(make_article, make_source):
    section = Section.objects.create(name="Ports & <Harbours>", slug="ports")
    agency = make_source("Wire & Co", credit_line='Wire "Co" <AP>')
    people = [Person.objects.create(name=f"Person {n} <&>", slug=f"p-{n}") for n in range(4)]
    roles = [Byline.Role.REPORTING, Byline.Role.EDITING, Byline.Role.REPORTING]
    made = []
    for n in range(5):  # no byline, one, two, three of two roles, and one person twice in a role
        found = make_article(
            headline=f"Harbour <b>{n}</b> & \"quays\" 'n' more",
            standfirst="" if n == 1 else f"Standfirst {n} & <i>more</i>",
            section=section if n != 2 else None,
            source=agency if n % 2 else make_source(f"Desk {n}"),
            published_at=timezone.now() - datetime.timedelta(days=40 * n, minutes=7 * n),
            body=f"<p>KABUL, Harbour &amp; quay {n}</p><p>More.</p>",
            dateline="" if n == 0 else ("KABUL, Harbour & quay" if n == 3 else "LAGOS"),
            language="fr" if n == 4 else "en",
            keywords=[] if n == 0 else ["ports", "<b>quays</b> & more"][: n % 2 + 1],
            editor_note="" if n < 3 else "Corrected.\nAn earlier <version> said & so.",
            copyright_year=None if n % 2 else 2022,
            copyright_notice="" if n == 2 else "Copyright 2022 Anadolu Agency.\nAll rights <x>.",
        )
        for order, person in enumerate(people[:n] if n < 4 else [people[0], people[0]]):
            role = roles[order % 3] if n < 4 else Byline.Role.REPORTING
            Byline.objects.create(article=found, person=person, role=role, order=order)
        made.append(Article.objects.get(pk=found.pk))
    unpublished = make_article(headline="Not yet", published_at=None, status=Article.Status.DRAFT)
    embargoed = make_article(
        headline="Later", embargo_until=timezone.now() + datetime.timedelta(hours=2)
    )
    return [*made, unpublished, embargoed]


def test_the_story_element_is_what_its_template_wrote_in_every_form(stories):
    checked = 0
    for found in stories:
        holder = presentation.copyright_holder(found)
        for shown in (None, picture()):
            for body in (None, mark_safe("<p>Placed <figure>one</figure></p>"), "<p>plain</p>"):
                context = {"body": body, "picture": shown, "copyright_holder": holder}
                assert written(found, **context) == reference(found, **context), (found, context)
                checked += 1
    assert checked == len(stories) * 2 * 3


def test_the_story_element_escapes_what_the_desk_and_the_wire_wrote(stories):
    found = stories[3]
    html = written(found, body=None, picture=None, copyright_holder="Holder <&>")
    assert "<b>" not in html.split('class="article__body"')[0]
    assert "Harbour &lt;b&gt;3&lt;/b&gt;" in html
    assert "An earlier &lt;version&gt; said &amp; so." in html and "Corrected.<br>" in html
    assert "© Holder &lt;&amp;&gt;" in html
    assert (
        '<ul class="keywords__list"><li>ports</li><li>&lt;b&gt;quays&lt;/b&gt; &amp; more</li>'
        in html
    )
    # A placed body that is not marked safe is escaped, never trusted.
    assert "&lt;p&gt;plain&lt;/p&gt;" in written(
        found, body="<p>plain</p>", picture=None, copyright_holder="x"
    )


def test_the_credit_line_groups_roles_and_names_each_person_once(stories):
    html = written(stories[3], body=None, picture=None, copyright_holder="x")
    assert (
        '<p class="credits">Reporting by <a href="/people/p-0/">Person 0 &lt;&amp;&gt;</a> and '
        '<a href="/people/p-2/">Person 2 &lt;&amp;&gt;</a>; Editing by '
        '<a href="/people/p-1/">Person 1 &lt;&amp;&gt;</a></p>'
    ) in html
    twice = written(stories[4], body=None, picture=None, copyright_holder="x")
    assert twice.count("Person 0") == 1
    assert "credits" not in written(stories[0], body=None, picture=None, copyright_holder="x")


def request_at(path: str):
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    return request


@pytest.mark.parametrize(
    ("path", "current", "search", "sections"),
    [
        ("/", None, True, True),
        ("/section/ports/", "ports", True, True),
        ("/search/", None, False, True),
        ("/section/ports/", "ports", True, False),
    ],
)
def test_the_masthead_is_what_base_html_wrote(path, current, search, sections, settings):
    settings.SITE_NAME = 'The "Harbour" & <Quay>'
    Section.objects.create(name="Ports & <Harbours>", slug="ports", position=1)
    Section.objects.create(name="World", slug="world", position=2)
    request = request_at(path)
    nav = list(Section.objects.all())
    context = {"current": current, "search": search, "sections": sections, "request": request}
    context["nav"] = nav
    expected = render(MASTHEAD, context, request)
    found = frame.masthead(
        sections=FIRST_SECTIONS.run() if sections else None,
        current=current,
        home=request.resolver_match.url_name == "front",
        search=search,
    )
    assert found == expected
    assert (' aria-current="page">Home' in found) == (path == "/")
    assert ("Ports &amp; &lt;Harbours&gt;" in found) == sections


def test_the_masthead_dates_the_page_in_the_sites_zone(settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    moment = datetime.datetime(2026, 6, 30, 13, 0, tzinfo=datetime.UTC)  # 1 July there
    with timezone.override("Pacific/Auckland"):
        found = frame.masthead(
            sections=None, current=None, home=False, now=timezone.localtime(moment)
        )
    assert '<time datetime="2026-07-01">Wednesday 1 July 2026</time>' in found


@pytest.mark.parametrize("feeds", [True, False])
def test_the_head_links_and_the_footer_are_what_base_html_wrote(feeds, settings):
    settings.SITE_NAME = 'The "Harbour" & <Quay>'
    if not feeds:  # a site whose URLs have no feeds
        settings.ROOT_URLCONF = "tests.pages.urls_without_feeds"
    assert frame.head_links() == render(HEAD, {})
    assert frame.site_footer() == render(FOOTER, {})
    assert ("RSS feed" in frame.site_footer()) == feeds


def test_a_page_that_cannot_read_the_database_has_no_sections(django_assert_num_queries):
    request = request_at("/")
    with django_assert_num_queries(0):
        html = render("{% load reader %}{% masthead sections=False %}", {"request": request})
    assert 'aria-current="page">Home</a></li>\n      \n    </ul>' in html


def test_the_masthead_tag_marks_the_pages_section(rf):
    Section.objects.create(name="World", slug="world", position=2)
    request = request_at("/section/world/")
    html = render("{% load reader %}{% masthead %}", {"request": request, "current": "world"})
    assert '<a href="/section/world/" aria-current="page">World</a>' in html
    assert '<form class="search-form"' in html


META = (
    '{% for name, content in tdm.items %}<meta name="{{ name }}" content="{{ content }}">\n'
    '{% endfor %}{% for property, content in open_graph %}<meta property="{{ property }}" '
    'content="{{ content }}">\n{% endfor %}{{ ld_json }}'
)


@pytest.mark.parametrize("reserved", [True, False])
def test_the_story_metadata_is_what_its_template_wrote(reserved):
    tdm = {"tdm-reservation": "1", "tdm-policy": "https://x/legal/rights/?a=1&b=<2>"}
    if not reserved:
        tdm = {"tdm-reservation": "0"}
    open_graph = [("og:title", 'Harbour <b>"quays"</b> & more'), ("og:type", "article")]
    ld_json = mark_safe('<script type="application/ld+json">{"a": "\\u003cb\\u003e"}</script>')
    context = {"tdm": tdm, "open_graph": open_graph, "ld_json": ld_json}
    found = story.head_meta(tdm, open_graph, ld_json)
    assert found == render(META, context)
    assert 'content="Harbour &lt;b&gt;&quot;quays&quot;&lt;/b&gt; &amp; more"' in found
