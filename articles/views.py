"""Public pages: each starts from `Article.objects.permitting()` with the rights it needs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.http import reader_country, vary_on_country
from articles.models import Article, Person, Section, Source
from articles.rights import Right, refusal_status

FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="4" fill="#111"/>'
    '<text x="16" y="23" font-family="Georgia,serif" font-size="20" fill="#fff" '
    'text-anchor="middle">N</text></svg>'
)


def published(request: HttpRequest, *rights: Right):
    return Article.objects.permitting(Right.PUBLISH, *rights, country=reader_country(request))


@require_GET
def front_page(request: HttpRequest) -> HttpResponse:
    articles = published(request).with_bylines()[:30]
    return vary_on_country(render(request, "articles/front.html", {"articles": articles}))


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = published(request).with_bylines().filter(slug=slug).first()
    if found is None:
        item = get_object_or_404(Article.objects.select_related("source"), slug=slug)
        status = refusal_status(item)
        response = render(request, f"articles/{status}.html", {}, status=status)
        if status == 451:
            url = request.build_absolute_uri(reverse("articles:rights-policy"))
            response.headers["Link"] = f'<{url}>; rel="blocked-by"'
        return vary_on_country(response)
    return vary_on_country(render(request, "articles/article.html", {"article": found}))


@require_GET
def section(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    articles = published(request).with_bylines().filter(section=section)[:50]
    return vary_on_country(
        render(request, "articles/list.html", {"title": section.name, "articles": articles})
    )


@require_GET
def source(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    articles = published(request).with_bylines().filter(source=source)[:50]
    return vary_on_country(
        render(request, "articles/list.html", {"title": source.name, "articles": articles})
    )


@require_GET
def person(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    articles = published(request).with_bylines().filter(bylines__person=person).distinct()[:50]
    return vary_on_country(
        render(request, "articles/list.html", {"title": person.name, "articles": articles})
    )


@require_GET
def rights_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/rights_policy.html", {})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(FAVICON, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
