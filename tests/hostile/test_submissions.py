"""Hostile bodies for the public submission API (problem+json 4xx) and the no-JS respondent
form (a page, never a 500): nothing stored, bounded time and memory, no outbound connection."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from peaceworks.impact.models import Response, Round
from scripts import hostile_corpus
from scripts.hostile_corpus import Payload
from tests.hostile.conftest import measure, row_counts, warm


def _valid(survey_round: Round) -> dict[str, Any]:
    return {
        "submission_id": str(uuid.uuid4()),
        "language": "en",
        "consent_version": survey_round.instrument.consent_version,
        "matching_code": "AB12CD",
        "answers": {"t4_conflict": 4},
    }


@pytest.mark.parametrize(
    "payload", [pytest.param(p, id=p.name) for p in hostile_corpus.json_items()]
)
def test_hostile_body_gets_problem_details_and_stores_nothing(
    payload: Payload, survey_round: Round
) -> None:
    url = f"/api/v1/impact/public/rounds/{survey_round.token}/responses"
    if payload.body is not None:
        body = payload.body()
    else:
        body = json.dumps({**_valid(survey_round), **(payload.fields or {})}).encode()
    before = row_counts()
    client = Client()
    warm(client, f"/impact/s/{survey_round.token}/")
    # traced: the 600,000-key body grows the resident set by about 240 MB of native memory
    # (tracemalloc sees 0.1 MB of it), so a resident bound of 256 MB would sit at its edge
    response = measure(
        lambda: client.generic("POST", url, body, content_type=payload.content_type),
        traced=True,
    ).response
    assert response.status_code in payload.status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == response.status_code
    assert problem["detail"]
    if payload.message:
        assert re.search(payload.message, json.dumps(problem), re.IGNORECASE), problem
    assert row_counts() == before


def test_a_valid_submission_still_passes_the_guards(survey_round: Round) -> None:
    url = f"/api/v1/impact/public/rounds/{survey_round.token}/responses"
    response = measure(
        lambda: Client().post(url, _valid(survey_round), content_type="application/json")
    ).response
    assert response.status_code == 201, response.content
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "body"), [pytest.param(n, b, id=n) for n, b in hostile_corpus.form_items()]
)
def test_hostile_form_post_gets_a_page_and_stores_nothing(
    name: str, body: bytes, survey_round: Round
) -> None:
    url = f"/impact/s/{survey_round.token}/en/"
    before = row_counts()
    client = Client()
    warm(client, url)
    response = measure(
        lambda: client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
    ).response
    # a tampered or expired state starts the survey again (200); bad fields are a 400
    assert response.status_code in (200, 400), response.content[:500]
    assert "text/html" in response["Content-Type"]
    assert row_counts() == before
