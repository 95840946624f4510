"""Partner channels: RSS and Atom feeds, sitemaps, and the ninjs API."""

from django.urls import path, register_converter
from django.urls.converters import PathConverter

from articles.syndication import api, feeds, sitemaps


class ItemUri(PathConverter):
    """A ninjs uri, whatever it holds: `path` stops at a line break, and the site's HTML 404 would
    answer for the API's JSON one."""

    regex = r"[\s\S]+"


register_converter(ItemUri, "item_uri")

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
    path("api/openapi.json", api.openapi_description, name="api-openapi"),
    path("api/items/", api.items, name="api-items"),
    path("api/items/<item_uri:uri>", api.item, name="api-item"),
]
