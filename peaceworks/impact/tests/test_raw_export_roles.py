"""Issue 21, the analyst's access to the pseudonymised raw export (decided in
docs/security.md, "The analyst and the raw export"): network staff export every
organisation's responses, a member organisation's coordinator its own activities', an outsider
(another organisation's coordinator) only theirs, anonymous callers are asked to sign in, and
an analyst gets 404 on every raw route — the export, its activity table, its data dictionary
and a round's raw answers — while the aggregate figures stay open to them."""

from __future__ import annotations

from typing import Any

import pytest

from peaceworks.impact.models import Round
from peaceworks.impact.tests.shared import *  # noqa: F403 -- the base rows' fixtures

from .test_analytics import data, data_rows

# the analytics tests' data, built once for the module (``shared``)
__all__ = ["data", "data_rows"]
from .test_statistics_page import _rows

pytestmark = pytest.mark.django_db

API = "/api/v1/impact"
RAW = ("/responses/export", "/responses/export/activities", "/responses/export/datapackage")


def _exported_activities(client: Any) -> set[str]:
    return {row["activity"] for row in _rows(client.get(f"{API}/responses/export/activities"))}


def test_network_staff_export_every_organisations_responses(
    data: dict[str, Any],
    network_coordinator: Any,
    client_for: Any,
) -> None:
    exported = _exported_activities(client_for(network_coordinator))
    assert exported == {data["own"].code, data["other"].code}


def test_a_member_coordinator_exports_its_own_activities_only(
    data: dict[str, Any],
    org_coordinator: Any,
    outsider: Any,
    client_for: Any,
) -> None:
    assert _exported_activities(client_for(org_coordinator)) == {data["own"].code}
    # the outsider coordinates the other organisation: its own activity, never ours
    assert _exported_activities(client_for(outsider)) == {data["other"].code}


def test_anonymous_callers_are_asked_to_sign_in(
    data: dict[str, Any],
    client_for: Any,
) -> None:
    for path in RAW:
        response = client_for(None).get(f"{API}{path}")
        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_an_analyst_gets_404_on_every_raw_route_and_keeps_the_figures(
    data: dict[str, Any],
    analyst: Any,
    client_for: Any,
) -> None:
    client = client_for(analyst)
    own_round = Round.objects.filter(activity=data["own"]).first()
    assert own_round is not None
    for path in (*RAW, f"/rounds/{own_round.pk}/responses"):
        response = client.get(f"{API}{path}")
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), path
    figures = client.get(
        f"{API}/indicators/i1_knowledge/values?campaign={data['campaign'].code}&by=country"
    )
    assert figures.status_code == 200
