"""A story's card on the front page, the lists and search, written in Python.

A list page shows up to forty cards; through `{% include %}` each cost some half a millisecond
(the template's variables, three `reverse()` calls and two date filters), most of a list page's
time. `card()` writes the same bytes the card's template wrote, at a tenth of that: the
template tag `{% story_card %}` (`reader.py` beside it) calls it; this module has no template
library of its own. The lead picture, where a card shows one, is still the template
`articles/includes/figure.html`.
"""

from __future__ import annotations

import datetime

from django.template.loader import get_template
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from articles import presentation
from articles.models import Article
from articles.pages.markup import esc, time_element

FIGURE = "articles/includes/figure.html"
LEAD_SIZES = "(min-width: 52rem) 44rem, 100vw"
CARD_SIZES = "(min-width: 52rem) 22rem, (min-width: 40rem) 50vw, 100vw"


def card(
    story: Article,
    *,
    level: int | str | None = 3,
    size: str = "",
    kicker: bool = False,
    brief: bool = False,
) -> SafeString:
    """The card of `story`: `level` its headline's (h2, h3), `size` "lead" or "compact" or none,
    `kicker` its section's name above it, `brief` without standfirst or picture."""
    level = level or 3
    picture = getattr(story, "picture", None) if not brief else None
    classes = "story"
    if size:
        classes += f" story--{esc(size)}"
    if picture:
        classes += " story--pictured"
    parts = [f'<article class="{classes}">\n  ', figure(picture, lead=size == "lead"), "\n  "]
    section = story.section if kicker else None
    if section:
        parts.append(
            f'<p class="kicker"><a href="{esc(section.get_absolute_url())}">'
            f"{esc(section.name)}</a></p>"
        )
    parts.append(
        f'\n  <h{esc(level)} class="story__headline"><a href="{esc(story.get_absolute_url())}">'
        f"{esc(story.headline)}</a></h{esc(level)}>\n  "
    )
    if story.standfirst and not brief:
        parts.append(f'<p class="story__standfirst">{esc(story.standfirst)}</p>')
    source = story.source
    parts.append(
        f'\n  <p class="story__meta">{byline(story)}\n{when(presentation.public_from(story))}'
        f' · <a href="{esc(source.get_absolute_url())}">{esc(source.credit)}</a></p>\n'
        "</article>\n"
    )
    return mark_safe("".join(parts))


def byline(story: Article) -> str:
    """ "By A, B and C" and a separator, or nothing for a story without writers."""
    names = [esc(person.name) for person in presentation.authors(story)]
    if not names:
        return ""
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f'<span class="story__by">By {text}</span> · '


def when(moment: datetime.datetime | None) -> str:
    """The card's time element, as the `date` filter writes "c" and "j M Y, H:i"."""
    return time_element(moment, short_moment)


def short_moment(local: datetime.datetime) -> str:
    """ "2 Dec 2026, 17:05": the `date` filter's "j M Y, H:i", without its lookups."""
    month = MONTHS_3[local.month].title()
    return f"{local.day} {month} {local.year:04d}, {local.hour:02d}:{local.minute:02d}"


def figure(shown, *, lead: bool) -> str:
    """The card's lead picture (a `pictures.showing.Shown`), or nothing."""
    if not shown:
        return ""
    context = {
        "shown": shown,
        "figure_class": "figure--lead" if lead else "figure--card",
        "sizes": LEAD_SIZES if lead else CARD_SIZES,
        "caption": False,
        "lazy": not lead,
    }
    return get_template(FIGURE).render(context)
