"""The strategy's write endpoints: network staff create and patch; readers 403, others 404."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Campaign, Goal, Objective, Plan
from peaceworks.campaigns.services import action_create, goal_create, objective_create, plan_create
from peaceworks.directory.models import Organisation

Clients = Callable[[User | None], Client]
BASE = "/api/v1/campaigns"


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(
        method, f"{BASE}{url}", data=json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def plan(network_coordinator: User, campaign: Campaign) -> Plan:
    return plan_create(
        actor=network_coordinator,
        campaign=campaign,
        title="Strategy",
        start_year=2027,
        end_year=2028,
    )


@pytest.fixture
def objective(network_coordinator: User, plan: Plan) -> Objective:
    goal = goal_create(actor=network_coordinator, plan=plan, title="Grow")
    return objective_create(actor=network_coordinator, goal=goal, title="More camps")


@pytest.fixture
def action(network_coordinator: User, objective: Objective, organisation: Organisation) -> Action:
    return action_create(
        actor=network_coordinator,
        objective=objective,
        title="Recruit hosts",
        start_date=date(2027, 1, 1),
        due_date=date(2027, 12, 31),
        owner_organisation=organisation,
    )


def test_network_coordinator_writes_a_whole_plan_through_the_api(
    client_for: Clients,
    network_coordinator: User,
    campaign: Campaign,
    organisation: Organisation,
    org_member: User,
) -> None:
    client = client_for(network_coordinator)
    plan = _send(
        client,
        "POST",
        "/plans",
        {"campaign_id": campaign.pk, "title": "Strategy", "start_year": 2027, "end_year": 2028},
    )
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    reflection = _send(
        client,
        "POST",
        f"/plans/{plan_id}/reflections",
        {"kind": "experience", "text": "Camps build trust.", "source_reference": "GA 2026"},
    )
    assert reflection.status_code == 201
    goal = _send(client, "POST", "/goals", {"plan_id": plan_id, "title": "Grow"})
    assert goal.status_code == 201
    assert goal.json()["number"] == 1
    objective = _send(client, "POST", "/objectives", {"goal_id": goal.json()["id"], "title": "A"})
    assert objective.status_code == 201
    action = _send(
        client,
        "POST",
        "/actions",
        {
            "objective_id": objective.json()["id"],
            "title": "Recruit hosts",
            "owner_organisation_id": organisation.pk,
            "owner_user_id": org_member.pk,
            "start_date": "2027-01-01",
            "due_date": "2027-12-31",
            "progress": 30,
            "status": "in_progress",
            "indicator": "activities",
            "target": "40",
        },
    )
    assert action.status_code == 201, action.content
    assert action.json()["owner_user_id"] == org_member.pk
    detail = _send(client, "GET", f"/plans/{plan_id}").json()
    assert detail["progress"]["progress"] == "30.0"
    assert detail["reflections"][0]["source_reference"] == "GA 2026"


def test_patching_plan_goal_objective_and_action(
    client_for: Clients, network_coordinator: User, action: Action
) -> None:
    client = client_for(network_coordinator)
    objective = action.objective
    plan_id = objective.goal.plan_id
    assert _send(client, "PATCH", f"/plans/{plan_id}", {"is_published": True}).json()[
        "is_published"
    ]
    assert (
        _send(client, "PATCH", f"/goals/{objective.goal_id}", {"title": "Grow more"}).json()[
            "title"
        ]
        == "Grow more"
    )
    assert (
        _send(client, "PATCH", f"/objectives/{objective.pk}", {"number": 3}).json()["number"] == 3
    )
    patched = _send(client, "PATCH", f"/actions/{action.pk}", {"progress": 100})
    assert patched.status_code == 200
    assert (patched.json()["progress"], patched.json()["status"]) == (100, "done")
    assert Plan.objects.get(pk=plan_id).is_published


def test_deleting_through_the_api(
    client_for: Clients, network_coordinator: User, action: Action
) -> None:
    client = client_for(network_coordinator)
    goal_id = action.objective.goal_id
    assert _send(client, "DELETE", f"/actions/{action.pk}").status_code == 204
    assert _send(client, "DELETE", f"/objectives/{action.objective_id}").status_code == 204
    assert _send(client, "DELETE", f"/goals/{goal_id}").status_code == 204
    assert not Goal.objects.filter(pk=goal_id).exists()


def test_stakeholder_gets_404_and_readers_403_when_writing(
    client_for: Clients, stakeholder: User, org_coordinator: User, analyst: User, action: Action
) -> None:
    plan_id = action.objective.goal.plan_id
    for user, status in ((stakeholder, 404), (org_coordinator, 403), (analyst, 403)):
        client = client_for(user)
        assert _send(client, "POST", "/goals", {"plan_id": plan_id, "title": "x"}).status_code == (
            status
        )
        response = _send(client, "PATCH", f"/actions/{action.pk}", {"title": "x"})
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
    assert _send(client_for(None), "PATCH", f"/plans/{plan_id}", {"title": "x"}).status_code == 401
    action.refresh_from_db()
    assert action.title == "Recruit hosts"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"progress": 150}, 422, None),
        ({"due_date": "2026-01-01"}, 400, "due_date"),
        ({"owner_organisation_id": None}, 400, "owner_organisation"),
        ({"owner_organisation_id": 999999}, 400, "owner_organisation_id"),
        ({"title": None}, 422, "title"),
        ({"indicator": "happiness"}, 422, "indicator"),
        ({"colour": "blue"}, 422, None),
    ],
)
def test_action_patch_rejects_bad_input_with_a_problem(
    client_for: Clients,
    network_coordinator: User,
    action: Action,
    body: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    response = _send(client_for(network_coordinator), "PATCH", f"/actions/{action.pk}", body)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    if field:
        assert response.json()["field"] == field
    action.refresh_from_db()
    assert (action.progress, action.title) == (0, "Recruit hosts")


def test_action_create_refuses_an_owner_outside_the_owner_organisation(
    client_for: Clients,
    network_coordinator: User,
    objective: Objective,
    organisation: Organisation,
    outsider: User,
) -> None:
    response = _send(
        client_for(network_coordinator),
        "POST",
        "/actions",
        {
            "objective_id": objective.pk,
            "title": "Recruit hosts",
            "owner_organisation_id": organisation.pk,
            "owner_user_id": outsider.pk,
            "start_date": "2027-01-01",
            "due_date": "2027-12-31",
        },
    )
    assert response.status_code == 400
    assert response.json()["field"] == "owner_user"
    assert not objective.actions.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"title": "Strategy", "start_year": 2028, "end_year": 2027}, 400),
        ({"title": "", "start_year": 2027, "end_year": 2028}, 422),
        ({"title": "Strategy", "start_year": 1800, "end_year": 2028}, 422),
    ],
)
def test_plan_create_rejects_bad_input(
    client_for: Clients,
    network_coordinator: User,
    campaign: Campaign,
    body: dict[str, Any],
    status: int,
) -> None:
    response = _send(
        client_for(network_coordinator), "POST", "/plans", {"campaign_id": campaign.pk, **body}
    )
    assert response.status_code == status
    assert not Plan.objects.exists()


def test_goal_and_objective_numbers_must_be_free(
    client_for: Clients, network_coordinator: User, objective: Objective
) -> None:
    client = client_for(network_coordinator)
    goal = _send(
        client, "POST", "/goals", {"plan_id": objective.goal.plan_id, "number": 1, "title": "x"}
    )
    assert (goal.status_code, goal.json()["field"]) == (400, "number")
    again = _send(
        client, "POST", "/objectives", {"goal_id": objective.goal_id, "number": 1, "title": "x"}
    )
    assert (again.status_code, again.json()["field"]) == (400, "number")
