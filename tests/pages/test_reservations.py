"""What the site tells miners and crawlers: TDMRep headers and meta on the article page,
`/.well-known/tdmrep.json`, robots.txt, and the reservation in the page's JSON-LD."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from articles.models import Source
from articles.reservations import DMI_ALLOWED, DMI_RESERVED, PLUS_DATA_MINING
from newsroom import settings as project_settings
from tests.factories import AA_NOTICE, ld_json

POLICY = "http://testserver/legal/rights/#text-and-data-mining"
CC_BY = "This article is licensed under a Creative Commons Attribution 4.0 International licence."
# Names the head of a page carries, in order: <meta name="…" content="…">.
META = re.compile(r'<meta name="(tdm-[a-z]+)" content="([^"]*)">')


@pytest.fixture
def agency_story(make_article, make_source):
    source = make_source("Anadolu Agency", kind=Source.Kind.AGENCY)
    return make_article(source=source, copyright_notice=AA_NOTICE, headline="Ferries resume")


def head(response) -> str:
    return response.content.decode().split("</head>", 1)[0]


def test_an_agency_article_page_carries_the_reservation_in_headers_and_meta(client, agency_story):
    response = client.get(agency_story.get_absolute_url())

    assert response.status_code == 200
    assert response["tdm-reservation"] == "1"
    assert response["tdm-policy"] == POLICY
    assert META.findall(head(response)) == [
        ("tdm-reservation", "1"),
        ("tdm-policy", POLICY),
    ]


def test_a_staff_article_is_not_reserved_when_the_setting_is_off(client, make_article, settings):
    settings.TDM_RESERVE_STAFF = False
    response = client.get(make_article().get_absolute_url())

    assert response["tdm-reservation"] == "0"
    assert "tdm-policy" not in response
    assert META.findall(head(response)) == [("tdm-reservation", "0")]


def test_a_staff_article_is_reserved_when_the_setting_is_on(client, make_article, settings):
    settings.TDM_RESERVE_STAFF = True
    response = client.get(make_article().get_absolute_url())

    assert response["tdm-reservation"] == "1"
    assert response["tdm-policy"] == POLICY


def test_agency_copy_under_cc_by_is_declared_free_to_mine(client, make_article, make_source):
    partner = make_source("Quay Press", kind=Source.Kind.PARTNER)
    response = client.get(make_article(source=partner, copyright_notice=CC_BY).get_absolute_url())

    assert response["tdm-reservation"] == "0"
    assert "tdm-policy" not in response
    assert ld_json(response.content.decode())[PLUS_DATA_MINING] == {"@id": DMI_ALLOWED}


def test_the_policy_url_setting_reaches_header_meta_and_json_ld(client, agency_story, settings):
    settings.TDM_POLICY_URL = "https://licensing.example/tdm"
    response = client.get(agency_story.get_absolute_url())

    assert response["tdm-policy"] == "https://licensing.example/tdm"
    assert ("tdm-policy", "https://licensing.example/tdm") in META.findall(head(response))
    assert ld_json(response.content.decode())["usageInfo"] == "https://licensing.example/tdm"


def test_a_refused_article_declares_nothing(client, make_article, make_source):
    source = make_source(kind=Source.Kind.AGENCY)
    hidden = make_article(source=source, copyright_notice=AA_NOTICE, may_publish=False)

    response = client.get(hidden.get_absolute_url())

    assert response.status_code == 451
    assert "tdm-reservation" not in response
    assert META.findall(response.content.decode()) == []


def test_the_json_ld_carries_the_plus_data_mining_value_and_the_policy(client, agency_story):
    data = ld_json(client.get(agency_story.get_absolute_url()).content.decode())

    assert data[PLUS_DATA_MINING] == {"@id": DMI_RESERVED}
    assert DMI_RESERVED == (
        "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING"
    )
    assert data["usageInfo"] == POLICY
    assert data["@context"] == "https://schema.org"


def test_an_unreserved_item_has_no_usage_info(client, make_article, settings):
    settings.TDM_RESERVE_STAFF = False
    data = ld_json(client.get(make_article().get_absolute_url()).content.decode())

    assert "usageInfo" not in data
    assert data[PLUS_DATA_MINING] == {"@id": DMI_ALLOWED}


def test_the_reserved_page_keeps_the_strict_csp_and_its_query_count(
    client, agency_story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):  # as tests/pages/test_views.py bounds every article
        response = client.get(agency_story.get_absolute_url())

    content = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in content and " style=" not in content
    assert re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", content) == [' type="application/ld+json"']


# --- /.well-known/tdmrep.json -------------------------------------------------------------------


def test_tdmrep_json_is_an_array_of_rules_of_the_spec_shape(client, db):
    response = client.get("/.well-known/tdmrep.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rules = json.loads(response.content)
    assert isinstance(rules, list) and rules
    for rule in rules:
        assert set(rule) <= {"location", "tdm-reservation", "tdm-policy"}
        assert rule["location"].startswith("/")
        assert rule["tdm-reservation"] in (0, 1)
    assert rules == [{"location": "/", "tdm-reservation": 1, "tdm-policy": POLICY}]


def test_tdmrep_json_is_cacheable_and_answers_head(client, db):
    response = client.get(reverse("articles:tdmrep"))

    assert response["Cache-Control"] == "public, max-age=3600"
    assert "ETag" in response
    assert client.head(reverse("articles:tdmrep")).status_code == 200


def test_tdmrep_json_follows_the_policy_setting(client, db, settings):
    settings.TDM_POLICY_URL = "https://licensing.example/tdm"

    (rule,) = json.loads(client.get("/.well-known/tdmrep.json").content)

    assert rule["tdm-policy"] == "https://licensing.example/tdm"


# --- robots.txt -----------------------------------------------------------------------------------


def groups(text: str) -> list[tuple[list[str], list[str]]]:
    """robots.txt's groups: the user agents of each, and its rules."""
    found: list[tuple[list[str], list[str]]] = []
    agents: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        field, _, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field == "user-agent":
            if not agents or (found and found[-1][0] is agents and found[-1][1]):
                agents = []
                found.append((agents, []))
            agents.append(value)
        elif field in ("allow", "disallow"):
            found[-1][1].append(f"{field}: {value}")
    return found


def test_robots_txt_keeps_each_configured_crawler_out_of_the_whole_site(client, db, settings):
    settings.AI_CRAWLERS = ("GPTBot", "CCBot", "Google-Extended")
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = groups(response.content.decode())
    assert found[0] == (["GPTBot", "CCBot", "Google-Extended"], ["disallow: /"])
    assert found[1] == (["*"], ["disallow: /admin/"])


def test_robots_txt_names_every_default_crawler_with_a_disallow(client, db):
    (agents, rules), _ = groups(client.get("/robots.txt").content.decode())

    assert agents == list(project_settings.AI_CRAWLERS)
    assert rules == ["disallow: /"]


def test_robots_txt_keeps_the_sitemaps_and_points_to_the_tdm_declaration(client, db):
    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: http://testserver/sitemap.xml\n" in text
    assert "Sitemap: http://testserver/sitemap-news.xml\n" in text
    assert "# http://testserver/.well-known/tdmrep.json\n" in text
    assert client.get("/sitemap.xml").status_code == 200


def test_with_no_ai_crawlers_robots_txt_keeps_only_the_desk_out(client, db, settings):
    settings.AI_CRAWLERS = ()

    assert groups(client.get("/robots.txt").content.decode()) == [(["*"], ["disallow: /admin/"])]


def test_robots_txt_is_cacheable(client, db):
    response = client.get("/robots.txt")

    assert response["Cache-Control"] == "public, max-age=3600"
    assert client.head("/robots.txt")["Content-Type"] == "text/plain; charset=utf-8"


def test_the_rights_page_says_what_is_reserved_as_the_setting_does(client, db, settings):
    settings.TDM_RESERVE_STAFF = True
    text = client.get("/legal/rights/").content.decode()
    assert 'id="text-and-data-mining"' in text
    assert "partner or freelance, and of our own journalism." in text
    assert 'href="/.well-known/tdmrep.json"' in text

    settings.TDM_RESERVE_STAFF = False
    text = client.get("/legal/rights/").content.decode()
    assert "partner or freelance." in text
    assert ", nor is our own journalism" in text
