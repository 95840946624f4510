"""Sitemaps for search engines: an index of articles, sections and sources, and a Google News map.

A sitemap has no reader and so no country: it lists what may be published to everyone, now.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from articles.caching import cache_until_change
from articles.models import Article, Section, Source
from articles.presentation import changed_at, changed_at_expression, public_from, utc_timestamp
from articles.vocabulary import Channel

NEWS_WINDOW = datetime.timedelta(hours=48)


def publishable() -> QuerySet:
    return Article.objects.for_channel(Channel.SITEMAP)


def latest_change(articles: QuerySet) -> datetime.datetime | None:
    """When the last of `articles` changed, in one query, where the default reads every item."""
    return articles.aggregate(latest=Max(changed_at_expression()))["latest"]


class ArticleSitemap(Sitemap):
    def items(self) -> QuerySet:
        return publishable()

    def lastmod(self, article: Article) -> datetime.datetime:
        return changed_at(article)

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return latest_change(self.items())


class SectionSitemap(Sitemap):
    """Sections with at least one item the public may read."""

    def items(self) -> QuerySet:
        return Section.objects.filter(Exists(publishable().filter(section=OuterRef("pk"))))


class SourceSitemap(Sitemap):
    """Sources with at least one item the public may read (so never a suspended one)."""

    def items(self) -> QuerySet:
        return Source.objects.filter(Exists(publishable().filter(source=OuterRef("pk"))))


class NewsSitemap(Sitemap):
    """Google News: what may be published, from the last 48 hours, at most 1,000 items."""

    limit = 1000

    def items(self) -> QuerySet:
        return publishable().filter(published_at__gte=timezone.now() - NEWS_WINDOW)

    def lastmod(self, article: Article) -> datetime.datetime:
        return changed_at(article)

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return latest_change(self.items())

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            article = url["item"]
            url["news"] = {
                "name": settings.SITE_NAME,
                "language": news_language(article.language),
                "publication_date": utc_timestamp(public_from(article)),
                "title": article.headline,
            }
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
    return cache_until_change(response, at=at)


@csrf_exempt
@require_safe
def section(request: HttpRequest, section: str) -> HttpResponse:
    at = timezone.now()
    return cache_until_change(sitemap_views.sitemap(request, SITEMAPS, section=section), at=at)


@csrf_exempt
@require_safe
def news(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="syndication/sitemap_news.xml"
    )
    return cache_until_change(response, at=at)
