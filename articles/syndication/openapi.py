"""The ninjs API described in OpenAPI 3.1, served at /api/openapi.json.

Written by hand from what the views answer, and held to them by a schemathesis run against the
app: a route, parameter, status code or property the API changes must change here too. Items are
described as the subset of the IPTC ninjs schema the API emits; the tests also validate every
item against the IPTC schema itself.
"""

from __future__ import annotations

from articles.filters import MAX_PAGE
from articles.search import MAX_TERMS_LENGTH
from articles.syndication.ninjs import DEFAULT_VERSION, SCHEMA, VERSIONS

MEDIA_TYPE = "application/vnd.iptc.ninjs+json"
JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _strings(*required: str, optional: tuple[str, ...] = ()) -> dict:
    """An object of string properties, `required` always present, nothing else allowed."""
    return {
        "type": "object",
        "properties": {name: {"type": "string"} for name in (*required, *optional)},
        "required": list(required),
        "additionalProperties": False,
    }


def _uri_strings(*required: str, optional: tuple[str, ...] = ()) -> dict:
    schema = _strings(*required, optional=optional)
    schema["properties"]["uri"] = {"type": "string", "format": "uri"}
    return schema


def _text_list() -> dict:
    return {"type": "array", "items": _strings("role", "contentType", "value"), "minItems": 1}


def ninjs_item() -> dict:
    """What `ninjs.serialise()` writes in ninjs 3.1: always the rights, never anything else."""
    timestamp = {"type": "string", "format": "date-time"}
    return {
        "description": (
            "One item in ninjs 3.1, as this API writes it: a subset of the IPTC schema "
            f"({SCHEMA.format(version='3.1')}). Its rights are stated in words (copyrightNotice, "
            "usageTerms) and as an ODRL 2.2 policy (rightsInfo.encodedRights, a JSON string), "
            "mining included (TDMRep's tdm:mine)."
        ),
        "type": "object",
        "properties": {
            "standard": {
                "type": "object",
                "properties": {
                    "name": {"const": "ninjs"},
                    "version": {"enum": list(VERSIONS)},
                    "schema": {"type": "string", "format": "uri"},
                },
                "required": ["name", "version", "schema"],
                "additionalProperties": False,
            },
            "uri": {"type": "string", "format": "uri"},
            "type": {"const": "text"},
            "representationType": {"const": "full"},
            "version": {"type": "string", "pattern": "^[0-9]+$"},
            "firstCreated": timestamp,
            "versionCreated": timestamp,
            "pubStatus": {"const": "usable"},
            "language": {"type": "string"},
            "headlines": _text_list(),
            "descriptions": _text_list(),
            "bodies": _text_list(),
            "by": {"type": "string"},
            "located": {"type": "string"},
            "copyrightHolder": {"type": "string"},
            "copyrightNotice": {"type": "string"},
            "usageTerms": {"type": "string"},
            "rightsInfo": {
                "type": "object",
                "properties": {
                    "langId": {"type": "string", "format": "uri"},
                    "encodedRights": {"type": "string", "contentMediaType": JSON},
                },
                "required": ["langId", "encodedRights"],
                "additionalProperties": False,
            },
            "infoSources": {
                "type": "array",
                "items": _uri_strings("name", "role", "uri", "literal"),
                "minItems": 1,
            },
            "people": {
                "description": "Who made it, each with their role in `rel`.",
                "type": "array",
                "items": _uri_strings("name", "rel", "uri", "literal"),
            },
            "subjects": {
                "description": (
                    "Its section first (rel: section), then its keywords (a name alone)."
                ),
                "type": "array",
                "items": _uri_strings("name", optional=("rel", "uri", "literal")),
            },
            "altIds": {"type": "array", "items": _strings("role", "value")},
            "associations": {
                "description": (
                    "Its lead picture, only where the picture's own rights allow publication "
                    "and redistribution now (a picture is judged apart from its story)."
                ),
                "type": "array",
                "items": lead_picture(),
                "maxItems": 1,
            },
        },
        "required": [
            "standard",
            "uri",
            "type",
            "representationType",
            "version",
            "firstCreated",
            "versionCreated",
            "pubStatus",
            "language",
            "headlines",
            "bodies",
            "by",
            "copyrightHolder",
            "copyrightNotice",
            "usageTerms",
            "rightsInfo",
            "infoSources",
        ],
        "additionalProperties": False,
    }


def lead_picture() -> dict:
    """A lead picture as `ninjs.association()` writes it."""
    timestamp = {"type": "string", "format": "date-time"}
    rendition = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "href": {"type": "string", "format": "uri"},
            "contentType": {"enum": ["image/jpeg", "image/webp"]},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
        },
        "required": ["name", "href", "contentType", "width", "height"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "name": {"const": "lead picture"},
            "rel": {"const": "lead picture"},
            "uri": {"type": "string", "format": "uri"},
            "type": {"const": "picture"},
            "representationType": {"const": "full"},
            "version": {"type": "string", "pattern": "^[0-9]+$"},
            "firstCreated": timestamp,
            "versionCreated": timestamp,
            "pubStatus": {"const": "usable"},
            "headlines": _text_list(),
            "descriptions": _text_list(),
            "by": {"type": "string"},
            "copyrightHolder": {"type": "string"},
            "copyrightNotice": {"type": "string"},
            "usageTerms": {"type": "string"},
            "people": {"type": "array", "items": _strings("name", "rel")},
            "renditions": {"type": "array", "items": rendition, "minItems": 1},
        },
        "required": [
            "name",
            "uri",
            "type",
            "version",
            "by",
            "copyrightHolder",
            "copyrightNotice",
            "renditions",
        ],
        "additionalProperties": False,
    }


def lower_case(schema):
    """The 2.2 shape of a 3.1 schema: property names in lower case, as `ninjs._lower_keys()`
    spells the item, and nothing else changed."""
    if isinstance(schema, list):
        return [lower_case(part) for part in schema]
    if not isinstance(schema, dict):
        return schema
    lowered = {key: lower_case(value) for key, value in schema.items()}
    if isinstance(schema.get("properties"), dict):
        lowered["properties"] = {
            name.lower(): lower_case(value) for name, value in schema["properties"].items()
        }
    if isinstance(schema.get("required"), list):
        lowered["required"] = [name.lower() for name in schema["required"]]
    return lowered


def _error(*, extra: dict | None = None) -> dict:
    return {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    **(extra or {}),
                },
                "required": ["status", "message"],
                "additionalProperties": False,
            }
        },
        "required": ["error"],
        "additionalProperties": False,
    }


HEADERS = {
    "ETag": {"description": "Validator for If-None-Match.", "schema": {"type": "string"}},
    "Last-Modified": {
        "description": "When the newest item here last changed (absent on an empty page).",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "public, until the next moment the clock changes what may be shown.",
        "schema": {"type": "string"},
    },
    "Vary": {
        "description": "Accept and the reader's country header.",
        "schema": {"type": "string"},
    },
}


def _json(schema: dict, description: str, *, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {JSON: {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


NOT_MODIFIED = {"description": "Not modified: the ETag or Last-Modified you sent still holds."}
NOT_ACCEPTABLE = _json(
    _ref("VersionRefused"),
    f"A ninjs version we do not serve was asked for (by ?version= or by Accept: {MEDIA_TYPE}; "
    "version=…).",
)
ITEM = {"anyOf": [_ref("NinjsItem"), _ref("NinjsItem22")]}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "description": description, "schema": schema}


VERSION_PARAMETER = _query(
    "version",
    f"The ninjs version: {' or '.join(VERSIONS)} (default {DEFAULT_VERSION}); it wins over Accept.",
    {"enum": list(VERSIONS)},
)


def _filters(filters: dict[str, str]) -> list[dict]:
    """The list's filters: each a string, and an empty one filters nothing."""
    empty = {"const": ""}
    # Django's forms refuse a NUL character in any text (PostgreSQL cannot store one): 400.
    text = {"type": "string", "pattern": "^[^\\x00]*$"}
    shapes = {
        "day": {"anyOf": [{"type": "string", "format": "date"}, empty]},
        "since": {"anyOf": [{"type": "string", "format": "date-time"}, empty]},
        "q": {**text, "maxLength": MAX_TERMS_LENGTH},
    }
    shapes["until"] = shapes["since"]
    return [
        _query(name, f"{description}; empty: no filter", shapes.get(name, text))
        for name, description in filters.items()
    ]


def document(*, filters: dict[str, str], page_size: int, max_page_size: int) -> dict:
    """The OpenAPI 3.1 description of the API; `filters` are the list's, by name."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom ninjs API",
            "version": "1",
            "summary": "What may be published and redistributed, as IPTC ninjs, with its rights.",
            "description": (
                "Only items that may be published and redistributed now, where you are (the "
                "country the CDN reports), are served. An item held back for any reason (draft, "
                "embargo, expiry, withdrawal, a kill, its rights or territory) answers 404 like "
                "one that never existed, so the API never answers 410 or 451. Every route "
                "answers HEAD as GET, without a body, and other methods with 405."
            ),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/": {
                "get": {
                    "operationId": "index",
                    "summary": "The API's index: endpoints, versions, filters and rights.",
                    "responses": {"200": _json(_ref("Index"), "The index.")},
                }
            },
            "/api/items/": {
                "get": {
                    "operationId": "listItems",
                    "summary": "Items, newest first, without a total count: follow next.",
                    "parameters": [
                        VERSION_PARAMETER,
                        _query(
                            "page",
                            f"The page, 1 to {MAX_PAGE}; a page past the last is empty.",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        ),
                        _query(
                            "page_size",
                            f"Items a page (default {page_size}); more than {max_page_size} "
                            f"gives {max_page_size}.",
                            {"type": "integer", "minimum": 1},
                        ),
                        *_filters(filters),
                    ],
                    "responses": {
                        "200": _json(_ref("ItemList"), "A page of items.", headers=HEADERS),
                        "304": NOT_MODIFIED,
                        "400": _json(
                            _ref("BadRequest"),
                            "A page or page size that is no whole number in range, or a filter "
                            "that is not valid (each named in error.fields).",
                        ),
                        "406": NOT_ACCEPTABLE,
                    },
                }
            },
            "/api/items/{uri}": {
                "get": {
                    "operationId": "getItem",
                    "summary": "One item by its ninjs uri.",
                    "parameters": [
                        {
                            "name": "uri",
                            "in": "path",
                            "required": True,
                            "description": "The item's ninjs uri (it may hold / and :).",
                            "schema": {"type": "string", "minLength": 1},
                        },
                        VERSION_PARAMETER,
                    ],
                    "responses": {
                        "200": _json(ITEM, "The item.", headers=HEADERS),
                        "304": NOT_MODIFIED,
                        "404": _json(
                            _ref("Error"), "No item with this uri is available to you now."
                        ),
                        "406": NOT_ACCEPTABLE,
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description.",
                    "responses": {
                        "200": _json({"type": "object", "required": ["openapi"]}, "OpenAPI 3.1.")
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "NinjsItem": ninjs_item(),
                "NinjsItem22": {
                    **lower_case(ninjs_item()),
                    "description": (
                        "The same item in ninjs 2.2, every property name in lower case "
                        f"({SCHEMA.format(version='2.2')})."
                    ),
                },
                "ItemList": {
                    "type": "object",
                    "properties": {
                        "version": {"enum": list(VERSIONS)},
                        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        "pageSize": {"type": "integer", "minimum": 1, "maximum": max_page_size},
                        "next": {"type": ["string", "null"], "format": "uri"},
                        "previous": {"type": ["string", "null"], "format": "uri"},
                        "items": {"type": "array", "items": ITEM, "maxItems": max_page_size},
                    },
                    "required": ["version", "page", "pageSize", "next", "previous", "items"],
                    "additionalProperties": False,
                },
                "Index": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "contentType": {"const": JSON},
                        "versions": {"type": "object"},
                        "endpoints": {"type": "object"},
                        "rights": {"type": "object"},
                        "caching": {"type": "string"},
                        "openapi": {"type": "string", "format": "uri"},
                    },
                    "required": ["name", "contentType", "versions", "endpoints", "rights"],
                    "additionalProperties": False,
                },
                "Error": _error(),
                "BadRequest": _error(extra={"fields": {"type": "object"}}),
                "VersionRefused": _error(
                    extra={"versions": {"type": "array", "items": {"enum": list(VERSIONS)}}}
                ),
            }
        },
    }
