"""What the site tells crawlers as a whole: `robots.txt` and TDMRep's `/.well-known/tdmrep.json`.

Both depend on settings alone, never on an item, so a cache may keep them for `MAX_AGE`; what
each item's own page says of mining is `articles.reservations.declaration()`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from articles import reservations

# A changed setting reaches crawlers and CDNs within the hour.
MAX_AGE = 3600
# Where no crawler, of search or otherwise, has business.
PRIVATE_PATHS = ("/admin/",)


def robots_lines(request: HttpRequest) -> list[str]:
    """robots.txt (RFC 9309): the crawlers of `settings.AI_CRAWLERS` kept out of every path,
    others out of the desk only, and the sitemaps for search engines."""
    absolute = request.build_absolute_uri
    lines = [
        "# Text and data mining of this site is reserved (W3C TDMRep):",
        f"# {absolute(reverse('articles:tdmrep'))}",
        f"# A licence to mine it: {reservations.policy_url(absolute)}",
        "",
    ]
    if settings.AI_CRAWLERS:
        # Per path, agency copy cannot be told from ours (both are /news/<slug>/), and every
        # list carries agency headlines: these crawlers are kept out of the whole site.
        lines += [f"User-agent: {token}" for token in settings.AI_CRAWLERS]
        lines += ["Disallow: /", ""]
    lines += ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS), ""]
    lines += [
        f"Sitemap: {absolute(reverse('syndication:sitemap'))}",
        f"Sitemap: {absolute(reverse('syndication:sitemap-news'))}",
    ]
    return lines


def _cacheable(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    text = "\n".join(robots_lines(request)) + "\n"
    return _cacheable(HttpResponse(text, content_type="text/plain; charset=utf-8"))


@require_safe
def tdmrep_json(request: HttpRequest) -> HttpResponse:
    """TDMRep's site-wide declaration: a JSON array of rules, each a location with its
    reservation and policy, the first that matches a path applying to it."""
    rules = reservations.site_rules(absolute=request.build_absolute_uri)
    return _cacheable(JsonResponse(rules, safe=False, content_type="application/json"))
