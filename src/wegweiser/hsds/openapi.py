"""The OpenAPI 3.1 document at /api/openapi.json: the HSDS API and the search API.

The HSDS record schemas are the official compiled ones, moved into `components` (their
`#/definitions/...` references rewritten) and stripped of the Table Schema keywords that
are not JSON Schema (name, path, core, constraints ...).
"""

from functools import cache

from django.conf import settings

from .constants import HSDS_VERSION, MAX_PER_PAGE, MAX_PROXIMITY_METRES, PROFILE_URI
from .schemas import compiled, page_schema

# Query text never contains NUL (PostgreSQL refuses it in strings).
TEXT = {"type": "string", "pattern": "^[^\\x00]*$"}
NOT_SCHEMA = {
    "name",
    "path",
    "datapackage_metadata",
    "core",
    "constraints",
    "example",
    "tabular_required",
}
PREFIX = "hsds_"


def _clean(schema):
    if isinstance(schema, list):
        return [_clean(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in NOT_SCHEMA or key == "definitions":
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith("#/definitions/"):
            out[key] = "#/components/schemas/" + PREFIX + value.removeprefix("#/definitions/")
        elif key == "properties":
            out[key] = {name: _clean(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[key] = _clean(value)
        else:
            out[key] = value
    # The HSDS "format" values that JSON Schema does not know are only hints.
    if out.get("format") == "datetime":
        out["format"] = "date-time"
    return out


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


PROFILE_SERVICE_ADDITIONS = {
    "summary": {"type": "string", "description": "Short summary (German), profile addition."},
    "translations": {
        "type": "array",
        "description": "Texts in other languages with their state, profile addition.",
        "items": {
            "type": "object",
            "required": ["language", "name"],
            "properties": {
                "language": {"type": "string"},
                "name": {"type": "string"},
                "summary": {"type": "string"},
                "description": {"type": "string"},
                "state": {"type": "string", "enum": ["current", "outdated", "machine", "missing"]},
            },
        },
    },
    "wegweiser": {
        "type": "object",
        "description": "Wegweiser fields without an HSDS home, profile addition.",
    },
}


def _page(item: dict) -> dict:
    return {
        "allOf": [_ref("Page")],
        "type": "object",
        "required": ["total_items", "total_pages", "page_number", "size", "contents"],
        "properties": {"contents": {"type": "array", "items": item}},
    }


def _query(name: str, description: str, schema: dict, **extra) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    } | extra


PAGING = [
    _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 100000}),
    _query(
        "per_page",
        "Results per page.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    ),
]
BOOLEAN = {"type": "string", "enum": ["true", "false"]}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag from an earlier answer: 304 when nothing changed.",
    "schema": {"type": "string"},
}


def _responses(schema: dict, *, not_found: bool = False) -> dict:
    responses = {
        "200": {
            "description": "OK",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": schema}},
        },
        "304": {"description": "Not modified (If-None-Match matched the ETag)."},
        "400": {
            "description": "Invalid parameter",
            "content": {"application/problem+json": {"schema": _ref("Problem")}},
        },
    }
    if not_found:
        responses["404"] = {
            "description": "No published record with this id",
            "content": {"application/problem+json": {"schema": _ref("Problem")}},
        }
    return responses


def _get(
    operation_id: str, summary: str, schema: dict, parameters=(), not_found=False, tags=("HSDS",)
) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": list(tags),
            "parameters": [*parameters, IF_NONE_MATCH],
            "responses": _responses(schema, not_found=not_found),
        }
    }


ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}

# Downloads of every published offer: (path, operation id, summary, media type, schema).
EXPORTS = (
    (
        "services.json",
        "exportHsdsJson",
        "All services, fully nested (HSDS JSON).",
        "application/json",
        {"type": "array", "items": {"type": "object"}},
    ),
    (
        "hsds-tabular.zip",
        "exportHsdsTabular",
        "The HSDS tabular package: one CSV file per table and datapackage.json.",
        "application/zip",
        {"type": "string", "format": "binary"},
    ),
    (
        "offers.xlsx",
        "exportXlsx",
        "Spreadsheet in the import template's layout (formulas escaped).",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        {"type": "string", "format": "binary"},
    ),
    (
        "offers.ics",
        "exportIcal",
        "iCalendar feed of the dated offers.",
        "text/calendar",
        {"type": "string"},
    ),
    (
        "offers.geojson",
        "exportGeojson",
        "GeoJSON FeatureCollection of the offers' locations.",
        "application/geo+json",
        {
            "type": "object",
            "required": ["type", "features"],
            "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}},
        },
    ),
)


def _export_paths() -> dict:
    return {
        f"/api/hsds/export/{filename}": {
            "get": {
                "operationId": operation_id,
                "summary": summary,
                "tags": ["Exports"],
                "parameters": [IF_NONE_MATCH],
                "responses": {
                    "200": {
                        "description": "OK",
                        "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": {media_type: {"schema": schema}},
                    },
                    "304": {"description": "Not modified (If-None-Match matched the ETag)."},
                },
            }
        }
        for filename, operation_id, summary, media_type, schema in EXPORTS
    }


@cache
def openapi_document() -> dict:
    full = compiled("service_with_definitions")
    schemas: dict = {
        PREFIX + name: _clean(definition) for name, definition in full["definitions"].items()
    }
    service_full = _clean({k: v for k, v in full.items() if k != "definitions"})
    service_full["properties"] |= PROFILE_SERVICE_ADDITIONS
    service_full["properties"]["service_areas"] = {
        "type": "array",
        "items": {
            "allOf": [_ref(PREFIX + "service_area")],
            "properties": {"ags": {"type": "string", "pattern": "^[0-9]{5}([0-9]{3})?$"}},
        },
    }
    service_list = _clean(compiled("service_list"))
    organization_list = _clean(compiled("organization_list"))
    sal_list = _clean(compiled("service_at_location_list"))
    organization_full = {
        "allOf": [_ref(PREFIX + "organization")],
        "type": "object",
        "properties": {
            "services": {
                "type": "array",
                "items": {"anyOf": [_ref("service_list_item"), _ref("service_full")]},
            }
        },
    }
    schemas |= {
        "Page": page_schema(),
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
            },
        },
        "service_full": service_full,
        "service_list_item": service_list,
        "service_minimal": {
            "type": "object",
            "required": ["id", "name", "status"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string"},
                "status": {"type": "string"},
                "last_modified": {"type": "string", "format": "date-time"},
            },
        },
        "organization_list_item": organization_list,
        "organization_full": organization_full,
        "service_at_location_list_item": sal_list,
        "SearchResponse": _search_response(),
        "SuggestResponse": {
            "type": "object",
            "required": ["suggestions"],
            "properties": {"suggestions": {"type": "array", "items": {"type": "string"}}},
        },
    }
    languages = [code for code, _name in settings.LANGUAGES]
    paths = {
        "/api/hsds/": _get(
            "getAPIMetaInformation",
            "Version, profile and OpenAPI URL of this HSDS API.",
            {
                "type": "object",
                "required": ["version", "profile", "openapi_url"],
                "properties": {
                    "version": {"type": "string", "const": HSDS_VERSION},
                    "profile": {"type": "string", "format": "uri"},
                    "openapi_url": {"type": "string", "format": "uri"},
                },
            },
        ),
        "/api/hsds/services": _get(
            "getPaginatedListOfServices",
            "Published services; full=true nests everything, minimal=true only id, name, status.",
            _page(
                {
                    "anyOf": [
                        _ref("service_list_item"),
                        _ref("service_full"),
                        _ref("service_minimal"),
                    ]
                }
            ),
            parameters=[
                _query(
                    "search",
                    "Full-text search (the Wegweiser search engine).",
                    TEXT | {"maxLength": 200},
                ),
                *PAGING,
                _query(
                    "taxonomy_term_id", "Only services with this taxonomy term.", {"type": "string"}
                ),
                _query(
                    "taxonomy_id", "Only services with a term of this taxonomy.", {"type": "string"}
                ),
                _query(
                    "organization_id", "Only services of this organisation.", {"type": "string"}
                ),
                _query(
                    "modified_after",
                    "Only services changed on or after this ISO 8601 date or date-time.",
                    {"type": "string", "format": "date-time"},
                ),
                _query("minimal", "Only id, name, status and last_modified.", BOOLEAN),
                _query("full", "Fully nested services.", BOOLEAN),
            ],
        ),
        "/api/hsds/services/{id}": _get(
            "getServiceById",
            "One published service, fully nested.",
            _ref("service_full"),
            parameters=[ID_PARAM],
            not_found=True,
        ),
        "/api/hsds/organizations": _get(
            "getPaginatedListOfOrganizations",
            "Organisations with at least one published service.",
            _page(_ref("organization_list_item")),
            parameters=PAGING,
        ),
        "/api/hsds/organizations/{id}": _get(
            "getOrganizationById",
            "One organisation with its published services.",
            _ref("organization_full"),
            parameters=[ID_PARAM, _query("full_service", "Fully nested services.", BOOLEAN)],
            not_found=True,
        ),
        "/api/hsds/taxonomies": _get(
            "getPaginatedListOfTaxonomies",
            "The Wegweiser taxonomies (life areas, target groups).",
            _page(_ref(PREFIX + "taxonomy")),
            parameters=PAGING,
        ),
        "/api/hsds/taxonomy_terms": _get(
            "getPaginatedListOfTaxonomyTerms",
            "Life areas and target groups as taxonomy terms.",
            _page(_ref(PREFIX + "taxonomy_term")),
            parameters=[
                *PAGING,
                _query("taxonomy_id", "Only terms of this taxonomy.", {"type": "string"}),
            ],
        ),
        "/api/hsds/service_at_locations": _get(
            "getPaginatedListOfServiceAtLocations",
            "Where published services are held; near a postcode with proximity in metres.",
            _page(_ref("service_at_location_list_item")),
            parameters=[
                *PAGING,
                _query(
                    "postcode",
                    "A German postcode (five digits).",
                    {"type": "string", "pattern": "^[0-9]{5}$"},
                ),
                _query(
                    "proximity",
                    "Metres from the centre of the postcode's town (needs postcode).",
                    {"type": "integer", "minimum": 1, "maximum": MAX_PROXIMITY_METRES},
                ),
            ],
        ),
        **_export_paths(),
        "/api/v1/search": {
            "get": {
                "operationId": "search",
                "summary": "The public search of offers or information pages.",
                "tags": ["Search"],
                "parameters": [
                    _query("q", "Search words.", TEXT | {"maxLength": 200}),
                    _query(
                        "type", "What to search.", {"type": "string", "enum": ["offer", "page"]}
                    ),
                    _query("lang", "Language of the texts.", {"type": "string", "enum": languages}),
                    _query(
                        "limit",
                        "Results per page.",
                        {"type": "integer", "minimum": 1, "maximum": 50},
                    ),
                    _query(
                        "page", "Page number.", {"type": "integer", "minimum": 1, "maximum": 10000}
                    ),
                    _query(
                        "town",
                        "Town slug (repeatable).",
                        {"type": "array", "items": {"type": "string"}},
                        style="form",
                        explode=True,
                    ),
                    *_search_filters(),
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": _ref("SearchResponse")}},
                    },
                    "400": {
                        "description": "Invalid parameter",
                        "content": {"application/problem+json": {"schema": _ref("Problem")}},
                    },
                },
            }
        },
        "/api/v1/suggest": {
            "get": {
                "operationId": "suggest",
                "summary": "Titles for the autocomplete of the search box.",
                "tags": ["Search"],
                "parameters": [
                    _query("q", "The typed text.", TEXT | {"maxLength": 60}),
                    _query(
                        "type", "What to suggest.", {"type": "string", "enum": ["offer", "page"]}
                    ),
                    _query(
                        "lang",
                        "Language of the names besides German.",
                        {"type": "string", "enum": languages},
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": _ref("SuggestResponse")}},
                    },
                    "400": {
                        "description": "Invalid parameter",
                        "content": {"application/problem+json": {"schema": _ref("Problem")}},
                    },
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wegweiser open data and search API",
            "version": "1.0.0",
            "description": (
                "HSDS 3.0 (Open Referral) with the Wegweiser German-integration profile "
                f"({PROFILE_URI}), and the public search. HSDS schemas: Human Services Data "
                "Specification, an Open Referral resource (https://openreferral.org/), CC BY-SA 4.0."
            ),
            "license": {"name": "EUPL-1.2 (software); CC BY-SA 4.0 (HSDS schemas)"},
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _search_filters() -> list[dict]:
    """The offer search's filters (type=offer): AND across filters, OR within one."""
    from wegweiser.offers.constants import ACCESSIBILITY_FEATURES, Cost
    from wegweiser.search.geo import MAX_RADIUS_KM

    def repeatable(name: str, description: str, items: dict) -> dict:
        schema = {"type": "array", "items": items}
        return _query(name, f"{description} (repeatable).", schema, style="form", explode=True)

    one = {"type": "string", "enum": ["1"]}
    return [
        repeatable("town", "Town slug", {"type": "string"}),
        repeatable("life_area", "Life-area slug", {"type": "string"}),
        repeatable("target_group", "Target-group slug", {"type": "string"}),
        repeatable("language", "A language the offer is held in", {"type": "string"}),
        repeatable("cost", "Cost", {"type": "string", "enum": [c.value for c in Cost]}),
        repeatable(
            "access",
            "Accessibility feature",
            {"type": "string", "enum": list(ACCESSIBILITY_FEATURES)},
        ),
        _query("open_now", "Only offers open now.", one),
        _query("online", "Only offers held online.", one),
        _query(
            "near", "Town name or postcode to measure distances from.", TEXT | {"maxLength": 100}
        ),
        _query(
            "lat",
            "Latitude of a position (with lon).",
            {"type": "number", "minimum": -90, "maximum": 90},
        ),
        _query(
            "lon",
            "Longitude of a position (with lat).",
            {"type": "number", "minimum": -180, "maximum": 180},
        ),
        _query(
            "radius_km",
            "Only offers within this distance of near or lat/lon.",
            {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM},
        ),
        _query(
            "help",
            "1: also what the result page offers: filters_in_words, zero_result_help.",
            one,
        ),
        _query(
            "sort",
            "distance: nearest first (the default without words when a place is given).",
            {"type": "string", "enum": ["relevance", "distance"]},
        ),
    ]


def _search_response() -> dict:
    suggestion = {
        "description": "A further search: its label (in fewer_filters: the filter it drops), "
        "the offers it finds and its request.",
        "type": "object",
        "required": ["label", "count", "params", "url"],
        "properties": {
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 1},
            "params": {
                "type": "object",
                "additionalProperties": {
                    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                },
            },
            "url": {"type": "string"},
        },
    }
    suggestions = {"type": "array", "items": suggestion}
    link = {  # an offer or a page by id, title and address
        "type": "object",
        "required": ["id", "title", "url"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "title": {"type": "string"},
            "url": {"type": "string"},
        },
    }
    facet = {
        "type": "object",
        "required": ["value", "label", "count", "selected"],
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer"},
            "selected": {"type": "boolean"},
        },
    }
    return {
        "type": "object",
        "required": ["count", "did_you_mean", "results", "facets"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "did_you_mean": {"type": ["string", "null"]},
            "by_meaning": {
                "description": "No document holds the words of a German query, not even by a "
                "typo, a synonym or a compound part: the results are the few closest in meaning.",
                "type": "boolean",
            },
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "id", "title", "snippet", "url"],
                    "properties": {
                        "type": {"type": "string", "enum": ["offer", "page"]},
                        "id": {"type": "string", "format": "uuid"},
                        "source_id": {"type": ["string", "null"]},
                        "title": {"type": "string"},
                        "snippet": {"type": "string"},
                        "score": {"type": ["number", "null"]},
                        "url": {"type": "string"},
                        "distance_km": {
                            "description": "With near or lat/lon.",
                            "type": ["number", "null"],
                        },
                    },
                },
            },
            "near": {
                "description": "The place distances are measured from.",
                "type": ["string", "null"],
            },
            "nearest_to": {
                "description": "A town named in the words where no offer found is: the offers "
                "nearest to it come first (type=offer).",
                "type": ["string", "null"],
            },
            "facets": {"type": "object", "additionalProperties": {"type": "array", "items": facet}},
            "filters_in_words": {
                "description": "Filters the words name (a town, a language, free of charge ...), "
                "each as the search with the words moved into the filter (help=1, first page).",
                **suggestions,
            },
            "zero_result_help": {
                "description": "When nothing was found (help=1, first page): fewer filters, nearby "
                "towns, related life areas and information pages.",
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["fewer_filters", "nearby_towns", "life_areas", "pages"],
                        "properties": {
                            "fewer_filters": suggestions,
                            "nearby_towns": suggestions,
                            "life_areas": suggestions,
                            "pages": {"type": "array", "items": link},
                        },
                    },
                ],
            },
            "guide_pages": {
                "description": "When the results were found by meaning only (by_meaning; help=1, "
                "first page): the guide's pages for the words.",
                "type": "array",
                "items": link,
            },
            "inactive": {
                "description": "Offers that ended, listed only when the query is exactly their name.",
                "type": "array",
                "items": link,
            },
        },
    }


def profile_document() -> dict:
    """A machine-readable summary of docs/hsds-profile.md, with the tightened service schema."""
    from .schemas import profile_service_schema

    return {
        "service_schema": profile_service_schema(),
        "name": "Wegweiser German-integration profile for HSDS 3.0",
        "uri": PROFILE_URI,
        "hsds_version": HSDS_VERSION,
        "documentation": "docs/hsds-profile.md",
        "required": {"service": ["assured_date", "summary", "service_areas"]},
        "additions": {
            "service.summary": "short summary in German",
            "service.translations": "per-language texts (language, name, summary, description, state)",
            "service.wegweiser": "cost, registration_required, childcare, is_online, is_on_site, valid_from, valid_until, last_verified_at",
            "service_area.ags": "official municipality key (Amtlicher Gemeindeschlüssel), 5 or 8 digits; also uri urn:de:ags:<AGS>",
            "location.external_identifier": "AGS of the town (external_identifier_type 'ags')",
        },
        "taxonomies": ["wegweiser-life-areas", "wegweiser-target-groups"],
    }
