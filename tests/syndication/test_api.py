"""The ninjs API: valid ninjs on every response, only what may be redistributed, cached safely."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.http import http_date

from articles.filters import MAX_PAGE
from articles.models import Article, Byline
from articles.presentation import item_uri
from tests.factories import Catalogue, max_age, validate

NINJS = "application/vnd.iptc.ninjs+json"
VERSIONS = ["3.1", "2.2"]


def item_url(article: Article) -> str:
    return reverse("syndication:api-item", kwargs={"uri": item_uri(article)})


def get_list(client, version: str = "3.1", **params):
    """The list, every item on it checked against the schema of `version`."""
    response = client.get(reverse("syndication:api-items"), {"version": version, **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["version"] == version
    for item in data["items"]:
        validate(item, version)
    return data


def uris(data: dict) -> list[str]:
    return [item["uri"] for item in data["items"]]


def test_the_index_describes_endpoints_versions_and_filters(client):
    response = client.get(reverse("syndication:api-index"))
    assert response.status_code == 200
    data = response.json()
    assert data["versions"]["default"] == "3.1"
    assert data["versions"]["available"] == ["3.1", "2.2"]
    assert "Accept: application/vnd.iptc.ninjs+json; version=2.2" in data["versions"]["negotiation"]
    assert data["contentType"] == "application/json"
    assert data["endpoints"]["items"]["url"] == "http://testserver/api/items/"
    filters = data["endpoints"]["items"]["filters"]
    assert {"section", "source", "person", "language", "since", "until"} <= set(filters)
    assert "rightsInfo" in data["rights"]["description"]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_list_shows_the_visible_item_and_no_hidden_one(client, catalogue, version):
    data = get_list(client, version)
    assert uris(data) == [catalogue.visible.guid]
    assert data["next"] is None
    assert data["previous"] is None


@pytest.mark.parametrize("version", VERSIONS)
def test_an_item_is_served_as_valid_ninjs_with_machine_readable_rights(client, catalogue, version):
    response = client.get(item_url(catalogue.visible), {"version": version})
    assert response.status_code == 200
    item = response.json()
    validate(item, version)
    rights = item["rightsInfo" if version == "3.1" else "rightsinfo"]
    assert rights["encodedRights" if version == "3.1" else "encodedrights"]
    assert item["copyrightNotice" if version == "3.1" else "copyrightnotice"] == (
        "© 2022 Anadolu Agency. All rights reserved."
    )


def test_the_accept_header_asks_for_ninjs_2_2(client, catalogue):
    response = client.get(item_url(catalogue.visible), HTTP_ACCEPT=f"{NINJS}; version=2.2")
    item = response.json()
    assert item["standard"]["version"] == "2.2"
    validate(item, "2.2")
    listing = client.get(reverse("syndication:api-items"), HTTP_ACCEPT=f"{NINJS}; version=2.2")
    assert listing.json()["version"] == "2.2"


def test_the_query_parameter_wins_over_the_accept_header(client, catalogue):
    response = client.get(
        item_url(catalogue.visible), {"version": "3.1"}, HTTP_ACCEPT=f"{NINJS}; version=2.2"
    )
    assert response.json()["standard"]["version"] == "3.1"


@pytest.mark.parametrize(
    ("params", "accept"),
    [({"version": "1.6"}, "*/*"), ({}, f"{NINJS}; version=1.6")],
)
def test_a_version_we_do_not_serve_is_refused(client, catalogue, params, accept):
    response = client.get(item_url(catalogue.visible), params, HTTP_ACCEPT=accept)
    assert response.status_code == 406
    assert response.json()["error"]["versions"] == ["3.1", "2.2"]


@pytest.mark.parametrize(
    "reason",
    [
        "draft",
        "scheduled",
        "embargoed",
        "expired",
        "suspended_source",
        "unsettled",
        "publish_denied",
        "redistribute_denied",
        "territory_limited",
        "withdrawn",
        "killed",
    ],
)
def test_a_hidden_item_is_not_found_and_its_text_is_not_sent(client, catalogue, reason):
    article = catalogue.hidden[reason]
    response = client.get(item_url(article))
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    assert article.headline.encode() not in response.content
    assert b"Secret body" not in response.content
    assert "no-store" in response["Cache-Control"]
    assert "CF-IPCountry" in response["Vary"]


def test_the_catalogue_has_a_hidden_item_for_every_reason(catalogue):
    assert len(catalogue.hidden) == 11


def test_an_unknown_uri_is_not_found(client, db):
    response = client.get(reverse("syndication:api-item", kwargs={"uri": "urn:nothing:here"}))
    assert response.status_code == 404
    assert response.json()["error"]["message"]


def filters(catalogue: Catalogue) -> list[dict]:
    hour = datetime.timedelta(hours=1)
    updated = catalogue.visible.updated_at
    return [
        {"section": catalogue.section.slug},
        {"source": catalogue.source.slug},
        {"person": catalogue.person.slug},
        {"language": "en"},
        {"since": (updated - hour).isoformat()},
        {"until": (updated + hour).isoformat()},
        {"since": (updated - hour).isoformat(), "until": (updated + hour).isoformat()},
        {"day": catalogue.visible.published_at.date().isoformat()},
        {"q": "story"},
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_filter_keeps_the_hidden_items_out(client, catalogue, version):
    for params in filters(catalogue):
        data = get_list(client, version, **params)
        assert uris(data) == [catalogue.visible.guid], params


def test_filtering_on_a_suspended_source_finds_nothing(client, catalogue):
    suspended = catalogue.hidden["suspended_source"].source
    assert get_list(client, source=suspended.slug)["items"] == []


def test_filters_narrow_the_list(client, catalogue, make_article):
    make_article(headline="Another section's story", language="fr")
    assert len(get_list(client)["items"]) == 2
    assert uris(get_list(client, section=catalogue.section.slug)) == [catalogue.visible.guid]
    assert uris(get_list(client, language="en")) == [catalogue.visible.guid]
    since = (catalogue.visible.updated_at + datetime.timedelta(days=1)).isoformat()
    assert get_list(client, since=since)["items"] == []


def test_an_invalid_filter_is_a_bad_request(client, db):
    response = client.get(reverse("syndication:api-items"), {"since": "last tuesday"})
    assert response.status_code == 400
    assert "since" in response.json()["error"]["fields"]


def test_a_territory_limited_item_reaches_partners_in_its_territory(client, catalogue):
    response = client.get(reverse("syndication:api-items"), HTTP_CF_IPCOUNTRY="GB")
    limited = catalogue.hidden["territory_limited"]
    assert [item["uri"] for item in response.json()["items"]] == [
        limited.guid,
        catalogue.visible.guid,
    ]
    detail = client.get(item_url(limited), HTTP_CF_IPCOUNTRY="GB")
    assert detail.status_code == 200
    assert "Only in GB" in detail.json()["usageTerms"]
    assert client.get(item_url(limited), HTTP_CF_IPCOUNTRY="FR").status_code == 404


def test_an_item_is_found_by_a_uri_with_colons_and_slashes(client, make_article):
    article = make_article(guid="tag:example.com,2024:news/117")
    response = client.get(item_url(article))
    assert response.status_code == 200
    assert response.json()["uri"] == "tag:example.com,2024:news/117"


def test_an_item_whose_wire_id_is_no_uri_is_found_by_its_ninjs_uri(client, make_article):
    article = make_article(guid="NTB 2024/117")
    response = client.get(item_url(article))
    assert response.status_code == 200
    item = response.json()
    assert item["uri"] == "urn:newsroom:wire-id:NTB%202024%2F117"
    validate(item, "3.1")


@pytest.fixture
def many(make_article):
    """25 items, newest first."""
    return [
        make_article(
            published_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
            + datetime.timedelta(minutes=25 - n)
        )
        for n in range(25)
    ]


def test_the_list_pages_without_counting(client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(4) as queries:
        first = get_list(client)
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    assert uris(first) == [article.guid for article in many[:20]]
    assert first["pageSize"] == 20
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert uris(second) == [article.guid for article in many[20:]]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/items/?version=3.1&page=1"


def test_the_page_size_is_chosen_up_to_100(client, many):
    assert len(get_list(client, page_size=5)["items"]) == 5
    assert get_list(client, page_size=1000)["pageSize"] == 100


@pytest.mark.parametrize("params", [{"page": "x"}, {"page": "0"}, {"page_size": "-1"}])
def test_a_bad_page_is_a_bad_request(client, db, params):
    response = client.get(reverse("syndication:api-items"), params)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_a_page_past_the_end_is_empty(client, many):
    data = get_list(client, page=9)
    assert data["items"] == []
    assert data["next"] is None


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_for_3_items_as_for_30(
    client, catalogue, make_article, django_assert_max_num_queries, count
):
    for n in range(count):
        article = make_article(headline=f"Extra {n}", source=catalogue.source)
        Byline.objects.create(article=article, person=catalogue.person)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("syndication:api-items"), {"page_size": 100})
    assert len(response.json()["items"]) == count + 1


@pytest.mark.parametrize("url", ["list", "item"])
def test_a_response_varies_on_the_country_and_accept(client, catalogue, url):
    target = reverse("syndication:api-items") if url == "list" else item_url(catalogue.visible)
    response = client.get(target)
    vary = response["Vary"]
    assert "Accept" in vary
    assert "CF-IPCountry" in vary
    assert "public" in response["Cache-Control"]


def test_an_item_is_cached_no_longer_than_its_rights_last(client, make_article, now):
    article = make_article(rights_expire_at=now + datetime.timedelta(seconds=60))
    response = client.get(item_url(article))
    assert max_age(response) <= 60


@pytest.mark.parametrize("url", ["list", "item"])
def test_an_unchanged_response_is_not_sent_again(client, catalogue, url):
    target = reverse("syndication:api-items") if url == "list" else item_url(catalogue.visible)
    first = client.get(target)
    etag = first["ETag"]
    again = client.get(target, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    catalogue.visible.headline = "Visible story, updated"
    catalogue.visible.save()
    changed = client.get(target, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_etag_differs_between_versions(client, catalogue):
    url = item_url(catalogue.visible)
    assert client.get(url)["ETag"] != client.get(url, {"version": "2.2"})["ETag"]


@pytest.mark.parametrize("url", ["list", "item"])
def test_last_modified_is_the_newest_change_and_answers_if_modified_since(client, catalogue, url):
    target = reverse("syndication:api-items") if url == "list" else item_url(catalogue.visible)
    response = client.get(target)
    assert response["Last-Modified"] == http_date(catalogue.visible.updated_at.timestamp())
    again = client.get(target, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    earlier = http_date(catalogue.visible.updated_at.timestamp() - 60)
    assert client.get(target, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_an_item_that_went_live_when_its_embargo_lifted_was_modified_then(
    client, make_article, now
):
    article = make_article(embargo_until=now - datetime.timedelta(seconds=5))
    Article.objects.filter(pk=article.pk).update(updated_at=now - datetime.timedelta(hours=2))
    response = client.get(item_url(article))
    assert response["Last-Modified"] == http_date(article.embargo_until.timestamp())


# --- input that never breaks the API ------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["99999999999999999999", str(MAX_PAGE + 1), "9" * 5000, " 2", "1_0", "١", "1e3"]
)
def test_a_page_beyond_the_bound_or_no_plain_number_is_a_bad_request_not_a_server_error(
    client, catalogue, page
):
    # A twenty-digit page was an offset SQLite refused ("datatype mismatch"): a 500.
    response = client.get(reverse("syndication:api-items"), {"page": page})
    assert response.status_code == 400
    assert str(MAX_PAGE) in response.json()["error"]["message"]


def test_the_last_page_within_the_bound_is_empty(client, catalogue):
    data = get_list(client, page=str(MAX_PAGE))
    assert data["items"] == []
    assert data["page"] == MAX_PAGE


def test_the_calendars_last_day_filters_to_nothing_not_a_server_error(client, catalogue):
    # The day after 9999-12-31 cannot be reckoned: the filter asked for it, and failed.
    assert get_list(client, day="9999-12-31")["items"] == []


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"since": "0001-01-01T00:00:00+14:00"}, True),  # before the first moment: everything
        ({"until": "0001-01-01T00:00:00+14:00"}, False),
        ({"until": "9999-12-31T23:59:59-14:00"}, True),  # after the last moment: everything
        ({"since": "9999-12-31T23:59:59-14:00"}, False),
    ],
)
def test_a_time_beyond_the_calendar_in_utc_stands_for_its_end_not_a_server_error(
    client, catalogue, params, found
):
    # Such a time has no place in UTC; converting it for the database raised OverflowError.
    assert uris(get_list(client, **params)) == ([catalogue.visible.guid] if found else [])


def test_a_search_over_200_characters_is_a_bad_request(client, catalogue):
    response = client.get(reverse("syndication:api-items"), {"q": " ".join(["story"] * 1500)})
    assert response.status_code == 400
    assert "q" in response.json()["error"]["fields"]


@pytest.mark.parametrize("uri", ["urn:a\x00b", "urn:a\nb", "\n"])
def test_a_uri_with_a_nul_or_a_line_break_is_the_apis_own_not_found(client, catalogue, uri):
    # A NUL reached PostgreSQL, which refuses one (a 500); a line break matched no route, and the
    # site's HTML 404 answered for the API's JSON one.
    response = client.get("/api/items/" + quote(uri, safe=""))
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


@pytest.mark.parametrize("url", ["/api/", "/api/items/", "/api/openapi.json"])
def test_a_method_no_one_knows_is_not_allowed_rather_than_forbidden(client, db, url):
    # Django's CSRF check answered QUERY (a method it does not know) with 403 before the view.
    response = client.generic("QUERY", url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
