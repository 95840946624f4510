"""Newsroom URLs: the public site, feeds, sitemaps, the ninjs API and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
