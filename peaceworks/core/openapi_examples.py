"""An example for every JSON body of the OpenAPI document.

Each request body and each successful JSON answer of the document carries an ``example``: the
one written on its schema (``json_schema_extra={"examples": [...]}`` of a ninja ``Schema``,
used as it stands) or, where none is written, one assembled from the schema itself — each
property from its own written example, its default, its first allowed value, or a value of its
type and format within its bounds. ``tests/api/test_conventions.py`` validates every example
against its schema, so an example never contradicts the contract it illustrates.
"""

from __future__ import annotations

import re
from typing import Any

JSON = "application/json"

_FORMATS = {
    "date-time": "2026-03-01T09:30:00Z",
    "date": "2026-03-01",
    "time": "09:30:00Z",
    "uuid": "3f1c2a7e-4b5d-4c8e-9f0a-1b2c3d4e5f60",
    "email": "coordinator@example.org",
    "uri": "https://example.org/",
    "binary": "",
}


def add_examples(document: dict[str, Any]) -> None:
    """Give every request body (JSON or multipart) and 2xx JSON answer of ``document`` an
    ``example``."""
    components = document.get("components", {}).get("schemas", {})
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            bodies = list(operation.get("requestBody", {}).get("content", {}).values())
            bodies += [
                answer.get("content", {}).get(JSON)
                for status, answer in operation.get("responses", {}).items()
                if str(status).startswith("2")
            ]
            for body in bodies:
                if body and "schema" in body and "example" not in body:
                    body["example"] = example_of(body["schema"], components)


def example_of(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A value that ``schema`` accepts (``$ref`` resolved in ``components``)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("examples", "example", "default", "const", "enum"):
        if key in schema:
            value = schema[key]
            return value[0] if key in {"examples", "enum"} and value else value
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [option for option in schema[key] if option.get("type") != "null"]
            return example_of((options or schema[key])[0], components, depth + 1)
    if "allOf" in schema:
        return example_of(schema["allOf"][0], components, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((item for item in kind if item != "null"), "null")
    if kind == "object" or "properties" in schema:
        return _object(schema, components, depth)
    if kind == "array":
        if depth > 6 or schema.get("maxItems") == 0:
            return []
        return [example_of(schema.get("items", {}), components, depth + 1)]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if kind == "string":
        return _string(schema)
    return None


def _object(schema: dict[str, Any], components: dict[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties", {})
    if depth > 6:
        return dict.fromkeys(schema.get("required", []))
    return {
        name: example_of(property_schema, components, depth + 1)
        for name, property_schema in properties.items()
    }


# Tried in turn against a field's ``pattern`` (codes, country codes, slugs, numbers).
_PATTERNED = ("example", "KE", "ke", "EXAMPLE-1", "example-1", "1", "x")


def _string(schema: dict[str, Any]) -> str:
    text = _FORMATS.get(schema.get("format", ""), "example")
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        text = next((item for item in _PATTERNED if pattern.search(item)), text)
    minimum, maximum = schema.get("minLength", 0), schema.get("maxLength")
    if len(text) < minimum:
        text = text + "x" * (minimum - len(text))
    if maximum is not None and len(text) > maximum:
        text = text[:maximum]
    return text
