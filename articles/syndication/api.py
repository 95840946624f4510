"""The ninjs API for syndication partners: an index, a list of items, and one item.

Everything starts from `Article.objects.for_channel(Channel.API)`: the items that may be published
and redistributed to this reader now.
"""

from __future__ import annotations

import datetime

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from articles import surrogates
from articles.caching import cache_until_change, never_cache_refusal, next_change
from articles.filters import MAX_PAGE, ArticleFilter, MomentFilter, page_number
from articles.models import Article
from articles.presentation import changed_at, changed_at_expression, guid_from_uri
from articles.syndication import ninjs, openapi
from articles.syndication.ninjs import DEFAULT_VERSION, VERSIONS
from articles.vocabulary import Channel
from pictures import placing, showing

MEDIA_TYPE = "application/vnd.iptc.ninjs+json"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class ItemFilter(ArticleFilter):
    """The public lists' filters, plus a partner's: language and a window on `versionCreated`.

    The window reads `changed`, which `partner_items()` gives every item.
    """

    language = django_filters.CharFilter(field_name="language", lookup_expr="iexact")
    since = MomentFilter(field_name="changed", lookup_expr="gte")
    until = MomentFilter(field_name="changed", lookup_expr="lte")


FILTERS = {
    "section": "a section's slug",
    "source": "a source's slug",
    "person": "a credited person's slug",
    "language": "a language code (BCP 47), e.g. en",
    "day": "the publication day, YYYY-MM-DD",
    "q": "search terms",
    "since": "versionCreated at or after this time (ISO 8601)",
    "until": "versionCreated at or before this time (ISO 8601)",
}


def partner_items(*, at: datetime.datetime, country: str | None) -> QuerySet:
    """What a partner in `country` may receive now, each with when it last `changed`."""
    return (
        Article.objects.for_channel(Channel.API, at=at, country=country)
        .with_bylines()
        .select_related("lead_picture__source")
        .defer(*(f"lead_picture__{name}" for name in showing.NOT_READ))
        .alias(changed=changed_at_expression())
    )


def serialised(
    articles: list[Article], *, request: HttpRequest, version: str, at: datetime.datetime
) -> tuple[list[dict], datetime.datetime | None]:
    """The articles as ninjs, each with its lead picture where the picture's own rights allow
    the API now for this partner; and the first moment one of their pictures changes by the
    clock. Every lead picture is named among the surrogate keys, carried or not. The pictures
    placed in their bodies are read in one query for them all, and each is kept in its body only
    where its own rights allow the API."""
    country = request.reader.country
    pictures = [a.lead_picture for a in articles if a.lead_picture_id]
    surrogates.name(*pictures)
    changes = [t for p in pictures if (t := next_change(at=at, article=p)) is not None]
    placed = placing.pictures_of([a.body for a in articles], at=at)
    if placed.next_change is not None:
        changes.append(placed.next_change)
    absolute = request.build_absolute_uri
    data = [
        ninjs.serialise(
            a,
            absolute=absolute,
            version=version,
            picture=showing.lead_for(a, Channel.API, at=at, country=country),
            body=placing.render(
                a.body, placed.pictures, Channel.API, at=at, country=country, absolute=absolute
            ),
        )
        for a in articles
    ]
    return data, min(changes, default=None)


def requested_version(request: HttpRequest) -> str | None:
    """The ninjs version asked for by `?version=`, else by the Accept header; None if we lack it."""
    if "version" in request.GET:
        version = request.GET["version"]
        return version if version in VERSIONS else None
    asked_for_ninjs = False
    for media in request.accepted_types:
        if f"{media.main_type}/{media.sub_type}" == MEDIA_TYPE:
            asked_for_ninjs = True
            version = media.params.get("version", DEFAULT_VERSION)
            if version in VERSIONS:
                return version
        elif media.match("application/json"):
            return DEFAULT_VERSION
    return None if asked_for_ninjs else DEFAULT_VERSION


def error(status: int, message: str, **detail) -> JsonResponse:
    """An error for a partner's program; it never carries an item's text."""
    response = JsonResponse(
        {"error": {"status": status, "message": message, **detail}}, status=status
    )
    patch_vary_headers(response, ["Accept"])
    return never_cache_refusal(response)


def partner_response(
    request: HttpRequest,
    data: dict,
    *,
    at: datetime.datetime,
    modified: datetime.datetime | None,
    article: Article | None = None,
    until: datetime.datetime | None = None,
) -> HttpResponse:
    """JSON with validators for conditional GET, cacheable until the next rights change."""
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    if modified is not None:
        response.headers["Last-Modified"] = http_date(modified.timestamp())
    set_response_etag(response)
    patch_vary_headers(response, ["Accept"])
    cache_until_change(response, at=at, article=article, until=until)
    return get_conditional_response(
        request,
        etag=response.headers["ETag"],
        last_modified=int(modified.timestamp()) if modified else None,
        response=response,
    )


def not_acceptable() -> JsonResponse:
    return error(406, f"We serve ninjs {' and '.join(VERSIONS)}.", versions=list(VERSIONS))


# Every view here answers GET and HEAD, and any other method with 405 (`require_safe`). None takes
# a write, so none needs the CSRF check, which would answer a method it does not know (QUERY, say)
# with 403 before the view could say 405: each is `csrf_exempt`.
@csrf_exempt
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    items = request.build_absolute_uri(reverse("syndication:api-items"))
    data = {
        "name": "ninjs API",
        "contentType": "application/json",
        "versions": {
            "default": DEFAULT_VERSION,
            "available": list(VERSIONS),
            "schemas": {v: ninjs.SCHEMA.format(version=v) for v in VERSIONS},
            "negotiation": (
                f"?version=2.2, or the header Accept: {MEDIA_TYPE}; version=2.2. The query "
                "parameter wins; an unknown version is refused with 406."
            ),
        },
        "endpoints": {
            "items": {
                "url": items,
                "description": (
                    "Items, newest first, as {items, page, pageSize, next, previous}. No total "
                    f"count; follow `next`. ?page=1..{MAX_PAGE} (400 beyond; a page past the "
                    f"last is empty), ?page_size=1..{MAX_PAGE_SIZE} (default {PAGE_SIZE})."
                ),
                "filters": FILTERS,
            },
            "item": {
                "url": items + "{uri}",
                "description": "One item by its ninjs `uri`; 404 when it does not exist for you.",
            },
        },
        "rights": {
            "description": (
                "Only items that may be published and redistributed now, where you are, are "
                "served. Each states its rights in copyrightHolder, copyrightNotice, usageTerms "
                "(in words) and rightsInfo (rightsinfo in 2.2): an ODRL 2.2 policy in "
                "encodedRights, with a permission for each right held, a prohibition for each "
                "other, and territory (spatial) and expiry (dateTime) constraints."
            ),
            "odrlActions": {right.value: action for right, action in ninjs.ODRL_ACTIONS.items()},
        },
        "caching": (
            "Responses carry ETag and Last-Modified and answer conditional GETs with 304; they "
            "vary on Accept and the reader's country."
        ),
        "openapi": request.build_absolute_uri(reverse("syndication:api-openapi")),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_safe
def openapi_description(request: HttpRequest) -> HttpResponse:
    """The API in OpenAPI 3.1: routes, parameters, status codes and the shape of each answer."""
    data = openapi.document(filters=FILTERS, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
    response = JsonResponse(data)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
    return response


@csrf_exempt
@require_safe
def items(request: HttpRequest) -> HttpResponse:
    # Read first, so that every answer here varies on the country alike, an error included.
    country = request.reader.country
    version = requested_version(request)
    if version is None:
        return not_acceptable()
    number = page_number(request.GET.get("page"))
    if number is None:
        return error(400, f"page must be a whole number from 1 to {MAX_PAGE}.")
    try:
        size = min(int(request.GET.get("page_size", PAGE_SIZE)), MAX_PAGE_SIZE)
    except ValueError:
        return error(400, "page_size must be a whole number.")
    if size < 1:
        return error(400, "page_size starts at 1.")
    at = timezone.now()
    # The list serialises each item in full but for the desk's records of its rights.
    listed = partner_items(at=at, country=country).listed("body", "copy_terms", "usage_terms")
    filterset = ItemFilter(request.GET, queryset=listed)
    if not filterset.is_valid():
        return error(400, "Invalid filter.", fields=filterset.errors.get_json_data())
    start = (number - 1) * size
    # One row past the page says whether another follows, without counting the table.
    rows = list(filterset.qs[start : start + size + 1])
    page = rows[:size]
    serialised_items, until = serialised(page, request=request, version=version, at=at)
    data = {
        "version": version,
        "page": number,
        "pageSize": size,
        "next": page_link(request, number + 1) if len(rows) > size else None,
        "previous": page_link(request, number - 1) if number > 1 else None,
        "items": serialised_items,
    }
    modified = max((changed_at(a) for a in page), default=None)
    return partner_response(request, data, at=at, modified=modified, until=until)


def page_link(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@csrf_exempt
@require_safe
def item(request: HttpRequest, uri: str) -> HttpResponse:
    country = request.reader.country
    version = requested_version(request)
    if version is None:
        return not_acceptable()
    at = timezone.now()
    guid = guid_from_uri(uri)
    # No item's guid holds a NUL, and PostgreSQL refuses one in a query: no such item.
    found = "\x00" not in guid
    article = partner_items(at=at, country=country).filter(guid=guid).first() if found else None
    if article is None:
        return error(404, "No item with this uri is available to you.")
    [data], until = serialised([article], request=request, version=version, at=at)
    return partner_response(
        request, data, at=at, modified=changed_at(article), article=article, until=until
    )
