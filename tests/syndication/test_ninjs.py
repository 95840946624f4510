"""The ninjs serialiser: valid against the IPTC schemas in 3.1 and 2.2, with rights a machine reads.

The API tests run the same `validate()` on every response; the validator's own tests end this file.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from articles.models import Byline, Person, Section, Source
from articles.presentation import guid_from_uri, item_uri
from articles.rights import Right
from articles.syndication.ninjs import ODRL_ACTIONS, serialise
from tests.factories import NINJS_VALIDATORS, validate


def absolute(path: str) -> str:
    return "https://news.example" + path


@pytest.fixture
def agency_article(make_article, make_source, now):
    """Anadolu copy under our licence: limited to two countries, expiring, two credits."""
    source = make_source("Anadolu Agency", kind=Source.Kind.AGENCY)
    article = make_article(
        source=source,
        headline="Quake shakes the coast",
        standfirst="No injuries were reported.",
        dateline="ISTANBUL",
        language="en",
        section=Section.objects.create(name="World", slug="world"),
        copyright_holder="Anadolu Agency",
        copyright_year=2022,
        copyright_notice="Copyright 2022 Anadolu Agency. All rights reserved.",
        may_broadcast=False,
        may_rewrite=False,
        territories={"GB", "IE"},
        rights_expire_at=now + datetime.timedelta(days=30),
    )
    writer = Person.objects.create(name="Erdogan Cagatay Zontur", slug="zontur")
    editor = Person.objects.create(name="Ayse Yilmaz", slug="yilmaz")
    Byline.objects.create(article=article, person=writer, role=Byline.Role.WRITING, order=0)
    Byline.objects.create(article=article, person=editor, role=Byline.Role.EDITING, order=1)
    return article


@pytest.mark.parametrize("version", ["3.1", "2.2"])
def test_an_agency_item_is_valid_ninjs(agency_article, version):
    validate(serialise(agency_article, absolute=absolute, version=version), version)


def test_a_bare_item_is_valid_ninjs(make_article):
    article = make_article(standfirst="", dateline="")
    for version in ("3.1", "2.2"):
        validate(serialise(article, absolute=absolute, version=version), version)


def test_version_3_1_carries_the_item_with_its_people_source_and_section(agency_article):
    item = serialise(agency_article, absolute=absolute)
    assert item["uri"] == agency_article.guid
    assert item["type"] == "text"
    assert item["pubStatus"] == "usable"
    assert item["standard"]["version"] == "3.1"
    assert item["headlines"][0]["value"] == "Quake shakes the coast"
    assert item["descriptions"][0]["value"] == "No injuries were reported."
    assert item["located"] == "ISTANBUL"
    assert item["people"] == [
        {
            "name": "Erdogan Cagatay Zontur",
            "rel": "writing",
            "uri": "https://news.example/people/zontur/",
            "literal": "zontur",
        },
        {
            "name": "Ayse Yilmaz",
            "rel": "editing",
            "uri": "https://news.example/people/yilmaz/",
            "literal": "yilmaz",
        },
    ]
    assert "Erdogan Cagatay Zontur" in item["by"]
    assert item["infoSources"][0]["name"] == "Anadolu Agency"
    assert item["infoSources"][0]["role"] == "originating"
    assert item["subjects"][0]["name"] == "World"
    assert "embargoedUntil" not in item


@pytest.mark.parametrize("version", ["3.1", "2.2"])
def test_keywords_follow_the_section_as_subjects(agency_article, version):
    agency_article.keywords = ["earthquakes", "Turkey"]
    item = serialise(agency_article, absolute=absolute, version=version)
    validate(item, version)
    assert [(s["name"], s.get("rel")) for s in item["subjects"]] == [
        ("World", "section"),
        ("earthquakes", None),
        ("Turkey", None),
    ]


def test_an_item_without_section_or_keywords_has_no_subjects(make_article):
    assert "subjects" not in serialise(make_article(), absolute=absolute)


def test_version_2_2_spells_every_property_in_lower_case(agency_article):
    item = serialise(agency_article, absolute=absolute, version="2.2")
    assert item["standard"]["version"] == "2.2"
    assert {"versioncreated", "copyrightholder", "usageterms", "infosources", "rightsinfo"} <= set(
        item
    )
    assert item["rightsinfo"]["langid"] == "http://www.w3.org/ns/odrl/2/"
    assert "encodedrights" in item["rightsinfo"]
    assert item["headlines"][0]["contenttype"] == "text/plain"


def test_the_rights_are_stated_in_words(agency_article):
    item = serialise(agency_article, absolute=absolute)
    assert item["copyrightHolder"] == "Anadolu Agency"
    assert item["copyrightNotice"] == "© 2022 Anadolu Agency. All rights reserved."
    terms = item["usageTerms"]
    assert "publication, redistribution" in terms
    assert "Not granted: broadcast, rewriting." in terms
    assert "Only in GB, IE" in terms
    assert "The rights end at" in terms


def test_the_rights_are_machine_readable_as_an_odrl_policy(agency_article):
    rights = serialise(agency_article, absolute=absolute)["rightsInfo"]
    assert rights["langId"] == "http://www.w3.org/ns/odrl/2/"
    policy = json.loads(rights["encodedRights"])
    assert policy["target"] == agency_article.guid
    assert [rule["action"] for rule in policy["permission"]] == ["display", "distribute"]
    assert [rule["action"] for rule in policy["prohibition"]] == ["stream", "modify", "tdm:mine"]
    spatial, until = policy["permission"][0]["constraint"]
    assert spatial == {
        "leftOperand": "spatial",
        "operator": "isAnyOf",
        "rightOperand": [
            "http://cvx.iptc.org/iso3166-1a2/GB",
            "http://cvx.iptc.org/iso3166-1a2/IE",
        ],
    }
    assert until["leftOperand"] == "dateTime"
    assert until["operator"] == "lt"


def test_excluded_territories_and_the_window_start_are_odrl_constraints(make_article, now):
    opens = now + datetime.timedelta(days=1)
    article = make_article(excluded_territories={"GB", "IE"}, rights_start_at=opens)
    item = serialise(article, absolute=absolute)
    validate(item, "3.1")
    assert "Not in GB, IE (ISO 3166-1)." in item["usageTerms"]
    assert "The rights begin at" in item["usageTerms"]
    policy = json.loads(item["rightsInfo"]["encodedRights"])
    spatial, start = policy["permission"][0]["constraint"]
    assert spatial == {
        "leftOperand": "spatial",
        "operator": "isNoneOf",
        "rightOperand": [
            "http://cvx.iptc.org/iso3166-1a2/GB",
            "http://cvx.iptc.org/iso3166-1a2/IE",
        ],
    }
    assert start["leftOperand"] == "dateTime"
    assert start["operator"] == "gteq"
    assert start["rightOperand"]["@value"] == opens.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_staff_copy_holds_every_right_without_limits(make_article):
    policy = json.loads(serialise(make_article(), absolute=absolute)["rightsInfo"]["encodedRights"])
    assert [rule["action"] for rule in policy["permission"]] == [
        "display",
        "stream",
        "modify",
        "distribute",
    ]
    assert policy["prohibition"] == [{"action": "tdm:mine"}]  # staff copy is reserved by default
    assert all("constraint" not in rule for rule in policy["permission"])


def test_a_wire_id_that_is_no_uri_is_carried_in_a_urn_and_read_back(make_article):
    article = make_article(guid="NTB 2024/117")
    uri = item_uri(article)
    assert uri == "urn:newsroom:wire-id:NTB%202024%2F117"
    assert guid_from_uri(uri) == "NTB 2024/117"
    item = serialise(article, absolute=absolute)
    assert item["altIds"] == [{"role": "guid", "value": "NTB 2024/117"}]
    validate(item, "3.1")


def test_the_validator_resolves_geojson_from_the_local_copy():
    place = {"name": "Istanbul", "geoJSON": {"type": "Point", "coordinates": [28.97, 41.01]}}
    validate({"uri": "urn:x:1", "places": [place]}, "3.1")
    broken = {"name": "Istanbul", "geoJSON": {"type": "Point", "coordinates": "north"}}
    assert not NINJS_VALIDATORS["3.1"].is_valid({"uri": "urn:x:1", "places": [broken]})


def test_the_validator_checks_formats_and_unknown_properties():
    assert not NINJS_VALIDATORS["3.1"].is_valid({"uri": "urn:x:1", "versionCreated": "yesterday"})
    assert not NINJS_VALIDATORS["3.1"].is_valid({"uri": "not a uri"})
    assert not NINJS_VALIDATORS["3.1"].is_valid({"uri": "urn:x:1", "headline": "1.x spelling"})
    assert not NINJS_VALIDATORS["2.2"].is_valid(
        {"uri": "urn:x:1", "versionCreated": "3.x spelling"}
    )


def test_every_right_has_an_odrl_action():
    assert set(ODRL_ACTIONS) == set(Right)


# --- reservations from text and data mining ------------------------------------------------------

CC_BY = "This article is licensed under a Creative Commons Attribution 4.0 International licence."


def mining(item: dict, version: str = "3.1") -> tuple[list[str], list[str]]:
    """The ODRL policy's permitted and prohibited actions on mining (TDMRep's tdm:mine)."""
    rights = item["rightsInfo" if version == "3.1" else "rightsinfo"]
    policy = json.loads(rights["encodedRights" if version == "3.1" else "encodedrights"])
    assert {"tdm": "http://www.w3.org/ns/tdmrep#"} in policy["@context"]
    return (
        [r["action"] for r in policy["permission"] if r["action"] == "tdm:mine"],
        [r["action"] for r in policy["prohibition"] if r["action"] == "tdm:mine"],
    )


@pytest.mark.parametrize("version", ["3.1", "2.2"])
def test_a_reserved_item_is_valid_ninjs_prohibiting_mining_with_the_policy(agency_article, version):
    item = serialise(agency_article, absolute=absolute, version=version)

    validate(item, version)
    assert mining(item, version) == ([], ["tdm:mine"])
    terms = item["usageTerms" if version == "3.1" else "usageterms"]
    assert terms.endswith(
        "Text and data mining is reserved (W3C TDMRep tdm-reservation 1); a licence to mine it: "
        "https://news.example/legal/rights/#text-and-data-mining"
    )


@pytest.mark.parametrize("version", ["3.1", "2.2"])
def test_an_item_under_cc_by_is_valid_ninjs_permitting_mining(make_article, make_source, version):
    partner = make_source("Quay Press", kind=Source.Kind.PARTNER)
    item = serialise(
        make_article(source=partner, copyright_notice=CC_BY), absolute=absolute, version=version
    )

    validate(item, version)
    assert mining(item, version) == (["tdm:mine"], [])
    terms = item["usageTerms" if version == "3.1" else "usageterms"]
    assert terms.endswith("Text and data mining is not reserved (W3C TDMRep tdm-reservation 0).")


def test_staff_copy_in_ninjs_follows_the_setting(make_article, settings):
    article = make_article()
    settings.TDM_RESERVE_STAFF = False
    assert mining(serialise(article, absolute=absolute)) == (["tdm:mine"], [])

    settings.TDM_RESERVE_STAFF = True
    assert mining(serialise(article, absolute=absolute)) == ([], ["tdm:mine"])


def test_the_api_serves_the_reservation_in_valid_ninjs(client, agency_article):
    url = reverse("syndication:api-item", kwargs={"uri": item_uri(agency_article)})
    response = client.get(url, HTTP_CF_IPCOUNTRY="GB")  # the item is limited to GB and IE

    assert response.status_code == 200
    item = response.json()
    validate(item, "3.1")
    assert mining(item) == ([], ["tdm:mine"])
    assert item["usageTerms"].endswith(
        "a licence to mine it: http://testserver/legal/rights/#text-and-data-mining"
    )
