"""The reader's country: read once per request, and named in `Vary` by every response it chose."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from newsletter.digest import UNSUBSCRIBE_SALT
from newsroom.middleware import reader_country


def varies_on_country(response) -> bool:
    vary = [value.strip().lower() for value in response.headers.get("Vary", "").split(",")]
    return settings.COUNTRY_HEADER.lower() in vary


def header(code: str) -> dict[str, str]:
    return {"HTTP_" + settings.COUNTRY_HEADER.upper().replace("-", "_"): code}


@pytest.mark.parametrize(("sent", "read"), [("gb", "GB"), (" FR ", "FR"), ("XX", None), ("", None)])
def test_the_country_is_read_from_the_cdn_header_onto_the_request(sent, read):
    seen = []

    def view(request):
        seen.append(request.reader.country)
        return HttpResponse()

    reader_country(view)(RequestFactory().get("/", **header(sent)))

    assert seen == [read]


def test_a_response_that_read_the_country_names_it_once_in_vary():
    def view(request):
        request.reader.country  # noqa: B018 - reading it is what is tested
        response = HttpResponse()
        response.headers["Vary"] = "Accept"
        return response

    response = reader_country(view)(RequestFactory().get("/"))

    assert response.headers["Vary"] == f"Accept, {settings.COUNTRY_HEADER}"


def test_a_response_that_never_read_the_country_does_not_vary_on_it():
    response = reader_country(lambda request: HttpResponse())(RequestFactory().get("/"))

    assert "Vary" not in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "/healthz",
        "/favicon.ico",
        "/legal/rights/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/api/",
        "/newsletter/unsubscribe/not-a-token/",
    ],
)
def test_responses_the_country_cannot_change_do_not_vary_on_it(client, make_article, url):
    make_article()

    assert not varies_on_country(client.get(url, **header("GB")))


def test_the_newsletter_s_own_not_found_page_does_not_vary_on_the_country(client, db):
    token = signing.dumps(12345, salt=UNSUBSCRIBE_SALT)

    response = client.get(reverse("newsletter:unsubscribe", args=[token]))

    assert response.status_code == 404
    assert not varies_on_country(response)


@pytest.mark.parametrize(
    "url", ["/no-such-address/", "/news/no-such-story/", "/section/no-such-section/"]
)
def test_every_not_found_page_varies_on_the_country_like_a_hidden_item_s(client, db, url):
    response = client.get(url)

    assert response.status_code == 404
    assert varies_on_country(response)


@pytest.mark.parametrize(
    ("query", "status"), [({"version": "9"}, 406), ({"page": "x"}, 400), ({"page": "0"}, 400)]
)
def test_an_api_error_varies_on_the_country_like_its_items(client, db, query, status):
    response = client.get(reverse("syndication:api-items"), query)

    assert response.status_code == status
    assert varies_on_country(response)


def test_an_empty_search_varies_on_the_country_like_one_with_results(client, db):
    assert varies_on_country(client.get(reverse("articles:search")))
