"""No restricted item leaks through any public channel.

One restricted item for each reason an item may not be shown, each with sentences, a headline and
a slug found nowhere else, beside visible items that share their sections, sources and bylines.
The test crawls every public URL reachable from the front page, the sitemaps, every feed and the
API (following links and pages, every filter, a search for words of each restricted item) and
asserts that none of the restricted text appears in any response.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree, html

from articles.models import Article, Byline, Person, Section, Source

HOUR = datetime.timedelta(hours=1)
REASONS = [
    "notice-forbids",
    "embargoed",
    "expired",
    "suspended",
    "unsettled",
    "territory",
    "excluded",
    "window",
    "withdrawn",
    "killed",
    "draft",
    "scheduled",
]
SEEDS = [
    "/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/api/",
    "/api/items/",
    "/feeds/rss/",
    "/feeds/atom/",
]
LIMIT = 2000


def secret(reason: str) -> dict[str, str]:
    token = reason.replace("-", "")
    return {
        "headline": f"Hidden {token} zyxwv headline",
        "slug": f"hidden-{reason}-qqslug",
        "sentence": f"The {token} quokka juggled seventeen unlisted marmalade jars.",
    }


@pytest.fixture
def newsroom(db):
    now = timezone.now()
    section = Section.objects.create(name="World", slug="world")
    staff = Source.objects.create(name="The Newsroom", slug="the-newsroom", kind="staff")
    agency = Source.objects.create(name="Meridian", slug="meridian")
    suspended = Source.objects.create(name="Gone Wire", slug="gone-wire", suspended=True)
    reporter = Person.objects.create(name="Amira Haddad", slug="amira-haddad")
    everything = {f"may_{r}": True for r in ("publish", "broadcast", "rewrite", "redistribute")}
    live = {
        "status": "published",
        "published_at": now - HOUR,
        "rights_settled": True,
        "section": section,
        **everything,
    }
    visible = []
    for n, source in enumerate([staff, agency, staff]):
        visible.append(
            Article.objects.create(
                headline=f"Visible story {n}",
                slug=f"visible-{n}",
                body=f"<p>Visible body {n} about the harbour.</p>",
                source=source,
                **live,
            )
        )
    overrides = {
        "notice-forbids": {
            "source": agency,
            **dict.fromkeys(everything, False),
            "copyright_notice": "Copyright 2026 Meridian. All rights reserved.",
            "rights_basis": {"publish": "notice"},
        },
        "embargoed": {"embargo_until": now + HOUR},
        "expired": {"rights_expire_at": now - HOUR},
        "suspended": {"source": suspended},
        "unsettled": {"rights_settled": False, "usage_terms": "Festival use only"},
        "territory": {"territories": {"NZ"}},
        "excluded": {"excluded_territories": {"GB", "NZ"}},
        "window": {"rights_start_at": now + HOUR},
        "withdrawn": {"status": "withdrawn"},
        "killed": {"status": "killed"},
        "draft": {"status": "draft", "published_at": None},
        "scheduled": {"status": "scheduled", "published_at": now + HOUR},
    }
    hidden = []
    for reason in REASONS:
        words = secret(reason)
        fields = {**live, "source": staff, **overrides[reason]}
        article = Article.objects.create(
            headline=words["headline"],
            slug=words["slug"],
            standfirst=words["sentence"],
            body=f"<p>{words['sentence']}</p>",
            **fields,
        )
        Byline.objects.create(article=article, person=reporter, role="writing")
        hidden.append(article)
    for article in visible:
        Byline.objects.create(article=article, person=reporter, role="reporting")
    return {"visible": visible, "hidden": hidden, "reporter": reporter}


def links(url: str, response) -> set[str]:
    """Every same-site URL a response points to: HTML links, feed and sitemap entries, API URLs."""
    content_type = response.get("Content-Type", "")
    body = response.content
    found: set[str] = set()
    if "json" in content_type:
        found |= set(re.findall(r'"((?:https?://testserver)?/[^"\s]*)"', body.decode()))
    elif "xml" in content_type:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        for element in root.iter():
            for value in [element.text or "", element.get("href") or ""]:
                if value.strip().startswith(("/", "http://testserver", settings.SITE_URL)):
                    found.add(value.strip())
    elif "html" in content_type:
        document = html.fromstring(body)
        found |= set(document.xpath("//@href | //@src | //form/@action"))
    local = set()
    for link in found:
        absolute = urljoin(url, link.replace(settings.SITE_URL, "http://testserver"))
        parts = urlsplit(absolute)
        if parts.netloc in ("", "testserver") and not parts.path.startswith(("/admin", "/static")):
            local.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return local


def crawl(client, seeds: list[str], **headers) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}
    queue = deque(seeds)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, **headers)
        seen[url] = response.content
        if response.status_code == 200:
            queue.extend(link for link in links(url, response) if link not in seen)
    return seen


def assert_nothing_leaks(pages: dict[str, bytes]) -> None:
    for reason in REASONS:
        for kind, text in secret(reason).items():
            leaking = [url for url, body in pages.items() if text.encode() in body]
            assert not leaking, f"{reason} item's {kind} leaks at {leaking}"


def search_seeds(newsroom) -> list[str]:
    seeds = []
    for reason in REASONS:
        words = secret(reason)
        term = words["sentence"].split()[1]
        seeds += [f"/search/?q={term}", f"/search/?q={words['headline'].split()[1]}"]
        seeds += [f"/api/items/?q={term}"]
        seeds.append(f"/news/{words['slug']}/")
    for source in Source.objects.all():
        seeds += [f"/api/items/?source={source.slug}", f"/source/{source.slug}/"]
        seeds += [f"/feeds/source/{source.slug}/rss/", f"/feeds/source/{source.slug}/atom/"]
    for section in Section.objects.all():
        seeds += [f"/api/items/?section={section.slug}", f"/section/{section.slug}/"]
        seeds += [f"/feeds/section/{section.slug}/rss/", f"/feeds/section/{section.slug}/atom/"]
    person = newsroom["reporter"].slug
    seeds += [f"/api/items/?person={person}", f"/people/{person}/"]
    today = timezone.now()
    seeds += [f"/archive/{today:%Y/%m/%d}/", "/api/items/?version=2.2", "/api/items/?language=en"]
    for article in newsroom["hidden"]:
        seeds += [f"/api/items/{article.guid}", f"/api/items/{article.pk}"]
    return seeds


def test_no_restricted_item_leaks_through_any_public_channel(client, newsroom):
    pages = crawl(client, SEEDS + search_seeds(newsroom))
    assert_nothing_leaks(pages)
    visible = [a.headline.encode() for a in newsroom["visible"]]
    assert all(any(h in body for body in pages.values()) for h in visible)
    print(f"\nleak test crawled {len(pages)} URLs")
    shapes = {}
    for url in pages:
        shape = re.sub(r"\d+", "N", url)
        shapes[shape] = shapes.get(shape, 0) + 1
    print(sorted(shapes.items(), key=lambda kv: -kv[1])[:15])
    assert len(pages) > 40
    assert len(pages) < LIMIT, "the crawl did not finish: a channel links without end"


def test_no_item_leaks_to_a_reader_in_another_country(client, newsroom):
    header = "HTTP_" + settings.COUNTRY_HEADER.upper().replace("-", "_")
    pages = crawl(client, SEEDS + search_seeds(newsroom), **{header: "GB"})
    assert_nothing_leaks(pages)
    visible = [a.headline.encode() for a in newsroom["visible"]]
    assert all(any(h in body for body in pages.values()) for h in visible)


def test_the_territory_item_is_shown_inside_its_territory(client, newsroom):
    header = "HTTP_" + settings.COUNTRY_HEADER.upper().replace("-", "_")
    response = client.get("/news/hidden-territory-qqslug/", **{header: "NZ"})
    assert response.status_code == 200
    assert secret("territory")["sentence"].encode() in response.content


def test_each_hidden_item_is_answered_with_the_contract_status(client, newsroom):
    expected = {
        "notice-forbids": 451,
        "expired": 451,
        "suspended": 451,
        "unsettled": 451,
        "territory": 451,
        "excluded": 451,
        "withdrawn": 410,
        "killed": 410,
        "embargoed": 404,
        "window": 404,
        "draft": 404,
        "scheduled": 404,
    }
    for reason, status in expected.items():
        response = client.get(f"/news/{secret(reason)['slug']}/")
        assert response.status_code == status, reason
        body = response.content.decode()
        for text in secret(reason).values():
            assert text not in body
    assert json.loads(client.get("/api/").content)
