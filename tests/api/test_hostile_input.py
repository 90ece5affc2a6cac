"""Issue 13.9 and 13.10: out-of-range numbers, nulls, unreadable bodies and hostile text get a
4xx problem+json naming the field, never a 500 (bounded types of ``core/schemas.py``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

HUGE = 2**70  # 1180591620717411303424
PROBLEM = "application/problem+json"


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"]
    return body


def _fields(body: dict[str, Any]) -> set[str]:
    return {str(error["loc"][-1]) for error in body.get("errors", [])} | {str(body.get("field"))}


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/campaigns/activities?page={HUGE}",
        "/api/v1/campaigns/activities?page=0",
        f"/api/v1/campaigns/activities?campaign_id={HUGE}",
        f"/api/v1/directory/organisations?page={HUGE}",
        f"/api/v1/directory/organisations?network={HUGE}",
        f"/api/v1/impact/rounds?activity_id={HUGE}",
        f"/api/v1/campaigns/activities/{HUGE}",
        f"/api/v1/directory/organisations/{HUGE}",
        f"/api/v1/impact/instruments/{HUGE}",
    ],
)
def test_out_of_range_numbers_in_the_url_are_422(client_for, network_coordinator, world, path):
    _assert_problem(client_for(network_coordinator).get(path), 422)


@pytest.mark.parametrize(("parameter", "value"), [("page", -1), ("page", HUGE), ("page_size", 201)])
def test_an_out_of_range_page_of_responses_is_422(
    client_for, network_coordinator, world, parameter, value
):
    response = client_for(network_coordinator).get(
        f"/api/v1/impact/rounds/{world.round.pk}/responses?{parameter}={value}"
    )
    assert parameter in _fields(_assert_problem(response, 422))


def test_null_acronym_of_an_organisation_is_422(client_for, network_coordinator, world):
    response = client_for(network_coordinator).patch(
        f"/api/v1/directory/organisations/{world.organisation.pk}",
        {"acronym": None},
        content_type="application/json",
    )
    assert "acronym" in _fields(_assert_problem(response, 422))


def test_null_description_of_a_stakeholder_is_422(client_for, network_coordinator, world):
    response = client_for(network_coordinator).patch(
        f"/api/v1/directory/stakeholders/{world.stakeholder.pk}",
        {"description": None},
        content_type="application/json",
    )
    assert "description" in _fields(_assert_problem(response, 422))


def test_a_huge_organisation_id_in_a_partnership_is_422(client_for, network_coordinator, world):
    response = client_for(network_coordinator).post(
        "/api/v1/directory/partnerships",
        {"code": "p2", "title": "Grant", "purpose": "funder", "organisation_ids": [2**100]},
        content_type="application/json",
    )
    _assert_problem(response, 422)


@pytest.mark.parametrize("enforce_csrf_checks", [False, True])
def test_multipart_without_a_boundary_is_a_client_error(
    network_coordinator, world, enforce_csrf_checks
):
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(network_coordinator)
    response = client.post(
        "/api/v1/directory/stakeholders",
        data=b'{"code": "x"}',
        content_type="multipart/form-data",
    )
    assert response.status_code in {400, 403, 422}
    _assert_problem(response, response.status_code)


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\u2066"])
def test_control_characters_in_a_title_are_422_naming_the_field(
    client_for, network_coordinator, world, character
):
    response = client_for(network_coordinator).patch(
        f"/api/v1/campaigns/activities/{world.activity.pk}",
        {"title": f"Peace{character}camp"},
        content_type="application/json",
    )
    assert "title" in _fields(_assert_problem(response, 422))
    world.activity.refresh_from_db()
    assert world.activity.title == "Activity 1"


def test_a_nul_byte_in_a_city_is_422(client_for, network_coordinator, world):
    response = client_for(network_coordinator).patch(
        f"/api/v1/directory/organisations/{world.organisation.pk}",
        {"city": "Nai\x00robi"},
        content_type="application/json",
    )
    assert "city" in _fields(_assert_problem(response, 422))


def test_a_one_megabyte_goal_description_is_422(client_for, network_coordinator, world):
    plan = client_for(network_coordinator).post(
        "/api/v1/campaigns/plans",
        {"campaign_id": world.campaign.pk, "title": "Plan", "start_year": 2026, "end_year": 2028},
        content_type="application/json",
    )
    assert plan.status_code == 201
    response = client_for(network_coordinator).post(
        "/api/v1/campaigns/goals",
        {"plan_id": plan.json()["id"], "title": "Goal", "description": "x" * 1_000_000},
        content_type="application/json",
    )
    assert "description" in _fields(_assert_problem(response, 422))


def test_a_nul_byte_in_a_free_text_answer_is_422(client, world):
    response = client.post(
        f"/api/v1/impact/public/rounds/{world.round.token}/responses",
        json.dumps(
            {
                "submission_id": "6f1c1a52-3a7e-4e59-a1f4-1b2c3d4e5f60",
                "language": "en",
                "consent_version": "1",
                "answers": {"comment": "fine\x00"},
            }
        ),
        content_type="application/json",
    )
    body = _assert_problem(response, 422)
    assert body["field"] == "answers"
    assert "comment" in body["errors"][0]["msg"]  # the answer is named inside the field


def test_text_within_the_limits_is_stored(client_for, network_coordinator, world):
    response = client_for(network_coordinator).patch(
        f"/api/v1/directory/stakeholders/{world.stakeholder.pk}",
        {"description": "Ünïcode — كلمة — 字", "acronym": ""},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["description"] == "Ünïcode — كلمة — 字"
