"""Issue 15 ("Errors"): an invalid value in any enum or choice field of any POST/PATCH body is
422 problem+json naming the field, never a 500. The fields are discovered from the OpenAPI
document, so a new endpoint is covered without touching this test."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from config.api import api
from conftest import PASSWORD
from peaceworks.accounts.models import Role, User
from peaceworks.accounts.services import membership_grant, user_create
from peaceworks.directory.models import Organisation
from peaceworks.directory.tests.factories import make_partnership, make_stakeholder
from peaceworks.impact.services import framework_install_default
from tests.conftest import campaign_build, survey_round_build

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


@dataclass(frozen=True)
class _Built:
    network_coordinator: int


@pytest.fixture(scope="module")
def built(module_transaction: Any) -> _Built:
    """The network coordinator and the API tests' small network (``tests/api/conftest.py``'s
    ``world``), written once for the module, in the order and so with the primary keys the
    per-test fixtures gave them: the URLs address ``1`` for every identifier. Every request
    is refused (422) and each test runs in a savepoint of its own, as ever."""
    with module_transaction.unblock():
        secretariat = Organisation.objects.create(
            name="Secretariat", code="secretariat", country="FR", is_secretariat=True
        )
        coordinator = user_create(
            email=f"{Role.NETWORK_COORDINATOR}.secretariat@example.org", password=PASSWORD
        )
        membership_grant(user=coordinator, organisation=secretariat, role=Role.NETWORK_COORDINATOR)
        organisation = Organisation.objects.create(
            name="Own Organisation", code="own", country="KE"
        )
        campaign = campaign_build()
        framework_install_default(actor=None, campaign=campaign)
        survey_round_build(campaign=campaign, organisation=organisation)
        stakeholder = make_stakeholder(coordinator)
        make_partnership(coordinator, stakeholders=[stakeholder], organisations=[organisation])
    return _Built(network_coordinator=coordinator.pk)


@pytest.fixture
def network_coordinator(db: None, built: _Built) -> User:
    """The module's network coordinator, read again (a test may change its own copy)."""
    return User.objects.get(pk=built.network_coordinator)


@pytest.mark.parametrize(
    ("method", "path", "name", "is_list"),
    CHOICE_FIELDS,
    ids=[f"{method} {path} {name}" for method, path, name, _ in CHOICE_FIELDS],
)
def test_an_invalid_choice_is_422_naming_the_field(
    client_for, network_coordinator, method, path, name, is_list
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
