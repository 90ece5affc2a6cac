"""Issue 21: the conventions hold for every operation of the OpenAPI document — found in the
document, not in a hand list, so an endpoint added later is checked too.

- every list (a GET answering many items) pages the same way: ``page`` and ``page_size`` in;
  ``count``, ``next``, ``previous``, ``page``, ``page_size`` and ``items`` out; no GET answers
  a bare array;
- every operation has a summary, at least one documented 4xx answer in the problem schema,
  and an example for its request body and its successful JSON answer that its schema accepts.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from config.api import api

PAGE_FIELDS = {"count", "next", "previous", "page", "page_size", "items"}
PROBLEM = "#/components/schemas/Problem"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def json_answers(operation: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (str(status), answer["content"]["application/json"])
        for status, answer in operation["responses"].items()
        if str(status).startswith("2") and "application/json" in answer.get("content", {})
    ]


def test_the_document_has_the_lists_of_every_app(document):
    lists = {
        path
        for method, path, operation in operations(document)
        if method == "get" and is_list(operation, document)
    }
    for path in (
        "/api/v1/directory/organisations",
        "/api/v1/campaigns/activities",
        "/api/v1/impact/rounds",
        "/api/v1/consultations/consultations",
        "/api/v1/meetings/meetings",
        "/api/v1/reports/published",
    ):
        assert path in lists


def is_list(operation: dict[str, Any], document: dict[str, Any]) -> bool:
    for _status, body in json_answers(operation):
        schema = resolve(body["schema"], document)
        if schema.get("type") == "array":
            return True
        items = schema.get("properties", {}).get("items", {})
        if items.get("type") == "array":
            return True
    return False


def test_no_read_answers_a_bare_array(document):
    bare = [
        path
        for method, path, operation in operations(document)
        if method == "get"
        for _status, body in json_answers(operation)
        if resolve(body["schema"], document).get("type") == "array"
    ]
    assert bare == [], "list operations must be paged (peaceworks.core.pagination.paginate)"


def test_every_list_pages_the_same_way(document):
    wrong = []
    for method, path, operation in operations(document):
        if method != "get" or not is_list(operation, document):
            continue
        schema = resolve(json_answers(operation)[0][1]["schema"], document)
        parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
        if set(schema.get("properties", {})) != PAGE_FIELDS or set(schema["required"]) != (
            PAGE_FIELDS
        ):
            wrong.append(f"{path}: answers {sorted(schema.get('properties', {}))}")
        size = parameters.get("page_size", {}).get("schema", {})
        if "page" not in parameters or size.get("maximum") is None:
            wrong.append(f"{path}: no page or no bounded page_size parameter")
    assert wrong == []


def test_every_operation_has_a_summary_and_documented_problems(document):
    missing = []
    for method, path, operation in operations(document):
        if not operation.get("summary", "").strip():
            missing.append(f"{method} {path}: no summary")
        problems = [
            status
            for status, answer in operation["responses"].items()
            if str(status).startswith("4")
            and answer.get("content", {})
            .get("application/problem+json", {})
            .get("schema", {})
            .get("$ref")
            == PROBLEM
        ]
        if not problems:
            missing.append(f"{method} {path}: no 4xx problem answer")
    assert missing == []


def validator(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    """Draft 2020-12 (OpenAPI 3.1), formats checked, ``$ref`` resolved in the document."""
    return jsonschema_rs.Draft202012Validator(
        {**schema, "components": document["components"]}, validate_formats=True
    )


def test_every_body_and_success_has_an_example_its_schema_accepts(document):
    problems = []
    for method, path, operation in operations(document):
        bodies = json_answers(operation)
        request = operation.get("requestBody", {}).get("content", {})
        bodies += [("request", content) for content in request.values()]
        if not bodies and method != "delete" and not operation["responses"].get(204):
            continue
        for where, body in bodies:
            example = body.get("example", body.get("examples"))
            if example is None and "example" not in body:
                problems.append(f"{method} {path} {where}: no example")
                continue
            errors = list(validator(body["schema"], document).iter_errors(example))
            if errors:
                problems.append(f"{method} {path} {where}: {errors[0].message}")
    assert problems == []


def test_an_operations_own_written_example_is_kept(document):
    """A schema's written example is the example shown, not an assembled one."""
    body = document["paths"]["/api/v1/directory/organisations"]["post"]["requestBody"]
    assert body["content"]["application/json"]["example"]["code"] == "ORG-KE-PEACE"
