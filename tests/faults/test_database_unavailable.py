"""A database that is briefly unreachable or busy answers 503 with Retry-After, never 500:
problem+json on the API, a short translated page elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from peaceworks.impact import api as impact_api
from peaceworks.impact.views import public as impact_public

pytestmark = pytest.mark.django_db

SUBMISSION = {
    "submission_id": "00000000-0000-4000-8000-000000000001",
    "language": "en",
    "consent_version": "1",
    "answers": {},
}


def _down(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("server closed the connection unexpectedly")


def _gone(*args: Any, **kwargs: Any) -> Any:
    raise InterfaceError("connection already closed")


@pytest.mark.parametrize("failure", [_down, _gone], ids=["operational", "interface"])
def test_api_answers_503_problem_with_retry_after_when_the_database_is_down(
    monkeypatch: pytest.MonkeyPatch, failure: Any
) -> None:
    monkeypatch.setattr(impact_api, "round_get_public", failure)
    response = Client().post(
        "/api/v1/impact/public/rounds/any/responses", SUBMISSION, content_type="application/json"
    )
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 503


def test_page_answers_503_with_retry_after_in_the_visitors_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(impact_public, "round_get_public", _down)
    response = Client().get("/impact/s/any/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "brièvement indisponible" in response.content.decode()


def test_other_errors_are_not_disguised_as_503(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("a bug")

    monkeypatch.setattr(impact_api, "round_get_public", broken)
    with pytest.raises(ValueError, match="a bug"):
        Client().post(
            "/api/v1/impact/public/rounds/any/responses",
            SUBMISSION,
            content_type="application/json",
        )


def test_api_answers_503_even_when_debug_would_show_a_traceback(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.DEBUG = True
    monkeypatch.setattr(impact_api, "round_get_public", _down)
    response = Client().post(
        "/api/v1/impact/public/rounds/any/responses", SUBMISSION, content_type="application/json"
    )
    assert response.status_code == 503
    assert response["Retry-After"]
