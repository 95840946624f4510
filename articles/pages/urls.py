"""The reader's site: front page, articles, lists, search, and the pages around them."""

from django.urls import path

from articles.pages import crawlers, preview, views

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", crawlers.robots_txt, name="robots"),
    path(".well-known/tdmrep.json", crawlers.tdmrep_json, name="tdmrep"),
    path("search/", views.search, name="search"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("source/<slug:slug>/", views.source, name="source"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("archive/<int:year>/<int:month>/<int:day>/", views.archive_day, name="archive-day"),
    path("legal/rights/", views.rights_policy, name="rights-policy"),
    path("news/<slug:slug>/", views.article, name="article"),
    path("preview/<str:token>/", preview.signed_preview, name="preview"),
]
