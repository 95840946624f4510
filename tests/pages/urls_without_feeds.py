"""A site's URLs without the partner channels: the public pages only (the frame's tests)."""

from django.urls import include, path

urlpatterns = [path("", include("articles.pages.urls"))]
