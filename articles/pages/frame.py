"""The frame every public page shares, written in Python: the links in its head, the masthead
with the section bar, and the site's footer.

`base.html` asks for each piece with a tag (`{% head_links %}`, `{% masthead %}`,
`{% site_footer %}`, in `templatetags/reader.py`); the pieces were that template's own markup,
and through the template engine they cost some 0.6 ms a page (three route lookups, two `now`
tags, the section loop), a quarter of a story page's time. These functions write the same
bytes (the tests hold them to the markup they replaced) at a tenth of that. A theme that wants
another masthead overrides the template's `masthead` block.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.dateformat import format as date_format

from articles import addresses
from articles.models import Section
from articles.pages.markup import esc

CURRENT = ' aria-current="page"'


def optional_route(view_name: str) -> str:
    """The path of a route without arguments, or "" where the URLs do not have it (a site
    without feeds)."""
    try:
        return addresses.route(view_name)
    except NoReverseMatch:
        return ""


def head_links() -> str:
    """The icon, the style sheet and the site-wide feeds, as the head of every page links them."""
    site = esc(settings.SITE_NAME)
    parts = [
        f'<link rel="icon" href="{esc(addresses.route("articles:favicon"))}"'
        ' type="image/svg+xml">\n'
        f'<link rel="stylesheet" href="{esc(static("css/newsroom.css"))}">\n'
    ]
    rss, atom = optional_route("syndication:rss"), optional_route("syndication:atom")
    if rss:
        parts.append(
            f'<link rel="alternate" type="application/rss+xml" title="{site}: latest stories'
            f' (RSS)" href="{esc(rss)}">'
        )
    parts.append("\n")
    if atom:
        parts.append(
            f'<link rel="alternate" type="application/atom+xml" title="{site}: latest stories'
            f' (Atom)" href="{esc(atom)}">'
        )
    return "".join(parts)


def masthead(
    *,
    sections: Iterable[Section] | None,
    current: str | None,
    home: bool,
    search: bool = True,
    now: datetime.datetime | None = None,
) -> str:
    """The masthead: today's date, the search form (unless `search` is false), the site's name
    and the section bar: Home (marked current where `home`), then `sections` (anything with a
    `slug` and a `name`; the one whose slug is `current` marked). `sections=None` leaves the bar
    with Home only (a page that cannot read the database)."""
    if now is None:
        now = timezone.localtime() if settings.USE_TZ else datetime.datetime.now()
    front = esc(addresses.route("articles:front"))
    parts = [
        '<header class="masthead">\n  <div class="masthead__bar wrap">\n'
        f'    <p class="masthead__date"><time datetime="{date_format(now, "Y-m-d")}">'
        f"{esc(date_format(now, 'l j F Y'))}</time></p>\n    "
    ]
    if search:
        parts.append(
            f'\n    <form class="search-form" role="search"'
            f' action="{esc(addresses.route("articles:search"))}" method="get">\n'
            '      <label class="visually-hidden" for="masthead-q">Search stories</label>\n'
            '      <input id="masthead-q" type="search" name="q" placeholder="Search">\n'
            '      <button type="submit">Search</button>\n'
            "    </form>\n    "
        )
    parts.append(
        "\n  </div>\n"
        f'  <p class="masthead__title wrap"><a href="{front}">{esc(settings.SITE_NAME)}</a></p>\n'
        '  <nav class="sections" aria-label="Sections">\n    <ul class="wrap">\n'
        f'      <li><a href="{front}"{CURRENT if home else ""}>Home</a></li>\n'
        "      "
    )
    if sections is not None:
        path = addresses.slug_paths("articles:section")  # Section.get_absolute_url, looked up once
        for item in sections:
            mark = CURRENT if current is not None and item.slug == current else ""
            parts.append(
                f'\n      <li><a href="{esc(path(item.slug))}"{mark}>{esc(item.name)}</a></li>\n'
                "      "
            )
    parts.append("\n    </ul>\n  </nav>\n</header>")
    return "".join(parts)


def site_footer() -> str:
    """The footer: the site's name, the rights page, search and the feeds."""
    rss, atom = optional_route("syndication:rss"), optional_route("syndication:atom")
    parts = [
        '<footer class="site-footer">\n  <div class="wrap">\n'
        f'    <p class="site-footer__name">{esc(settings.SITE_NAME)}</p>\n'
        '    <ul class="site-footer__links">\n'
        f'      <li><a href="{esc(addresses.route("articles:rights-policy"))}">Rights and'
        " permissions</a></li>\n"
        f'      <li><a href="{esc(addresses.route("articles:search"))}">Search</a></li>\n      '
    ]
    if rss:
        parts.append(f'<li><a href="{esc(rss)}">RSS feed</a></li>')
    parts.append("\n      ")
    if atom:
        parts.append(f'<li><a href="{esc(atom)}">Atom feed</a></li>')
    parts.append(
        "\n    </ul>\n"
        '    <p class="site-footer__small">Agency copy appears under the terms of its source and'
        " is credited on every story.</p>\n  </div>\n</footer>"
    )
    return "".join(parts)
