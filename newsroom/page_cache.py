"""The server-side page cache, and the surrogate keys every public response carries.

Anonymous readers' GET and HEAD of the public pages, feeds, sitemaps and API (`PUBLIC_ROUTES`)
are kept in Django's cache (Redis with `REDIS_URL`, shared by every worker and node), under a
key made of the full address (scheme, host, path and the query sorted), the value of each
request header the response varies on (the reader's country where the page read it, `Accept`
for the API) and the rights generation, read from the primary database before the page is
made. A write that changes what a page may show moves the generation on in its own
transaction (`articles.public_writes`), so from the moment it commits no page made before it is
served; a page made from older data under the new number cannot exist, since the number is read
first. A page is kept no longer than its own `max-age`, which the clock's next rights change
already bounds (`articles.caching`).

Not kept: the desk, previews and every other address; a request carrying the session cookie
or an `Authorization`; a response that is not a public 200, that sets a cookie, read the session
or used a CSRF token. A Redis that is gone is a miss (`newsroom.cache`); a database that is gone
leaves the page to be made, and refused, as without the cache. `PAGE_CACHE=off` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import cc_delim_re, get_max_age, patch_cache_control, set_response_etag
from django.utils.http import urlencode

from articles import generation, surrogates
from newsroom.middleware import country_header

# Each public route, and the key naming its kind of page (the items on it name themselves).
PUBLIC_ROUTES = {
    "articles:front": "front",
    "articles:article": "pages",
    "articles:section": "pages",
    "articles:source": "pages",
    "articles:person": "pages",
    "articles:archive-day": "pages",
    "articles:search": "pages",
    "articles:rights-policy": "pages",
    "syndication:rss": "feed",
    "syndication:atom": "feed",
    "syndication:section-rss": "feed",
    "syndication:section-atom": "feed",
    "syndication:source-rss": "feed",
    "syndication:source-atom": "feed",
    "syndication:sitemap": "sitemap",
    "syndication:sitemap-news": "sitemap",
    "syndication:sitemap-section": "sitemap",
    "syndication:api-index": "api",
    "syndication:api-openapi": "api",
    "syndication:api-items": "api",
    "syndication:api-item": "api",
}
# How long what a route varies on is remembered; the page itself never outlives its max-age.
VARY_SECONDS = 86400
# Set on the way out, so a kept response never carries them.
NOT_KEPT = ("X-Page-Cache",)
# The paths whose route is remembered (most recently asked first): the site's busy pages.
ROUTES_REMEMBERED = 4096

# Settings changed while the process runs (tests) would leave kept pages of the old ones.
_epoch = 0


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    global _epoch
    _epoch += 1
    _route_of.cache_clear()
    _varies.clear()


def public_route(request: HttpRequest) -> str | None:
    """The kind of page `request` asks for where it is a public route, else None."""
    return _route_of(request.path_info, get_urlconf())


@functools.lru_cache(maxsize=ROUTES_REMEMBERED)
def _route_of(path_info: str, urlconf: str | None) -> str | None:
    # Resolving walks the URL patterns (a tenth of a hit's time); the answer for a path only
    # changes with the URL configuration, which a setting change clears.
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    return PUBLIC_ROUTES.get(match.view_name)


def address(request: HttpRequest) -> str:
    found = getattr(request, "_page_cache_address", None)
    if found is None:
        query = urlencode(sorted(request.GET.lists()), doseq=True)
        found = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        request._page_cache_address = found
    return found


def _digest(*parts: object) -> str:
    return hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()


def vary_key(request: HttpRequest) -> str:
    return f"page-vary:{_digest(_epoch, address(request))}"


def page_key(request: HttpRequest, *, at_generation: int, varies_on: list[str]) -> str:
    values = [f"{name}={header_value(request, name)}" for name in varies_on]
    return f"page:{_digest(_epoch, at_generation, address(request), *values)}"


def header_value(request: HttpRequest, name: str) -> str:
    if name == settings.COUNTRY_HEADER.lower():
        return country_header(request) or ""  # as the reader middleware reads it
    return request.headers.get(name, "")


def anonymous_read(request: HttpRequest) -> bool:
    """A GET or HEAD with neither the session cookie nor an `Authorization` header: what the
    cache may serve, and what goes around the desk's middleware (`newsroom.lanes`)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META  # request.headers would copy every header
    )


def may_use(request: HttpRequest) -> bool:
    return settings.PAGE_CACHE and anonymous_read(request)


def keepable(request: HttpRequest, response: HttpResponse) -> int:
    """The seconds `response` may be kept: its max-age where it is a public page for anyone,
    else 0."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return 0
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return 0
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return 0
    control = {
        d.strip().split("=")[0].lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if "public" not in control or control & {"private", "no-store", "no-cache"}:
        return 0
    if {"cookie", "authorization", "*"} & set(varied_on(response)):
        return 0
    return max(0, get_max_age(response) or 0)


def varied_on(response: HttpResponse) -> list[str]:
    return sorted(
        {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    )


class PageCache:
    """Serve a kept page, or make it, keep it and name what it shows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kind = public_route(request)
        if kind is None:
            return self.get_response(request)
        # A sitemap lists more items than a header can name: it is dropped with any of them.
        extra = [surrogates.OVERFLOW] if kind == "sitemap" else []
        with surrogates.gathering(surrogates.SITE, kind, *extra) as keys:
            response = self.cached_or_made(request, keys) if may_use(request) else None
            if response is None:
                response = self.made(request, keys)
        return response

    def made(self, request: HttpRequest, keys: set[str]) -> HttpResponse:
        response = self.get_response(request)
        name_keys(response, keys)
        return response

    def cached_or_made(self, request: HttpRequest, keys: set[str]) -> HttpResponse | None:
        try:
            # Read once a request: the replica router compares the replica with the same number.
            at_generation = generation.of_request(request)
        except DatabaseError:
            return None  # the view answers as it does without a database
        varies_on = varies_on_of(request)
        if varies_on is not None:
            kept = cache.get(page_key(request, at_generation=at_generation, varies_on=varies_on))
            served = kept and from_kept(kept)
            if served:
                return served
        started = time.time()
        response = self.made(request, keys)
        seconds = keepable(request, response)
        if seconds:
            keep(request, response, at_generation=at_generation, started=started, seconds=seconds)
        response.headers["X-Page-Cache"] = "miss"
        return response


def name_keys(response: HttpResponse, keys: set[str]) -> None:
    value = surrogates.header(keys)
    response.headers["Surrogate-Key"] = value
    response.headers["Cache-Tag"] = value.replace(" ", ",")


def keep(
    request: HttpRequest,
    response: HttpResponse,
    *,
    at_generation: int,
    started: float,
    seconds: int,
) -> None:
    if not response.has_header("ETag"):
        set_response_etag(response)
    varies_on = varied_on(response)
    for name in NOT_KEPT:
        response.headers.pop(name, None)
    cache.set(vary_key(request), varies_on, VARY_SECONDS)
    _remember_varies(vary_key(request), varies_on)
    key = page_key(request, at_generation=at_generation, varies_on=varies_on)
    # The response itself, as Django's own cache middleware keeps it: unpickled whole, its
    # headers are not checked and encoded again one by one on every hit.
    cache.set(key, (started, started + seconds, response), seconds)


def varies_on_of(request: HttpRequest) -> list[str] | None:
    """The headers the page at `request`'s address varies on, as it was last kept (None: not
    kept). Remembered by each process for what the shared cache says (an address's answer only
    changes with the code), so a hit asks the shared cache once. A stale answer costs a miss,
    never a wrong page: the page's own key names the headers and the generation it was made at.
    """
    key = vary_key(request)
    found = _varies.get(key)
    if found is not None and found[1] > time.monotonic():
        return found[0]
    varies_on = cache.get(key)
    if varies_on is not None:
        _remember_varies(key, varies_on)
    return varies_on


_varies: dict[str, tuple[list[str], float]] = {}


def _remember_varies(key: str, varies_on: list[str]) -> None:
    if len(_varies) >= ROUTES_REMEMBERED:
        _varies.clear()  # bounded: the busy addresses come back at once
    _varies[key] = (varies_on, time.monotonic() + VARY_SECONDS)


# The max-age directive a kept page's Cache-Control carries (never s-maxage's).
MAX_AGE = re.compile(r"(?<![-\w])max-age=\d+")


def from_kept(kept: tuple) -> HttpResponse | None:
    """The kept response, its max-age what remains of it; None once it is over (or the clock
    stands before it was made), or where the entry is not one this code keeps."""
    if len(kept) != 3 or not isinstance(kept[2], HttpResponse):
        return None
    made_at, until, response = kept
    now = time.time()
    if not made_at <= now < until:
        return None
    remaining = f"max-age={math.floor(until - now)}"
    control, found = MAX_AGE.subn(remaining, response.get("Cache-Control", ""), count=1)
    if found:
        response.headers["Cache-Control"] = control
    else:
        patch_cache_control(response, max_age=math.floor(until - now))
    response.headers["X-Page-Cache"] = "hit"
    return response
