"""Sitemaps list what the public may read now, everywhere; Google News gets the last 48 hours."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from lxml import etree

from articles.models import Article, Byline
from articles.syndication import sitemaps
from tests.factories import max_age

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

# A sitemap needs only the right to publish: an item we may not redistribute is still listed.
PUBLISHABLE = {"redistribute_denied"}


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def absolute(path: str) -> str:
    return f"http://testserver{path}"


def section_map(name: str) -> str:
    return reverse("syndication:sitemap-section", kwargs={"section": name})


def test_the_index_lists_every_sitemap(client, catalogue):
    assert locations(client, reverse("syndication:sitemap")) == [
        absolute("/sitemap-articles.xml"),
        absolute("/sitemap-sections.xml"),
        absolute("/sitemap-sources.xml"),
        absolute("/sitemap-news.xml"),
    ]


@pytest.mark.parametrize("url", ["/sitemap-articles.xml", "/sitemap-news.xml"])
def test_the_article_maps_list_what_may_be_published_and_nothing_else(client, catalogue, url):
    listed = locations(client, url)
    assert absolute(catalogue.visible.get_absolute_url()) in listed
    for reason, article in catalogue.hidden.items():
        assert (absolute(article.get_absolute_url()) in listed) == (reason in PUBLISHABLE), reason


@pytest.mark.parametrize("url", ["/sitemap-articles.xml", "/sitemap-news.xml"])
def test_a_sitemap_knows_no_country_so_territory_limited_items_are_absent(client, catalogue, url):
    limited = catalogue.hidden["territory_limited"]
    listed = locations(client, url) + locations(client, url)
    assert absolute(limited.get_absolute_url()) not in listed
    response = client.get(url, HTTP_CF_IPCOUNTRY="GB")
    assert limited.get_absolute_url().encode() not in response.content


def test_an_article_s_lastmod_is_when_it_was_updated(client, catalogue):
    root = etree.fromstring(client.get("/sitemap-articles.xml").content)
    lastmod = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root}
    visible = catalogue.visible
    assert lastmod[absolute(visible.get_absolute_url())] == visible.updated_at.date().isoformat()


def test_sections_and_sources_with_public_items_are_listed(client, catalogue, make_source):
    idle = make_source("Idle Agency")
    assert locations(client, section_map("sections")) == [
        absolute(catalogue.section.get_absolute_url())
    ]
    sources = locations(client, section_map("sources"))
    assert sources == [absolute(catalogue.source.get_absolute_url())]
    assert absolute(idle.get_absolute_url()) not in sources
    suspended = catalogue.hidden["suspended_source"].source
    assert absolute(suspended.get_absolute_url()) not in sources


def test_the_news_map_is_valid_google_news(client, catalogue):
    response = client.get(reverse("syndication:sitemap-news"))
    root = etree.fromstring(response.content)
    assert root.nsmap["news"] == "http://www.google.com/schemas/sitemap-news/0.9"
    (url,) = [u for u in root if u.findtext(f"{SITEMAP}loc").endswith("/visible-story/")]
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Visible story"
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == catalogue.visible.published_at.replace(microsecond=0)


def test_the_news_map_holds_only_the_last_48_hours(client, make_article, now):
    recent = make_article(published_at=now - datetime.timedelta(hours=47))
    old = make_article(published_at=now - datetime.timedelta(hours=49))
    listed = locations(client, reverse("syndication:sitemap-news"))
    assert absolute(recent.get_absolute_url()) in listed
    assert absolute(old.get_absolute_url()) not in listed
    assert absolute(old.get_absolute_url()) in locations(client, section_map("articles"))


def test_the_news_map_writes_languages_as_google_reads_them(client, make_article):
    make_article(headline="Britain", language="en-GB")
    make_article(headline="Taiwan", language="zh-TW")
    root = etree.fromstring(client.get(reverse("syndication:sitemap-news")).content)
    languages = {lang.text for lang in root.iter(f"{NEWS}language")}
    assert languages == {"en", "zh-tw"}


def test_a_sitemap_is_cached_only_until_the_next_change(client, catalogue):
    response = client.get("/sitemap-articles.xml")
    assert 0 < max_age(response) <= 300


def test_an_unknown_sitemap_is_not_found(client, db):
    assert client.get(section_map("nothing")).status_code == 404


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml", "/sitemap-sources.xml"]
)
@pytest.mark.parametrize("count", [3, 30])
def test_a_sitemap_costs_the_same_queries_for_3_items_as_for_30(
    client, catalogue, make_article, django_assert_max_num_queries, url, count
):
    for n in range(count):
        article = make_article(headline=f"Extra {n}", source=catalogue.source)
        Byline.objects.create(article=article, person=catalogue.person)
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200


def test_the_articles_map_comes_in_pages_of_ids_the_index_numbers_without_counting(
    client, make_article, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.syndication import sitemaps

    monkeypatch.setattr(sitemaps, "SITEMAP_BLOCK", 3)
    made = [make_article(headline=f"Blocked off {n}") for n in range(7)]
    first = min(a.pk for a in made)
    with CaptureQueriesContext(connection) as queries:
        index = locations(client, reverse("syndication:sitemap"))
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    articles_map = absolute("/sitemap-articles.xml")
    pages = [url for url in index if url.startswith(articles_map)]
    last = max(a.pk for a in made)
    assert pages == [articles_map] + [
        f"{articles_map}?p={n}" for n in range(2, (last - first) // 3 + 2)
    ]
    listed = [
        loc for page in pages for loc in locations(client, page.removeprefix("http://testserver"))
    ]
    assert sorted(listed) == sorted(absolute(a.get_absolute_url()) for a in made)
    for article in made:
        page = (article.pk - first) // 3 + 1
        url = "/sitemap-articles.xml" + (f"?p={page}" if page > 1 else "")
        assert absolute(article.get_absolute_url()) in locations(client, url)
    assert client.get(f"/sitemap-articles.xml?p={len(pages) + 1}").status_code == 404
    assert client.get("/sitemap-articles.xml?p=0").status_code == 404
    assert client.get("/sitemap-articles.xml?p=two").status_code == 404


def test_a_section_whose_newest_items_are_all_hidden_is_left_out_of_the_map(
    client, make_article, monkeypatch
):
    from articles.models import Section
    from articles.syndication import sitemaps

    monkeypatch.setattr(sitemaps, "SCOPE_PROBE", 2)
    quiet = Section.objects.create(name="Quiet", slug="quiet")
    busy = Section.objects.create(name="Busy", slug="busy")
    hour = datetime.timedelta(hours=1)
    now = datetime.datetime.now(datetime.UTC)
    make_article(section=quiet, published_at=now - 5 * hour)
    for _ in range(2):
        make_article(section=quiet, published_at=now - hour, may_publish=False)
    make_article(section=busy, published_at=now - hour)
    listed = locations(client, section_map("sections"))
    assert listed == [absolute(busy.get_absolute_url())]
    monkeypatch.setattr(sitemaps, "SCOPE_PROBE", 3)
    assert absolute(quiet.get_absolute_url()) in locations(client, section_map("sections"))


def news_locations(client) -> list[str]:
    return locations(client, reverse("syndication:sitemap-news"))


def test_the_news_map_lists_at_most_the_1000_newest_of_its_window(client, make_article, now):
    first = make_article(published_at=now - datetime.timedelta(hours=40))
    copies = []
    for n in range(sitemaps.NEWS_LIMIT):
        copy = Article.objects.get(pk=first.pk)
        copy.pk, copy.guid, copy.slug = None, f"urn:test:{n}", f"copy-{n}"
        copy.published_at = now - datetime.timedelta(minutes=n + 1)
        copies.append(copy)
    Article.objects.bulk_create(copies)
    listed = news_locations(client)
    assert sitemaps.NEWS_LIMIT == 1000  # Google News reads no more from one news sitemap
    assert len(listed) == 1000
    assert listed[0] == absolute("/news/copy-0/") and listed[-1] == absolute("/news/copy-999/")
    assert absolute(first.get_absolute_url()) not in listed


def test_the_news_map_looks_only_at_the_newest_items_published_by_now(
    client, make_article, now, monkeypatch
):
    monkeypatch.setattr(sitemaps, "NEWS_PROBE", 4)
    hour = datetime.timedelta(hours=1)
    older = make_article(published_at=now - 10 * hour)
    public = make_article(published_at=now - 5 * hour)
    for n in range(3):  # newer, but embargoed: they take three of the four places looked at
        make_article(published_at=now - (4 - n) * hour, embargo_until=now + hour)
    for n in range(5):  # scheduled for later: not published by now, so not among the four
        make_article(status=Article.Status.SCHEDULED, published_at=now + (n + 1) * hour)
    listed = news_locations(client)
    assert listed == [absolute(public.get_absolute_url())]
    # The one left out is still in the articles' map.
    assert absolute(older.get_absolute_url()) in locations(client, section_map("articles"))
