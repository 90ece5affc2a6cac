"""Issue 15 ("Errors"): an invalid value in any enum or choice field of any POST/PATCH body is
422 problem+json naming the field, never a 500. The fields are discovered from the OpenAPI
document, so a new endpoint is covered without touching this test."""

from __future__ import annotations

import re
from typing import Any

import pytest

from config.api import api

INVALID = "not-a-choice\u2603"


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _has_enum(schema: dict[str, Any], document: dict[str, Any]) -> bool:
    schema = _resolve(schema, document)
    if "enum" in schema:
        return True
    alternatives = schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", [])
    items = [schema["items"]] if isinstance(schema.get("items"), dict) else []
    return any(_has_enum(part, document) for part in alternatives + items)


def _choice_fields() -> list[tuple[str, str, str, bool]]:
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _resolve(content["application/json"]["schema"], document)
            for name, field in body.get("properties", {}).items():
                if _has_enum(field, document):
                    is_list = _resolve(field, document).get("type") == "array" or any(
                        _resolve(part, document).get("type") == "array"
                        for part in field.get("anyOf", [])
                    )
                    found.append((method, path, name, is_list))
    return found


CHOICE_FIELDS = _choice_fields()


def test_the_document_has_the_choice_fields_of_the_issue():
    names = {(path, name) for _method, path, name, _list in CHOICE_FIELDS}
    assert ("/api/v1/impact/frameworks/{framework_id}/indicators", "direction") in names
    assert ("/api/v1/campaigns/activities", "activity_type") in names
    assert ("/api/v1/directory/partnerships", "purpose") in names
    assert len(CHOICE_FIELDS) >= 15


@pytest.mark.parametrize(
    ("method", "path", "name", "is_list"),
    CHOICE_FIELDS,
    ids=[f"{method} {path} {name}" for method, path, name, _ in CHOICE_FIELDS],
)
def test_an_invalid_choice_is_422_naming_the_field(
    client_for, network_coordinator, world, method, path, name, is_list
):
    url = re.sub(r"\{[^}]+\}", "1", path)
    value: Any = [INVALID] if is_list else INVALID
    response = getattr(client_for(network_coordinator), method)(
        url, {name: value}, content_type="application/json"
    )
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    named = {str(part) for error in response.json()["errors"] for part in error["loc"]}
    assert name in named
