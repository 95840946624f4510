"""Sitemaps for search engines: an index of articles, sections and sources, and a Google News map.

A sitemap has no reader and so no country: it lists what may be published to everyone, now.

The articles' sitemap comes in pages of ids (`IdBlocks`): page n, `/sitemap-articles.xml?p=n`,
lists the public items among SITEMAP_BLOCK consecutive ids, so a page reads at most that many rows
along the primary key, and the index numbers the pages from the first and last id, two index
lookups. Nothing counts or sorts the archive; a page's URLs stay where they are as it grows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from articles import addresses
from articles.caching import cache_until_change
from articles.models import Article, Section, Source
from articles.presentation import changed_at, public_from, utc_timestamp
from articles.querysets import EARLIEST
from articles.syndication import sitemap_xml
from articles.vocabulary import Channel

NEWS_WINDOW = datetime.timedelta(hours=48)
# Google News reads at most 1,000 addresses from one news sitemap.
NEWS_LIMIT = 1000
# How many of the window's newest items the news map looks at, public or not: its walk along
# the publication time's index reads no more rows than this, however many of the window's items
# are not public (embargoed, their rights window not open, a suspended source's burst). 10 to
# 1, so that 1,000 public stories among 9,000 others are listed whole; the generated million's
# window holds 6,271 items, 858 of them public.
NEWS_PROBE = 10 * NEWS_LIMIT
# The ids one page of the articles' sitemap covers: it lists the public items among them.
SITEMAP_BLOCK = 500
# How many of a section's or source's newest items its sitemap entry looks at for a public one.
SCOPE_PROBE = 200
# What a sitemap's entry reads of an item: its address, and when it changed (`changed_at`).
ENTRY_FIELDS = ("id", "slug", "published_at", "embargo_until", "rights_start_at", "updated_at")
# What the news map's entry reads besides.
NEWS_FIELDS = (*ENTRY_FIELDS, "headline", "language")


def publishable() -> QuerySet:
    return Article.objects.for_channel(Channel.SITEMAP)


@dataclass(frozen=True)
class SitemapPage:
    object_list: QuerySet


def page_index(number) -> int:
    """A sitemap's `?p=` as a number, or the error Django's sitemap views answer 404 to."""
    try:
        return int(number)
    except (TypeError, ValueError):
        raise PageNotAnInteger("That page number is not an integer.") from None


class OnePage:
    """A sitemap of one page, its first `limit` items, numbered without a count."""

    num_pages = 1

    def __init__(self, items: QuerySet, limit: int) -> None:
        self.items, self.limit = items, limit

    def page(self, number) -> SitemapPage:
        if page_index(number) != 1:
            raise EmptyPage("That page contains no results.")
        return SitemapPage(self.items[: self.limit])


class IdBlocks:
    """The articles' sitemap's pages, Django's `Paginator` as far as the sitemap views ask it:
    `num_pages` and `page(n)`. Page n holds the public items with ids from
    first + (n - 1) * SITEMAP_BLOCK, first being the lowest id of any article, so pages are
    numbered from two primary-key lookups and each reads at most SITEMAP_BLOCK rows."""

    def __init__(self, items: QuerySet) -> None:
        self.items = items

    @cached_property
    def first_id(self) -> int | None:
        return Article.objects.order_by("pk").values_list("pk", flat=True).first()

    @cached_property
    def num_pages(self) -> int:
        last = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
        if self.first_id is None or last is None:
            return 1  # the first page is served empty
        return (last - self.first_id) // SITEMAP_BLOCK + 1

    def page(self, number) -> SitemapPage:
        number = page_index(number)
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results.")
        if self.first_id is None:
            return SitemapPage(self.items.none())
        start = self.first_id + (number - 1) * SITEMAP_BLOCK
        block = self.items.filter(pk__gte=start, pk__lt=start + SITEMAP_BLOCK)
        return SitemapPage(block.order_by("pk"))


class ArticleSitemap(Sitemap):
    def items(self) -> QuerySet:
        return publishable().select_related(None).only(*ENTRY_FIELDS)

    @cached_property
    def paginator(self) -> IdBlocks:
        return IdBlocks(self.items())

    def lastmod(self, article: Article) -> datetime.datetime:
        return changed_at(article)

    def get_latest_lastmod(self) -> None:
        """None: the index gives no date for the articles' pages, where the latest change of
        each would be read from every item."""
        return None


class ScopeSitemap(Sitemap):
    """The sections or sources with an item the public may read among their newest SCOPE_PROBE,
    in one page: the index numbers it without a query, and the page reads at most SCOPE_PROBE
    rows of each along its own index (`newest_id`), stopping at the first that passes. A source
    whose items are all blocked (a suspended one) costs SCOPE_PROBE rows, not all of them."""

    scope: type[Section] | type[Source]

    @cached_property
    def paginator(self) -> OnePage:
        return OnePage(self.items(), self.limit)

    def items(self) -> QuerySet:
        scope = {self.scope._meta.model_name: OuterRef("pk")}
        newest = publishable().newest_id(among=SCOPE_PROBE, **scope)
        return self.scope.objects.alias(newest=newest).filter(newest__isnull=False)


class SectionSitemap(ScopeSitemap):
    scope = Section


class SourceSitemap(ScopeSitemap):
    """Never a suspended source: none of its items is public."""

    scope = Source


class NewsSitemap(Sitemap):
    """Google News: what may be published, from the last 48 hours, at most 1,000 items, the
    newest first, found among the `NEWS_PROBE` newest items published by now."""

    limit = NEWS_LIMIT

    @cached_property
    def paginator(self) -> OnePage:
        return OnePage(self.items(), self.limit)

    def items(self) -> QuerySet:
        """The window's public items, newest first: an ordered walk of `article_order_idx` from
        now back to the window's start or to the `NEWS_PROBE`th newest item, whichever is
        later, stopped by the sitemap's LIMIT at its 1,000th public item."""
        now = timezone.now()
        start = now - NEWS_WINDOW
        # The probe walks the window only: where it holds fewer than NEWS_PROBE items, the
        # probe finds none, and the window's start is the bound.
        window = Article._base_manager.filter(published_at__lte=now, published_at__gte=start)
        newest = window.order_by("-published_at", "-id").values("published_at")
        probe_start = Subquery(newest[NEWS_PROBE - 1 : NEWS_PROBE])
        recent = (
            publishable()
            .filter(published_at__gte=start)
            .filter(published_at__gte=Coalesce(probe_start, Value(EARLIEST)))
        )
        return recent.select_related(None).only(*NEWS_FIELDS).order_by("-published_at", "-id")

    def lastmod(self, article: Article) -> datetime.datetime:
        return changed_at(article)

    def get_latest_lastmod(self) -> None:
        """None: the index gives no date for it either, where it would read the whole window
        (the news map's own entries carry theirs)."""
        return None

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """The entries `Sitemap.get_urls` makes, and each one's news, from rows read as named
        tuples: a thousand model instances were a third of the map's time."""
        at = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        rows = self.paginator.page(page).object_list.values_list(*NEWS_FIELDS, named=True)
        urls = []
        path = addresses.slug_paths("articles:article")
        for row in rows:
            lastmod = changed_at(row)
            urls.append(
                {
                    "item": row,
                    "location": at + path(row.slug),
                    "lastmod": lastmod,
                    "changefreq": None,
                    "priority": "",
                    "alternates": [],
                    "news": {
                        "name": settings.SITE_NAME,
                        "language": news_language(row.language),
                        "publication_date": utc_timestamp(public_from(row)),
                        "title": row.headline,
                    },
                }
            )
        if urls:  # as `Sitemap._urls` does: every entry has its date, so the map has one
            self.latest_lastmod = max(url["lastmod"] for url in urls)
        return urls


def news_language(tag: str) -> str:
    """Google News wants an ISO 639 code, except for Chinese, which keeps its script's region."""
    primary, _, region = tag.lower().partition("-")
    return f"zh-{region}" if primary == "zh" and region in ("cn", "tw") else primary


# "news" is listed in the index too; its own path, matched first, gives it the news template.
SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "sources": SourceSitemap,
    "news": NewsSitemap,
}


# Each view answers GET and HEAD, and 405 for the rest; none takes a write, so none needs the CSRF
# check, which would answer an unknown method with 403 first.
@csrf_exempt
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    response = sitemap_views.index(
        request, SITEMAPS, sitemap_url_name="syndication:sitemap-section"
    )
    response.content = sitemap_xml.index(response.context_data["sitemaps"])
    return cache_until_change(response, at=at)


@csrf_exempt
@require_safe
def section(request: HttpRequest, section: str) -> HttpResponse:
    at = timezone.now()
    response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    response.content = sitemap_xml.urlset(response.context_data["urlset"])
    return cache_until_change(response, at=at)


@csrf_exempt
@require_safe
def news(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    # The template stays the reference the written XML is tested against.
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="syndication/sitemap_news.xml"
    )
    response.content = sitemap_xml.news_urlset(response.context_data["urlset"])
    return cache_until_change(response, at=at)
