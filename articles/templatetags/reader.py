"""Template tags for the reader's pages: the section navigation, the site's name, credit lines and
when a story went public."""

from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.db.models import QuerySet
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString

from articles import addresses, presentation
from articles.models import Article, Person, Section
from articles.templatetags import cards
from newsroom.prepared import Prepared

register = template.Library()

# Every page's navigation names at most this many sections, the first by position: a site with
# thousands of sections (as ingest once made of wire subjects) still renders a short bar.
NAV_SECTIONS = 12


def _first_sections() -> QuerySet:
    return Section.objects.all()[:NAV_SECTIONS]


FIRST_SECTIONS = Prepared(Section, _first_sections)  # every page asks it: compiled once


@register.simple_tag
def nav_sections() -> list[Section]:
    return FIRST_SECTIONS.run()


@register.simple_tag
def story_card(story: Article, level=3, size="", kicker=False, brief=False) -> SafeString:
    """A story's card (`cards.card`): `{% story_card story level=3 kicker=True %}`."""
    return cards.card(story, level=level, size=size, kicker=kicker, brief=brief)


@register.simple_tag
def route(view_name: str, optional: bool = False) -> str:
    """The path of a route without arguments, remembered: `{% url %}` without its walk of the
    URL patterns on every page. `optional=True` gives "" for a route the URLs do not have (as
    `{% url … as name %}` does)."""
    try:
        return addresses.route(view_name)
    except NoReverseMatch:
        if optional:
            return ""
        raise


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
