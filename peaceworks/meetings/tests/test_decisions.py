"""Decisions feed the strategy, and both pages show the link."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from peaceworks.campaigns.models import Action, Reflection
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.meetings.models import Decision
from peaceworks.meetings.services import (
    StrategyItemSpec,
    decision_create,
    decision_create_strategy_item,
    decision_link_strategy,
)


def _decision(actor, meeting, text="Open 20 more peace workcamps", outcome="adopted"):
    return decision_create(actor=actor, meeting=meeting, values={"text": text, "outcome": outcome})


def test_decisions_are_numbered_per_meeting(network_coordinator, meeting):
    first = _decision(network_coordinator, meeting)
    second = _decision(network_coordinator, meeting, text="Second")
    assert (first.label, second.label) == ("Paris 2026 / D1", "Paris 2026 / D2")


def test_a_decision_linked_to_an_objective_shows_on_both_pages(
    client_for, network_coordinator, meeting, objective
):
    decision = _decision(network_coordinator, meeting)
    decision_link_strategy(actor=network_coordinator, decision=decision, item=objective)
    client = client_for(network_coordinator)

    meeting_page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Paris 2026 / D1" in meeting_page
    assert "More workcamps on peace" in meeting_page
    assert reverse("campaigns:plan_detail", args=[objective.goal.plan_id]) in meeting_page

    plan_page = client.get(
        reverse("campaigns:plan_detail", args=[objective.goal.plan_id])
    ).content.decode()
    assert "Paris 2026 / D1" in plan_page
    assert reverse("meetings:detail", args=[meeting.pk]) + "#decision-1" in plan_page


def test_a_decision_creates_a_strategy_action_on_the_page(
    client_for, network_coordinator, org_coordinator, organisation, meeting, objective
):
    decision = _decision(network_coordinator, meeting)
    response = client_for(network_coordinator).post(
        reverse("meetings:decision_strategy", args=[decision.pk]),
        {
            "kind": "action",
            "title": "Run a peace workcamp in every region",
            "objective": objective.pk,
            "owner_organisation": organisation.pk,
            "start_date": "2027-01-01",
            "due_date": "2027-12-31",
        },
    )
    assert response.status_code == 302, response.content.decode()
    action = Action.objects.get(title="Run a peace workcamp in every region")
    decision.refresh_from_db()
    assert decision.action == action
    assert decision.strategy_effect == "created"
    plan_page = client_for(org_coordinator).get(
        reverse("campaigns:plan_detail", args=[objective.goal.plan_id])
    )
    assert "Paris 2026 / D1" in plan_page.content.decode()


def test_a_reflection_cites_the_decision_instead_of_free_text(
    client_for, network_coordinator, meeting, plan
):
    decision = _decision(network_coordinator, meeting, text="Volunteers need visa support")
    reflection = decision_create_strategy_item(
        actor=network_coordinator,
        decision=decision,
        spec=StrategyItemSpec(
            kind="reflection", parent=plan, title="Visa refusals grow", reflection_kind="challenges"
        ),
    )
    assert isinstance(reflection, Reflection)
    page = client_for(network_coordinator).get(reverse("campaigns:plan_detail", args=[plan.pk]))
    text = page.content.decode()
    assert "Visa refusals grow" in text
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}#decision-1"' in text


def test_rejected_decision_does_not_change_the_strategy(network_coordinator, meeting, objective):
    decision = _decision(network_coordinator, meeting, outcome="rejected")
    with pytest.raises(DomainError) as error:
        decision_create_strategy_item(
            actor=network_coordinator,
            decision=decision,
            spec=StrategyItemSpec(kind="objective", parent=objective.goal, title="X"),
        )
    assert error.value.field == "outcome"


def test_member_coordinator_cannot_record_decisions(
    client_for, org_coordinator, meeting, add_participant
):
    add_participant(org_coordinator)
    client = client_for(org_coordinator)
    assert client.get(reverse("meetings:decision_add", args=[meeting.pk])).status_code == 403
    with pytest.raises(Forbidden):
        _decision(org_coordinator, meeting)
    assert not Decision.objects.exists()


def test_decision_strategy_form_names_the_missing_parent(client_for, network_coordinator, meeting):
    decision = _decision(network_coordinator, meeting)
    response = client_for(network_coordinator).post(
        reverse("meetings:decision_strategy", args=[decision.pk]),
        {
            "kind": "action",
            "title": "Something",
            "start_date": "2027-01-01",
            "due_date": "2027-02-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["objective"]


def test_action_owner_sees_decision_item_in_my_items(
    client_for, network_coordinator, org_coordinator, meeting
):
    from peaceworks.meetings.services import action_item_create

    action_item_create(
        actor=network_coordinator,
        meeting=meeting,
        values={
            "title": "Send the visa letter template",
            "owner_user": org_coordinator,
            "due_date": date(2026, 5, 1),
        },
    )
    page = client_for(org_coordinator).get(reverse("meetings:my_items"))
    assert "Send the visa letter template" in page.content.decode()
