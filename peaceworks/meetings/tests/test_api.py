"""The meetings API: same rules as the pages, problem+json for refusals."""

from __future__ import annotations

import pytest

from peaceworks.meetings.models import MinutesRevision
from peaceworks.meetings.services import minutes_draft

API = "/api/v1/meetings"


def _json(client, method, path, body=None):
    call = getattr(client, method)
    if body is None:
        return call(path)
    return call(path, body, content_type="application/json")


def test_coordinator_builds_a_meeting_through_the_api(client_for, network_coordinator, network):
    client = client_for(network_coordinator)
    created = _json(
        client,
        "post",
        f"{API}/meetings",
        {
            "title": "General assembly 2026",
            "short_name": "GA 2026",
            "meeting_type": "general_assembly",
            "start_date": "2026-10-05",
            "end_date": "2026-10-06",
            "time_zone": "America/Lima",
        },
    )
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    session = _json(
        client,
        "post",
        f"{API}/meetings/{meeting_id}/sessions",
        {"day": "2026-10-05", "start_time": "09:00", "end_time": "10:00", "title": "Opening"},
    )
    assert session.status_code == 201
    assert session.json()["starts_at"].endswith("-05:00")
    decision = _json(client, "post", f"{API}/meetings/{meeting_id}/decisions", {"text": "Adopt"})
    assert decision.json()["label"] == "GA 2026 / D1"


def test_invalid_enum_is_422_naming_the_field(client_for, network_coordinator, meeting):
    client = client_for(network_coordinator)
    response = _json(
        client,
        "post",
        f"{API}/meetings/{meeting.pk}/sessions",
        {
            "day": "2026-04-14",
            "start_time": "09:00",
            "end_time": "10:00",
            "title": "X",
            "kind": "party",
        },
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert "kind" in response.content.decode()


def test_session_outside_the_days_is_refused_naming_the_field(
    client_for, network_coordinator, meeting
):
    response = _json(
        client_for(network_coordinator),
        "post",
        f"{API}/meetings/{meeting.pk}/sessions",
        {"day": "2026-05-01", "start_time": "09:00", "end_time": "10:00", "title": "X"},
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")
    assert "day" in response.content.decode()


def test_approved_minutes_cannot_be_patched_only_revised(client_for, session, note_taker, chair):
    client = client_for(note_taker)
    draft = _json(client, "post", f"{API}/sessions/{session.pk}/minutes", {"body": "First"})
    assert draft.status_code == 201
    revision_id = draft.json()["id"]
    assert (
        _json(client, "patch", f"{API}/minutes/{revision_id}", {"body": "Second"}).json()["body"]
        == "Second"
    )
    # the note-taker cannot approve; the chair can, once
    assert _json(client, "post", f"{API}/minutes/{revision_id}/approve").status_code == 403
    chair_client = client_for(chair)
    approved = _json(chair_client, "post", f"{API}/minutes/{revision_id}/approve")
    assert approved.json()["state"] == "approved"
    assert approved.json()["approved_by_id"] == chair.pk
    assert _json(chair_client, "post", f"{API}/minutes/{revision_id}/approve").status_code == 409

    refused = _json(client, "patch", f"{API}/minutes/{revision_id}", {"body": "Sneaky"})
    assert refused.status_code == 409
    assert refused["Content-Type"].startswith("application/problem+json")
    again = _json(client, "post", f"{API}/sessions/{session.pk}/minutes", {"body": "Sneaky"})
    assert again.status_code == 409
    revised = _json(
        client,
        "post",
        f"{API}/sessions/{session.pk}/minutes/revisions",
        {"body": "Second, corrected", "reason": "Name misspelt"},
    )
    assert revised.status_code == 201
    assert revised.json()["number"] == 2
    history = _json(client, "get", f"{API}/sessions/{session.pk}/minutes").json()["items"]
    assert [(r["number"], r["state"], r["body"]) for r in history] == [
        (1, "approved", "Second"),
        (2, "draft", "Second, corrected"),
    ]


def test_participant_from_another_organisation_cannot_write_minutes(
    client_for, session, outsider, add_participant, note_taker
):
    add_participant(outsider)
    draft = minutes_draft(actor=note_taker, session=session, body="Draft")
    client = client_for(outsider)
    assert (
        _json(client, "post", f"{API}/sessions/{session.pk}/minutes", {"body": "x"}).status_code
        == 403
    )
    assert _json(client, "patch", f"{API}/minutes/{draft.pk}", {"body": "x"}).status_code == 403
    assert MinutesRevision.objects.get().body == "Draft"


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [("network_coordinator", 200, 201), ("org_coordinator", 200, 403), ("outsider", 404, 404)],
)
def test_api_permissions_by_persona(
    request, client_for, meeting, add_participant, persona, read, write
):
    add_participant(request.getfixturevalue("org_coordinator"))
    client = client_for(request.getfixturevalue(persona))
    assert _json(client, "get", f"{API}/meetings/{meeting.pk}").status_code == read
    response = _json(client, "post", f"{API}/meetings/{meeting.pk}/decisions", {"text": "Adopt"})
    assert response.status_code == write


def test_decision_creates_a_strategy_action_through_the_api(
    client_for, network_coordinator, org_coordinator, organisation, meeting, objective
):
    client = client_for(network_coordinator)
    decision = _json(
        client, "post", f"{API}/meetings/{meeting.pk}/decisions", {"text": "Act"}
    ).json()
    response = _json(
        client,
        "post",
        f"{API}/decisions/{decision['id']}/strategy",
        {
            "kind": "action",
            "parent_id": objective.pk,
            "title": "Train facilitators",
            "start_date": "2027-01-01",
            "due_date": "2027-06-30",
            "owner_organisation_id": organisation.pk,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["action_id"]
    assert response.json()["strategy_effect"] == "created"


def test_action_item_owner_changes_status_only(
    client_for, network_coordinator, org_coordinator, meeting
):
    client = client_for(network_coordinator)
    item = _json(
        client,
        "post",
        f"{API}/meetings/{meeting.pk}/action-items",
        {"title": "Write", "owner_user_id": org_coordinator.pk, "due_date": "2026-05-01"},
    ).json()
    owner = client_for(org_coordinator)
    assert _json(owner, "get", f"{API}/action-items/mine").json()["items"][0]["id"] == item["id"]
    assert (
        _json(owner, "patch", f"{API}/action-items/{item['id']}", {"status": "done"}).json()[
            "status"
        ]
        == "done"
    )
    assert (
        _json(owner, "patch", f"{API}/action-items/{item['id']}", {"title": "Other"}).status_code
        == 403
    )
