"""The sitemaps' XML written in Python is, byte for byte, what the templates write: Django's
`sitemap.xml` and `sitemap_index.xml` and our news map's, for every form an entry takes."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from lxml import etree

from articles.syndication import sitemap_xml

MOMENTS = [
    None,
    datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),  # a day later in Berlin
    datetime.datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=datetime.UTC),
    datetime.date(2026, 2, 28),
]
LOCATIONS = [
    "https://example.org/news/harbour/",
    "https://example.org/news/a?b=1&c=<2>",
    'https://example.org/news/"quoted"/',
]
TITLES = ["Harbour reopens", 'Tom & Jerry\'s <b>bold</b> "day"', "   ", "Ça a l'air ünïcode — 中文"]


def entries() -> list[dict]:
    made = []
    for n, (location, lastmod, title) in enumerate(itertools.product(LOCATIONS, MOMENTS, TITLES)):
        made.append(
            {
                "item": None,
                "location": location,
                "lastmod": lastmod,
                "changefreq": ["", "daily", None][n % 3],
                "priority": ["", "0.5"][n % 2],
                "alternates": (
                    [{"location": location + "fr/", "lang_code": "fr"}] if n % 4 == 0 else []
                ),
                "news": {
                    "name": "The Daily & Co",
                    "language": ["en", "zh-cn", "de"][n % 3],
                    "publication_date": "2026-12-01T10:00:00Z",
                    "title": title,
                },
            }
        )
    return made


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles"])
def test_the_urlset_is_the_templates_own(zone):
    urls = entries()
    with override_settings(TIME_ZONE=zone):
        assert sitemap_xml.urlset(urls) == render_to_string("sitemap.xml", {"urlset": urls})
        expected = render_to_string("syndication/sitemap_news.xml", {"urlset": urls})
        assert sitemap_xml.news_urlset(urls) == expected


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
def test_the_index_is_the_templates_own(zone):
    sites = [
        SitemapIndexItem(location, moment)
        for location, moment in itertools.product(LOCATIONS, MOMENTS)
    ]
    with override_settings(TIME_ZONE=zone):
        expected = render_to_string("sitemap_index.xml", {"sitemaps": sites})
        assert sitemap_xml.index(sites) == expected


def test_an_empty_map_is_the_templates_own():
    assert sitemap_xml.urlset([]) == render_to_string("sitemap.xml", {"urlset": []})
    assert sitemap_xml.news_urlset([]) == render_to_string(
        "syndication/sitemap_news.xml", {"urlset": []}
    )
    assert sitemap_xml.index([]) == render_to_string("sitemap_index.xml", {"sitemaps": []})


def test_the_served_maps_are_well_formed_and_name_the_stories(client, public_site):
    for name in ("syndication:sitemap-news", "syndication:sitemap"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/xml"
        assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
        etree.fromstring(response.content)  # well-formed, or this raises
    news = client.get(reverse("syndication:sitemap-news")).content.decode()
    assert public_site.visible.get_absolute_url() in news
    assert public_site.withdrawn.get_absolute_url() not in news
