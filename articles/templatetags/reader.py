"""Template tags for the reader's pages: the section navigation, the site's name, credit lines and
when a story went public."""

from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from articles import addresses, presentation
from articles.models import Article, Person, Section
from articles.pages import frame, story
from articles.prepared import Prepared
from articles.templatetags import cards

register = template.Library()

# Every page's navigation names at most this many sections, the first by position: a site with
# thousands of sections (as ingest once made of wire subjects) still renders a short bar.
NAV_SECTIONS = 12


def _first_sections() -> QuerySet:
    # Their slugs and names only, as rows: the bar needs no more, and a dozen models a page
    # cost more to make than the query costs to run.
    return Section.objects.values_list("slug", "name", named=True)[:NAV_SECTIONS]


FIRST_SECTIONS = Prepared(Section, _first_sections)  # every page asks it: compiled once


@register.simple_tag
def head_links() -> SafeString:
    """The icon, style sheet and feed links of every page's head (`frame.head_links`)."""
    return mark_safe(frame.head_links())


@register.simple_tag(takes_context=True)
def masthead(context, search: bool = True, sections: bool = True) -> SafeString:
    """The masthead and section bar (`frame.masthead`): the section whose slug is the page's
    `current` is marked, and Home on the front page. `search=False` leaves the search form out
    (the search page has its own); `sections=False` the sections (a page that cannot read the
    database)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return mark_safe(
        frame.masthead(
            sections=FIRST_SECTIONS.run() if sections else None,
            current=context.get("current"),
            home=match is not None and match.url_name == "front",
            search=search,
        )
    )


@register.simple_tag
def site_footer() -> SafeString:
    """Every page's footer (`frame.site_footer`)."""
    return mark_safe(frame.site_footer())


@register.simple_tag
def story_article(article: Article, body, picture, copyright_holder: str) -> SafeString:
    """A story page's `<article>` element (`story.article`)."""
    return story.article(article, body=body, picture=picture, copyright_holder=copyright_holder)


@register.simple_tag
def story_meta(tdm: dict, open_graph: list, ld_json: str) -> SafeString:
    """A story page's metadata in its head (`story.head_meta`)."""
    return story.head_meta(tdm, open_graph, ld_json)


@register.simple_tag
def story_card(story: Article, level=3, size="", kicker=False, brief=False) -> SafeString:
    """A story's card (`cards.card`): `{% story_card story level=3 kicker=True %}`."""
    return cards.card(story, level=level, size=size, kicker=kicker, brief=brief)


@register.simple_tag
def route(view_name: str, optional: bool = False) -> str:
    """The path of a route without arguments, remembered: `{% url %}` without its walk of the
    URL patterns on every page. `optional=True` gives "" for a route the URLs do not have (as
    `{% url … as name %}` does)."""
    return frame.optional_route(view_name) if optional else addresses.route(view_name)


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME


@register.simple_tag
def staff_copy_reserved() -> bool:
    """Whether our own journalism is reserved from text and data mining (the rights page says)."""
    return settings.TDM_RESERVE_STAFF


@register.filter
def credit_groups(article: Article) -> list[tuple[str, list[Person]]]:
    return presentation.credit_groups(article)


@register.filter
def authors(article: Article) -> list[Person]:
    """The people a story card names after "By": its writers and reporters."""
    return presentation.authors(article)


@register.filter
def public_from(article: Article) -> datetime.datetime | None:
    """When the story went public, as every channel dates it."""
    return presentation.public_from(article)
