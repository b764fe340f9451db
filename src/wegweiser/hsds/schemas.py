"""The official HSDS 3.0 schemas shipped in ./schema (copied, CC BY-SA 4.0, see schema/README.md)."""

import json
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent / "schema"
COMPILED_DIR = SCHEMA_DIR / "compiled"
EXAMPLES_DIR = SCHEMA_DIR / "examples"


@cache
def compiled(name: str) -> dict:
    """A compiled schema by file name without .json (service_with_definitions, service_list ...)."""
    return json.loads((COMPILED_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def official_openapi() -> dict:
    return json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))


def page_schema() -> dict:
    return official_openapi()["components"]["schemas"]["Page"]


def definition(name: str) -> dict:
    """A definition of the compiled service schema (taxonomy, taxonomy_term, location ...),
    with the other definitions beside it so that its references resolve."""
    full = compiled("service_with_definitions")
    return {"$ref": f"#/definitions/{name}", "definitions": full["definitions"]}


def page_of(item_schema: dict) -> dict:
    """The paging envelope of the HSDS API around items of `item_schema`."""
    schema = {
        "allOf": [page_schema()],
        "type": "object",
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {"contents": {"type": "array", "items": {"$ref": "#/$defs/item"}}},
        "$defs": {"item": item_schema},
    }
    if "definitions" in item_schema:
        schema["definitions"] = item_schema["definitions"]
        schema["$defs"]["item"] = {k: v for k, v in item_schema.items() if k != "definitions"}
    return schema
