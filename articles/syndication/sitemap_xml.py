"""The sitemaps' XML written in Python: the bytes Django's `sitemap.xml` and `sitemap_index.xml`
templates and our `syndication/sitemap_news.xml` write, at a string join's cost.

A map of 1,000 addresses rendered through the template engine took some 40 ms, two thirds of the
news map's time (each variable resolved and escaped through the engine's layers, each date
through the `date` filter). The views still come from `django.contrib.sitemaps` (pages, 404s,
headers); only the rendering is ours. The templates stay the reference: `tests/syndication/
test_sitemap_xml.py` renders them beside these functions for every form an entry takes (with
and without a date, characters to escape, titles of spaces only) and compares the bytes.
"""

from __future__ import annotations

import datetime
import html

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_spaces_between_tags

URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
NEWS_URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
)
INDEX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


class _Local:
    """`template_localtime` for a map's many dates: the current time zone read once."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None

    def __call__(self, value):
        if self.zone is None or not isinstance(value, datetime.datetime):
            return value
        return value if timezone.is_naive(value) else value.astimezone(self.zone)

    def day(self, value) -> str:
        """`{{ value|date:"Y-m-d" }}`: the day in the current time zone."""
        local = self(value)
        return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"

    def moment(self, value) -> str:
        """`{{ value|date:"c" }}`: ISO 8601 in the current time zone (the filter's "c" is
        `isoformat()`)."""
        return self(value).isoformat()


def _text(value) -> str:
    """`{{ value }}`: escaped as `django.utils.html.escape` escapes (it is `html.escape`), None
    as "None" (as the engine writes it), without its lazy-string wrapper's cost."""
    return html.escape(str(value))


def _spaceless(body: str, head: str, tail: str) -> str:
    """What `{% spaceless %}…{% endspaceless %}` between `head` and `tail` writes."""
    return head + strip_spaces_between_tags(body.strip()) + "\n" + tail


def urlset(urls: list[dict]) -> str:
    """Django's `sitemap.xml` for the entries `Sitemap.get_urls` made."""
    parts, local = [], _Local()
    for url in urls:
        parts.append(f"<url><loc>{_text(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{local.day(url['lastmod'])}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{_text(url['changefreq'])}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{_text(url['priority'])}</priority>")
        for alternate in url["alternates"]:
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{_text(alternate["lang_code"])}" '
                f'href="{_text(alternate["location"])}"/>'
            )
        parts.append("</url>")
    return _spaceless("".join(parts), URLSET, "</urlset>\n")


def news_urlset(urls: list[dict]) -> str:
    """Our `syndication/sitemap_news.xml` for the news map's entries (`NewsSitemap.get_urls`)."""
    parts, local = [], _Local()
    for url in urls:
        news = url["news"]
        parts.append(f"<url><loc>{_text(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{local.moment(url['lastmod'])}</lastmod>")
        parts.append(
            "<news:news><news:publication>"
            f"<news:name>{_text(news['name'])}</news:name>"
            f"<news:language>{_text(news['language'])}</news:language>"
            "</news:publication>"
            f"<news:publication_date>{_text(news['publication_date'])}</news:publication_date>"
            f"<news:title>{_text(news['title'])}</news:title>"
            "</news:news></url>"
        )
    return _spaceless("".join(parts), NEWS_URLSET, "</urlset>\n")


def index(sites: list) -> str:
    """Django's `sitemap_index.xml` for the index's entries (`SitemapIndexItem`)."""
    parts, local = [], _Local()
    for site in sites:
        parts.append(f"<sitemap><loc>{_text(site.location)}</loc>")
        if site.last_mod:
            parts.append(f"<lastmod>{local.moment(site.last_mod)}</lastmod>")
        parts.append("</sitemap>")
    return _spaceless("".join(parts), INDEX, "</sitemapindex>\n")
