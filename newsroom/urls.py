"""Newsroom URLs: the admin and its sign-in steps, the partner channels (feeds, sitemaps, API),
and the public site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} desk"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Today's desk"
# The desk's lists need a laptop's width; its sections are a click away on every page's header.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/sign-in/", include("security.urls")),
    path("admin/", admin.site.urls),
    path("", include("articles.syndication.urls")),
    path("", include("newsletter.urls")),
    path("", include("pictures.urls")),
    path("", include("articles.pages.urls")),
]

handler404 = "articles.pages.views.not_found"
