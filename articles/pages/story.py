"""A story's own page, its `<article>` element, written in Python.

Through the template engine the element cost some 0.9 ms a page (forty variables, two includes,
three filters on dates): most of what a story page costs beyond its two queries. `article()`
writes the same bytes (the tests hold it to the template it replaced) at a tenth of that;
`articles/article.html` asks for it with `{% story_article %}` and keeps the page's head. The
lead picture is still the template `articles/includes/figure.html`, as the cards' is.
"""

from __future__ import annotations

import datetime

from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe

from articles import addresses, presentation
from articles.models import Article
from articles.pages.markup import esc, time_element

FIGURE = "articles/includes/figure.html"
FIGURE_SIZES = "(min-width: 72rem) 65ch, 100vw"


def credits(story: Article) -> str:
    """ "Reporting by A and B; Photography by C", each name a link to the person's page."""
    groups = presentation.credit_groups(story)
    if not groups:
        return ""
    parts = ['<p class="credits">']
    for g, (role, people) in enumerate(groups):
        if g:
            parts.append("; ")
        parts.append(f"{esc(role)} by ")
        last = len(people) - 1
        for p, person in enumerate(people):
            if p:
                parts.append(" and " if p == last else ", ")
            parts.append(f'<a href="{esc(person.get_absolute_url())}">{esc(person.name)}</a>')
    parts.append("</p>")
    return "".join(parts)


def published(moment: datetime.datetime | None) -> str:
    """The story's time element, as the `date` filter writes "c" and "l j F Y, H:i T"."""
    return time_element(moment, lambda local: date_format(local, "l j F Y, H:i T"))


def figure(shown) -> str:
    if not shown:
        return ""
    context = {
        "shown": shown,
        "figure_class": "article__figure",
        "sizes": FIGURE_SIZES,
        "caption": True,
    }
    return get_template(FIGURE).render(context)


def head_meta(tdm: dict[str, str], open_graph: list[tuple[str, str]], ld_json: str) -> SafeString:
    """The story's metadata in the page's head: its text-and-data-mining declaration, its Open
    Graph properties and its schema.org script (`ld_json`, already safe), one to a line."""
    parts = [
        f'<meta name="{esc(name)}" content="{esc(content)}">\n' for name, content in tdm.items()
    ]
    parts += [
        f'<meta property="{esc(prop)}" content="{esc(content)}">\n' for prop, content in open_graph
    ]
    parts.append(esc(ld_json))
    return mark_safe("".join(parts))


def article(story: Article, *, body: str | None, picture, copyright_holder: str) -> SafeString:
    """The story's element: header (kicker, headline, standfirst, credits, time, source), lead
    `picture` (a `pictures.showing.Shown`, or None), `body` (the body as placed, safe; None for
    the stored body as it is), topics, the editor's note and the copyright lines."""
    section = story.section
    parts = [f'<article class="article" lang="{esc(story.language)}">\n']
    parts.append('  <header class="article__header">\n    ')
    if section:
        parts.append(
            f'<p class="kicker"><a href="{esc(section.get_absolute_url())}">'
            f"{esc(section.name)}</a></p>"
        )
    parts.append(f'\n    <h1 class="article__headline">{esc(story.headline)}</h1>\n    ')
    if story.standfirst:
        parts.append(f'<p class="article__standfirst">{esc(story.standfirst)}</p>')
    source = story.source
    parts.append(
        '\n    <div class="article__byline">\n      '
        f"{credits(story)}\n"
        f'\n      <p class="article__meta">{published(presentation.public_from(story))}</p>\n'
        f'      <p class="article__source">Source: <a href="{esc(source.get_absolute_url())}">'
        f"{esc(source.credit)}</a></p>\n"
        "    </div>\n  </header>\n  "
    )
    parts.append(figure(picture))
    parts.append('\n  <div class="article__body">\n    ')
    if story.dateline and not story.dateline_in_lead:
        parts.append(f'<p class="dateline">{esc(story.dateline)}</p>')
    parts.append("\n    ")
    parts.append(esc(body) if body is not None else str(story.body))
    parts.append('\n  </div>\n  <footer class="article__footer">\n    ')
    if story.keywords:
        items = "".join(f"<li>{esc(keyword)}</li>" for keyword in story.keywords)
        parts.append(
            '\n    <div class="keywords">\n'
            '      <h2 class="keywords__heading">Topics</h2>\n'
            f'      <ul class="keywords__list">{items}</ul>\n'
            "    </div>\n    "
        )
    parts.append("\n    ")
    if story.editor_note:
        parts.append(
            '\n    <aside class="editor-note" aria-labelledby="editor-note-heading">\n'
            '      <h2 id="editor-note-heading">Editor\'s note</h2>\n'
            f"      <p>{linebreaksbr(story.editor_note, autoescape=True)}</p>\n"
            "    </aside>\n    "
        )
    year = f"{esc(story.copyright_year)} " if story.copyright_year else ""
    parts.append(f'\n    <p class="copyright">© {year}{esc(copyright_holder)}</p>\n    ')
    if story.copyright_notice:
        notice = linebreaksbr(story.copyright_notice, autoescape=True)
        parts.append(f'<p class="copyright__notice">{notice}</p>')
    parts.append(
        '\n    <p class="copyright__policy">'
        f'<a href="{esc(addresses.route("articles:rights-policy"))}">'
        "How we use agency and partner copy</a></p>\n"
        "  </footer>\n</article>"
    )
    return mark_safe("".join(parts))
