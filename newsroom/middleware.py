"""Middleware for every response: a strict Content Security Policy, the reader's country,
conditional GET and HEAD, and a 503 when the database is down or too slow.

The policy allows no inline code and nothing from elsewhere. The country is read once, from the
header the CDN sets, and a response whose content it chose says so in `Vary`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe
from django.utils.log import log_response

from articles.rights import normalise_country
from articles.syndication import api

logger = logging.getLogger("newsroom.database")

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return middleware


class Reader:
    """The reader as the CDN reports them: their country, an ISO 3166-1 alpha-2 code or None.

    Reading `country` records that the response depends on it, as reading the session records
    a dependence on the cookie. A response may also depend on it without reading it: `consulted`
    may be set directly, as a refusal does so that every refusal looks alike.
    """

    def __init__(self, country: str | None):
        self._country = country
        self.consulted = False

    @property
    def country(self) -> str | None:
        self.consulted = True
        return self._country


def country_header(request: HttpRequest) -> str | None:
    """The country in `settings.COUNTRY_HEADER`; None where it is missing or no country."""
    key = "HTTP_" + settings.COUNTRY_HEADER.upper().replace("-", "_")
    return normalise_country(request.META.get(key))


def reader_country(get_response: Callable[[HttpRequest], HttpResponse]):
    """Put the reader on the request as `request.reader`; vary each response that consulted it.

    Last in MIDDLEWARE, so that the `Vary` it adds comes before those the others add.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        request.reader = Reader(country_header(request))
        response = get_response(request)
        if request.reader.consulted:
            patch_vary_headers(response, [settings.COUNTRY_HEADER])
        return response

    return middleware


class DatabaseUnavailable:
    """Answer 503, with `Retry-After` and a plain page, when the database is down or too slow.

    A server that is gone, a connection refused, dropped or timed out, and a statement PostgreSQL
    cancelled (`QueryCanceled`, which Django raises as OperationalError) all come here; any other
    error stays a 500. The API answers in its own JSON error shape. Each is logged once, with its
    cause. Nothing is reset: the next request's health check (CONN_HEALTH_CHECKS) replaces a
    connection the server dropped, so the site recovers by itself when the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return database_unavailable(request, exception)


def database_unavailable(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    """The 503 for a database error, logged once with its cause; None for any other error.

    `DatabaseUnavailable` answers with it for the views; a middleware that reads the database
    before the view (the desk's session checks) answers with it itself.
    """
    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    seconds = settings.DATABASE_RETRY_AFTER
    if request.path.startswith(reverse("syndication:api-index")):
        response = api.error(503, f"The database is unavailable; retry in {seconds} seconds.")
    else:
        response = render(request, "503.html", {"retry_after": seconds}, status=503)
        patch_cache_control(response, no_store=True, max_age=0)
    response.headers["Retry-After"] = str(seconds)
    cause = exception.__cause__ or exception
    log_response(
        "Database unavailable, answered 503 to %s %s: %s: %s",
        request.method,
        request.get_full_path(),
        type(cause).__name__,
        " ".join(str(cause).split()),
        response=response,
        request=request,
        logger=logger,
    )
    return response


class ConditionalGetAndHead(ConditionalGetMiddleware):
    """Django's conditional GET, for HEAD as well. Django leaves HEAD out, reckoning its body
    empty; but a view renders the whole body for HEAD too (the server drops it), so the ETag is
    the GET's, and a monitor's or a CDN's HEAD gets the headers, and the 304, a GET would."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return response
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if etag or last_modified:
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response
