"""Partner channels: RSS and Atom feeds, sitemaps, and the ninjs API."""

from django.urls import path  # noqa: F401

app_name = "syndication"

urlpatterns: list = []
