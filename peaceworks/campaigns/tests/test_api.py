from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.test import Client

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Activity, Campaign, Theme
from peaceworks.campaigns.services import (
    inclusion_target_set,
)
from peaceworks.directory.models import Organisation

Clients = Callable[[User | None], Client]
BASE = "/api/v1/campaigns"


def _payload(
    campaign: Campaign, host: Organisation, theme: Theme, **changes: Any
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "campaign_id": campaign.pk,
        "host_organisation_id": host.pk,
        "code": "api-camp",
        "title": "API camp",
        "activity_type": "workcamp",
        "start_date": "2026-08-01",
        "end_date": "2026-08-10",
        "country": "KE",
        "theme_ids": [theme.pk],
        "international_volunteers": 6,
    }
    payload.update(changes)
    return payload


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_programmes_campaigns_projects_and_themes(
    client_for: Clients,
    org_member: User,
    campaign: Campaign,
    project: Campaign,
    network_coordinator: User,
) -> None:
    inclusion_target_set(
        actor=network_coordinator,
        campaign=project,
        year=2026,
        share_fewer_opportunities=Decimal(25),
    )
    client = client_for(org_member)
    programmes = client.get(f"{BASE}/programmes").json()
    assert [item["code"] for item in programmes] == ["rp"]
    assert client.get(f"{BASE}/programmes/{programmes[0]['id']}").status_code == 200
    assert [item["code"] for item in client.get(f"{BASE}/campaigns").json()] == ["pc"]
    assert [item["code"] for item in client.get(f"{BASE}/projects").json()] == ["ip"]
    assert client.get(f"{BASE}/campaigns/{campaign.pk}").json()["name"] == "Peace Campaign"
    assert len(client.get(f"{BASE}/campaigns/{campaign.pk}/themes").json()) == 5
    targets = client.get(f"{BASE}/campaigns/{project.pk}/inclusion-targets").json()
    assert targets == [{"year": 2026, "share_fewer_opportunities": "25.00"}]
    assert client.get(f"{BASE}/campaigns/99999").status_code == 404


def test_stakeholder_and_anonymous_cannot_read_unpublished_campaigns(
    client_for: Clients, stakeholder: User, campaign: Campaign
) -> None:
    assert client_for(stakeholder).get(f"{BASE}/campaigns/{campaign.pk}").status_code == 404
    assert client_for(stakeholder).get(f"{BASE}/programmes").status_code == 404
    assert client_for(None).get(f"{BASE}/campaigns").status_code == 401


def test_org_coordinator_creates_an_activity_and_outsider_cannot(
    client_for: Clients,
    org_coordinator: User,
    outsider: User,
    campaign: Campaign,
    organisation: Organisation,
    themes: list[Theme],
) -> None:
    response = _post(
        client_for(outsider), f"{BASE}/activities", _payload(campaign, organisation, themes[0])
    )
    assert response.status_code == 404
    response = _post(
        client_for(org_coordinator),
        f"{BASE}/activities",
        _payload(campaign, organisation, themes[0]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hours_per_day_defaulted"] is True
    assert body["hours_per_day"] == "6.0"


def test_network_coordinator_creates_an_activity_for_any_organisation(
    client_for: Clients,
    network_coordinator: User,
    campaign: Campaign,
    other_organisation: Organisation,
    themes: list[Theme],
) -> None:
    response = _post(
        client_for(network_coordinator),
        f"{BASE}/activities",
        _payload(campaign, other_organisation, themes[0]),
    )
    assert response.status_code == 201


def test_org_member_cannot_create_an_activity(
    client_for: Clients,
    org_member: User,
    campaign: Campaign,
    organisation: Organisation,
    themes: list[Theme],
) -> None:
    response = _post(
        client_for(org_member), f"{BASE}/activities", _payload(campaign, organisation, themes[0])
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")


def test_bad_activity_input_gets_problem_details(
    client_for: Clients,
    org_coordinator: User,
    campaign: Campaign,
    project: Campaign,
    organisation: Organisation,
    themes: list[Theme],
) -> None:
    client = client_for(org_coordinator)
    no_theme = _post(
        client, f"{BASE}/activities", _payload(campaign, organisation, themes[0], theme_ids=[])
    )
    assert no_theme.status_code == 400
    assert no_theme.json()["field"] == "themes"
    foreign = project.themes.get()
    wrong = _post(client, f"{BASE}/activities", _payload(campaign, organisation, foreign))
    assert wrong.status_code == 400
    extra = _post(
        client, f"{BASE}/activities", _payload(campaign, organisation, themes[0], colour="red")
    )
    assert extra.status_code == 422
    bad_type = _post(
        client,
        f"{BASE}/activities",
        _payload(campaign, organisation, themes[0], activity_type="party"),
    )
    assert bad_type.status_code == 422
    assert bad_type.json()["field"] == "activity_type"
    assert not Activity.objects.exists()


def test_activity_list_filters_paginates_and_hides_other_organisations(
    client_for: Clients,
    org_member: User,
    outsider: User,
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    campaign: Campaign,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for index in range(5):
        make_activity(organisation, country="KE" if index < 3 else "UG")
    client = client_for(org_member)
    with django_assert_max_num_queries(10):  # type: ignore[attr-defined]
        page = client.get(f"{BASE}/activities", {"limit": 2, "campaign_id": campaign.pk}).json()
    assert page["count"] == 5
    assert len(page["items"]) == 2
    assert client.get(f"{BASE}/activities", {"country": "UG"}).json()["count"] == 2
    assert client_for(outsider).get(f"{BASE}/activities").json()["count"] == 0
    assert client.get(f"{BASE}/activities", {"limit": 0}).status_code == 422


def test_activity_detail_and_patch_personas(
    client_for: Clients,
    org_coordinator: User,
    org_member: User,
    outsider: User,
    own_activity: Activity,
) -> None:
    url = f"{BASE}/activities/{own_activity.pk}"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(org_member).get(url).status_code == 200
    assert _patch(client_for(org_member), url, {"title": "x"}).status_code == 403
    assert _patch(client_for(outsider), url, {"title": "x"}).status_code == 404
    client = client_for(org_coordinator)
    assert _patch(client, url, {"title": None}).status_code == 422
    assert _patch(client, url, {"nope": 1}).status_code == 422
    response = _patch(client, url, {"title": "Patched", "local_participants": 7})
    assert response.status_code == 200
    assert response.json()["title"] == "Patched"
    assert response.json()["local_participants"] == 7


def test_activity_patch_with_one_field_changes_only_that_field(
    client_for: Clients,
    org_coordinator: User,
    own_activity: Activity,
    other_organisation: Organisation,
) -> None:
    client = client_for(org_coordinator)
    url = f"{BASE}/activities/{own_activity.pk}"
    assert _patch(client, url, {"co_organiser_ids": [other_organisation.pk]}).status_code == 200
    before = client.get(url).json()
    response = _patch(client, url, {"local_participants": before["local_participants"] + 3})
    assert response.status_code == 200
    after = response.json()
    assert after["local_participants"] == before["local_participants"] + 3
    assert {name: value for name, value in after.items() if name != "local_participants"} == {
        name: value for name, value in before.items() if name != "local_participants"
    }
    assert client.get(url).json() == after


def test_outputs_endpoint(
    client_for: Clients,
    org_member: User,
    stakeholder: User,
    campaign: Campaign,
    own_activity: Activity,
) -> None:
    client = client_for(org_member)
    body = client.get(f"{BASE}/campaigns/{campaign.pk}/outputs", {"by": "country"}).json()
    assert body["total"]["activities"] == 1
    assert body["groups"][0]["key"] == "KE"
    assert (
        client.get(f"{BASE}/campaigns/{campaign.pk}/outputs", {"by": "colour"}).status_code == 400
    )
    assert client_for(stakeholder).get(f"{BASE}/campaigns/{campaign.pk}/outputs").status_code == 404


def test_strategy_endpoints(
    client_for: Clients, org_member: User, stakeholder: User, own_action: Action
) -> None:
    client = client_for(org_member)
    plans = client.get(f"{BASE}/plans").json()
    assert plans[0]["progress"]["actions"] == 1
    plan = client.get(f"{BASE}/plans/{plans[0]['id']}").json()
    goal_id = plan["goals"][0]["id"]
    objective_id = plan["goals"][0]["objectives"][0]["id"]
    assert client.get(f"{BASE}/goals/{goal_id}").json()["title"] == "Grow"
    assert client.get(f"{BASE}/objectives/{objective_id}").json()["title"] == "Camps"
    action = client.get(f"{BASE}/actions/{own_action.pk}").json()
    assert action["target"] == "40.00"
    assert action["actual"] == "0"
    assert [item["id"] for item in client.get(f"{BASE}/actions/mine").json()] == [own_action.pk]
    stranger = client_for(stakeholder)
    assert stranger.get(f"{BASE}/plans/{plans[0]['id']}").status_code == 404
    assert stranger.get(f"{BASE}/goals/{goal_id}").status_code == 404
    assert stranger.get(f"{BASE}/objectives/{objective_id}").status_code == 404
    assert stranger.get(f"{BASE}/actions/{own_action.pk}").status_code == 404


def test_action_progress_patch_personas(
    client_for: Clients,
    org_coordinator: User,
    org_member: User,
    stakeholder: User,
    own_action: Action,
) -> None:
    url = f"{BASE}/actions/{own_action.pk}/progress"
    assert (
        _patch(client_for(org_member), url, {"progress": 10, "status": "in_progress"}).status_code
        == 403
    )
    assert (
        _patch(client_for(stakeholder), url, {"progress": 10, "status": "in_progress"}).status_code
        == 404
    )
    client = client_for(org_coordinator)
    assert _patch(client, url, {"progress": 101, "status": "in_progress"}).status_code == 422
    assert _patch(client, url, {"progress": 10, "status": "dreaming"}).status_code == 422
    response = _patch(client, url, {"progress": 60, "status": "in_progress"})
    assert response.status_code == 200
    assert response.json()["progress"] == 60
