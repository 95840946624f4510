"""HEAD on every public address: the status and headers a GET gets, and no body, so monitors and
CDNs that ask by HEAD see the site as it is. The partner channels (API, feeds, sitemaps) refuse
other methods with 405; the reader's pages leave them to the CSRF check (403) first."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import PUBLIC_ADDRESSES

# Besides every pattern: a story the reader may not see, and an address that is none.
ADDRESSES = {
    **PUBLIC_ADDRESSES,
    "a withdrawn article": lambda s: s.withdrawn.get_absolute_url(),
    "no such page": lambda s: "/no/such/page/",
}


DESK_NAMESPACES = ("admin", "security")


def named_patterns(resolver: URLResolver, namespace: str = "") -> set[str]:
    """Every named pattern of `resolver` but the desk's (the admin and its sign-in steps), as
    namespace:name."""
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace not in DESK_NAMESPACES:
                names |= named_patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}")
    return names


def test_the_public_addresses_name_every_public_url_pattern():
    assert named_patterns(get_resolver()) == set(PUBLIC_ADDRESSES)


@pytest.mark.parametrize("name", ADDRESSES)
def test_head_answers_as_get_does_without_a_body(client, public_site, name):
    url = ADDRESSES[name](public_site)

    got = client.get(url)
    head = client.head(url)

    assert head.status_code == got.status_code
    assert head.status_code != 405
    assert dict(head.headers) == dict(got.headers)
    assert head.content == b""
    assert got.content


@pytest.mark.parametrize("name", ["articles:front", "syndication:rss", "syndication:api-items"])
def test_a_conditional_head_is_answered_not_modified(client, public_site, name):
    url = ADDRESSES[name](public_site)
    etag = client.get(url)["ETag"]

    again = client.head(url, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again["ETag"] == etag


@pytest.mark.parametrize(
    "name",
    [
        "syndication:api-index",
        "syndication:api-items",
        "syndication:api-item",
        "syndication:api-openapi",
        "syndication:rss",
        "syndication:section-atom",
        "syndication:sitemap",
        "syndication:sitemap-news",
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_a_method_other_than_get_and_head_is_not_allowed(client, public_site, name, method):
    response = getattr(client, method)(ADDRESSES[name](public_site))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
