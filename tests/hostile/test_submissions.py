"""Hostile bodies for the public submission API (problem+json 4xx) and the no-JS respondent
form (a page, never a 500): nothing stored, bounded time and memory, no outbound connection."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from peaceworks.impact.api import SUBMISSION_MAX_BYTES
from peaceworks.impact.models import Response, Round
from peaceworks.impact.services.responses import MAX_TEXT
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
    # the resident set, native memory included: the 600,000-key body, parsed, grew it by about
    # 240 MB (tracemalloc saw 0.1 MB of it); it is now refused before it is parsed
    response = measure(
        lambda: client.generic("POST", url, body, content_type=payload.content_type)
    ).response
    assert response.status_code in payload.status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == response.status_code
    assert problem["detail"]
    if payload.message:
        assert re.search(payload.message, json.dumps(problem), re.IGNORECASE), problem
    assert row_counts() == before


def _largest_honest(*, language: str, consent_version: str) -> bytes:
    """A submission as large as the schema lets an honest one be: 1,000 answers, each a
    60-character code with 2,000 characters of 4 UTF-8 bytes, 1,000 retrospective answers,
    the matching code at its longest, pretty-printed."""
    text = "\N{GRINNING FACE}" * MAX_TEXT
    return json.dumps(
        {
            "submission_id": str(uuid.uuid4()),
            "language": language,
            "consent_version": consent_version,
            "sensitive_consent": False,
            "quote_consent": False,
            "matching_code": "\N{GRINNING FACE}" * 60,
            "answers": {f"{i:060d}": text for i in range(1000)},
            "then_answers": {f"{i:060d}": -(10**9) for i in range(1000)},
        },
        ensure_ascii=False,
        indent=4,
    ).encode()


def test_the_largest_honest_submission_is_under_the_cap_and_is_parsed(
    survey_round: Round,
) -> None:
    longest = _largest_honest(language="e" * 8, consent_version="\N{GRINNING FACE}" * 20)
    assert len(longest) <= SUBMISSION_MAX_BYTES
    url = f"/api/v1/impact/public/rounds/{survey_round.token}/responses"
    body = _largest_honest(language="en", consent_version=survey_round.instrument.consent_version)
    response = measure(
        lambda: Client().generic("POST", url, body, content_type="application/json")
    ).response
    # parsed and checked by the service: its questions are not this survey's
    assert response.status_code in (400, 422), response.content[:500]
    assert "is not asked in this survey" in response.json()["detail"]


def test_a_body_over_the_largest_honest_submission_is_refused_before_it_is_parsed(
    survey_round: Round,
) -> None:
    url = f"/api/v1/impact/public/rounds/{survey_round.token}/responses"
    body = b"{" + b" " * SUBMISSION_MAX_BYTES + b"}"  # valid JSON, one byte over with the braces
    before = row_counts()
    response = measure(
        lambda: Client().generic("POST", url, body, content_type="application/json")
    ).response
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "too_large"
    assert "7.8 MB" in problem["detail"], problem
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
