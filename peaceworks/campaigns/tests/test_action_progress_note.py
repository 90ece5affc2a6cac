"""Saving an action's progress takes an optional note, kept in the action's progress history."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import NOTE_MAX_LENGTH, Action, ActionProgressEntry

Clients = Callable[[User | None], Client]


def test_saved_progress_with_a_note_appears_in_the_history(
    client_for: Clients,
    org_coordinator: User,
    own_action: Action,
) -> None:
    url = reverse("campaigns:action_progress", args=[own_action.pk])
    client = client_for(org_coordinator)
    assert client.post(url, {"progress": "20", "status": "in_progress"}).status_code == 302
    saved = client.post(
        url, {"progress": "40", "status": "blocked", "note": "Waiting for the visa letters."}
    )
    assert saved.status_code == 302
    entries = list(ActionProgressEntry.objects.filter(action=own_action))
    assert [(e.progress, e.status, e.note) for e in entries] == [
        (40, "blocked", "Waiting for the visa letters."),
        (20, "in_progress", ""),
    ]
    assert entries[0].recorded_by == org_coordinator
    html = client.get(url).content.decode()
    assert "Progress history" in html
    assert "Waiting for the visa letters." in html
    assert html.index("Waiting for the visa letters.") < html.index("20 %")


def test_a_too_long_note_is_refused_at_the_field_and_nothing_is_saved(
    client_for: Clients,
    org_coordinator: User,
    own_action: Action,
) -> None:
    url = reverse("campaigns:action_progress", args=[own_action.pk])
    page = client_for(org_coordinator).post(
        url, {"progress": "30", "status": "in_progress", "note": "x" * (NOTE_MAX_LENGTH + 1)}
    )
    assert page.status_code == 400
    assert not ActionProgressEntry.objects.exists()
    own_action.refresh_from_db()
    assert own_action.progress == 0


def test_progress_history_personas(
    client_for: Clients,
    network_coordinator: User,
    org_member: User,
    outsider: User,
    own_action: Action,
) -> None:
    url = reverse("campaigns:action_progress", args=[own_action.pk])
    staff = client_for(network_coordinator)
    assert (
        staff.post(url, {"progress": "50", "status": "in_progress", "note": "Halfway."}).status_code
        == 302
    )
    assert "Halfway." in staff.get(url).content.decode()
    assert client_for(org_member).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403


def test_the_api_takes_a_note(
    client_for: Clients, org_coordinator: User, own_action: Action
) -> None:
    url = f"/api/v1/campaigns/actions/{own_action.pk}/progress"
    client = client_for(org_coordinator)
    response = client.patch(
        url,
        json.dumps({"progress": 70, "status": "in_progress", "note": "Two hosts left."}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert ActionProgressEntry.objects.get(action=own_action).note == "Two hosts left."
    too_long = client.patch(
        url,
        json.dumps({"progress": 70, "status": "in_progress", "note": "x" * (NOTE_MAX_LENGTH + 1)}),
        content_type="application/json",
    )
    assert too_long.status_code == 422
