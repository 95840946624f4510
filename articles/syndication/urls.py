"""Partner channels: RSS and Atom feeds, sitemaps, and the ninjs API."""

from django.urls import path

from articles.syndication import api, feeds, sitemaps

app_name = "syndication"

urlpatterns = [
    path("feeds/rss/", feeds.LatestRss(), name="rss"),
    path("feeds/atom/", feeds.LatestAtom(), name="atom"),
    path("feeds/section/<slug:slug>/rss/", feeds.SectionRss(), name="section-rss"),
    path("feeds/section/<slug:slug>/atom/", feeds.SectionAtom(), name="section-atom"),
    path("feeds/source/<slug:slug>/rss/", feeds.SourceRss(), name="source-rss"),
    path("feeds/source/<slug:slug>/atom/", feeds.SourceAtom(), name="source-atom"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    # Before the pattern below, which would otherwise take "news" as a section.
    path("sitemap-news.xml", sitemaps.news, name="sitemap-news"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    path("api/", api.index, name="api-index"),
    path("api/items/", api.items, name="api-items"),
    path("api/items/<path:uri>", api.item, name="api-item"),
]
