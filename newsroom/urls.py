"""Newsroom URLs: the admin, the partner channels (feeds, sitemaps, API), and the public site."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.syndication_urls")),
    path("", include("articles.urls")),
]

handler404 = "articles.views.not_found"
