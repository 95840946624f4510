"""What every public channel reads from the request and says in the response about the reader."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from articles.rights import normalise_country


def reader_country(request: HttpRequest) -> str | None:
    """The reader's country as the CDN reports it in `settings.COUNTRY_HEADER`; None if unknown."""
    header = "HTTP_" + settings.COUNTRY_HEADER.upper().replace("-", "_")
    return normalise_country(request.META.get(header))


def vary_on_country(response: HttpResponse) -> HttpResponse:
    """Say that the response depends on the reader's country, so no cache mixes countries."""
    patch_vary_headers(response, [settings.COUNTRY_HEADER])
    return response
