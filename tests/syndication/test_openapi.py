"""The API's OpenAPI 3.1 description: valid OpenAPI, naming every route, and true to the API, as
schemathesis finds by sending it what the description allows and what it forbids."""

from __future__ import annotations

import copy
import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator

# The OpenAPI Initiative's meta-schema for 3.1 (2022-10-07), as schemathesis ships it; jsonschema
# applies it here, on its own, so the check does not rest on schemathesis' reading of it.
from schemathesis.specs.openapi.definitions import OPENAPI_31

from articles.models import Article, Byline, Person, Section
from articles.presentation import item_uri
from articles.syndication import urls

OPENAPI_VALIDATOR = Draft202012Validator(OPENAPI_31)


@pytest.fixture
def description(client, db) -> dict:
    response = client.get(reverse("syndication:api-openapi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def openapi_errors(document: dict) -> list[str]:
    return [
        f"{list(e.absolute_path)}: {e.message}" for e in OPENAPI_VALIDATOR.iter_errors(document)
    ]


def test_the_description_is_valid_openapi_3_1(description):
    assert description["openapi"] == "3.1.0"
    assert openapi_errors(description) == []


def test_each_schema_in_it_is_valid_json_schema_2020_12(description):
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    schemas = description["components"]["schemas"]
    wrong = {
        name: [e.message for e in meta.iter_errors(schema)] for name, schema in schemas.items()
    }
    assert {name: errors for name, errors in wrong.items() if errors} == {}
    assert {"NinjsItem", "NinjsItem22", "ItemList", "Error"} <= set(schemas)


def test_the_openapi_check_catches_a_broken_description(description):
    broken = copy.deepcopy(description)
    del broken["info"]
    broken["paths"]["/api/items/"]["get"]["parameters"][0]["in"] = "body"
    errors = openapi_errors(broken)
    assert any("'info' is a required property" in e for e in errors)
    assert len(errors) >= 2


def test_it_describes_every_route_of_the_api(description):
    routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        for pattern in urls.urlpatterns
        if str(pattern.pattern).startswith("api/")
    }
    assert routes == set(description["paths"])


@pytest.fixture
def full_item(make_article, make_source) -> Article:
    """An item with every optional property the API writes: summary, dateline, people, section,
    keywords, and a wire id that is no uri (so an altId)."""
    article = make_article(
        guid="NTB 2024/117",
        source=make_source("Anadolu Agency"),
        standfirst="A summary.",
        dateline="ISTANBUL",
        section=Section.objects.create(name="World", slug="world"),
        keywords=["ferries", "storms"],
    )
    person = Person.objects.create(name="Ada Writer", slug="ada-writer")
    Byline.objects.create(article=article, person=person, role=Byline.Role.WRITING)
    return article


@pytest.mark.parametrize(("version", "shape"), [("3.1", "NinjsItem"), ("2.2", "NinjsItem22")])
def test_the_item_schema_of_each_version_fits_the_item_served_and_not_the_other(
    client, description, full_item, version, shape
):
    url = reverse("syndication:api-item", args=[item_uri(full_item)])
    item = client.get(url, {"version": version}).json()
    assert {"descriptions", "located", "people", "subjects", "altids"} <= {k.lower() for k in item}

    def errors(name: str) -> list[str]:
        schema = {"$ref": f"#/components/schemas/{name}", "components": description["components"]}
        return [e.message for e in Draft202012Validator(schema).iter_errors(item)]

    assert errors(shape) == []
    assert errors({"NinjsItem": "NinjsItem22", "NinjsItem22": "NinjsItem"}[shape]) != []


def test_the_index_links_to_it(client, db):
    data = client.get(reverse("syndication:api-index")).json()
    assert data["openapi"] == "http://testserver/api/openapi.json"


# --- schemathesis against the app, through WSGI ------------------------------------------------

# Examples per operation and generation mode: the whole run stays well under a minute.
EXAMPLES = 40


# Loaded from the app as a partner would, at collection (the view reads no database). Loading it
# lazily from a fixture (schemathesis.pytest.from_fixture) fails under pytest 9.2.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
schema.config.generation.update(max_examples=EXAMPLES)


@pytest.fixture
def connection_kept():
    """Keep the test's connection, and its transaction, across the app's requests, as Django's
    test client does: the WSGI handler would close it at each request's end (on PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_the_api_answers_as_its_description_says(case, catalogue, connection_kept):
    case.call_and_validate()
