"""Issue 13.9: every answer of the API that is not a success is problem+json with a stable
``code`` (an unknown path, a wrong method, an oversized body, a crash in production), and the
OpenAPI document declares the error answers of every operation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from config.api import api
from peaceworks.core import problems
from peaceworks.core.problems import server_error

PROBLEM = "application/problem+json"


def test_an_unknown_api_path_is_a_problem_404(client, db):
    response = client.get("/api/v1/no-such-thing/42")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_outside_the_api_stays_html(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_wrong_method_is_a_problem_405_with_allow(client_for, network_coordinator):
    response = client_for(network_coordinator).delete("/api/v1/accounts/me")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_an_oversized_body_is_a_problem_413(client, settings, db):
    settings.MAX_UPLOAD_MB = 1
    response = client.post(
        "/api/v1/directory/stakeholders",
        data=b"[" * (1024 * 1024 + 1),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "too_large"


def test_a_crash_in_production_is_a_problem_500_without_the_message(
    client_for, network_coordinator, monkeypatch
):
    """The crash is simulated (no endpoint is known to crash): the handler is what is tested."""

    def crash(**kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("peaceworks.accounts.api.membership_list_for_user", crash)
    client = client_for(network_coordinator)
    client.raise_request_exception = False
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "server_error"
    assert "secret detail" not in response.content.decode()


def test_the_500_handler_answers_problem_json_under_the_api_and_html_elsewhere(rf):
    assert server_error(rf.get("/api/v1/x"))["Content-Type"] == PROBLEM
    assert server_error(rf.get("/x"))["Content-Type"].startswith("text/html")


def test_a_model_validation_error_from_a_service_is_422_naming_the_field(
    client_for, network_coordinator, world
):
    """``indicator_save`` calls ``full_clean()``, which refuses an empty name."""
    response = client_for(network_coordinator).post(
        f"/api/v1/impact/frameworks/{world.framework.pk}/indicators",
        {
            "code": "new-indicator",
            "name": {},
            "kind": "output",
            "aggregation": "sum",
            "output_key": "activities",
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["field"] == "name"
    assert body["errors"][0]["loc"] == ["body", "name"]


def test_every_operation_declares_its_error_answers(db):
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {400, 404, 422, 500} <= declared, (method, path)
            if operation.get("security"):
                assert {401, 403} <= declared, (method, path)
            if method in {"post", "patch"}:
                assert {409, 413} <= declared, (method, path)


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_document_and_its_docs_page_answer(client, db, path):
    assert client.get(path).status_code == 200


def test_reverse_of_the_api_still_works(db):
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"


def test_a_signed_out_call_is_a_problem_401(db):
    response = Client().get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_document_is_built_once_per_language(db):
    english = api.get_openapi_schema(path_prefix="/api/v1/")
    assert api.get_openapi_schema(path_prefix="/api/v1/") is english
    with translation.override("fr"):
        french = api.get_openapi_schema(path_prefix="/api/v1/")
    assert french is not english
    not_found = {
        document["paths"]["/api/v1/accounts/me"]["get"]["responses"][404]["description"]
        for document in (english, french)
    }
    assert not_found == {str(problems.title_for(404)), _french_title(404)}


def _french_title(status: int) -> str:
    with translation.override("fr"):
        return str(problems.title_for(status))
