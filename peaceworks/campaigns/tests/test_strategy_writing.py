"""Network staff write the strategy through services and pages; readers only read it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Campaign, Goal, Objective, Plan
from peaceworks.campaigns.selectors import plan_progress
from peaceworks.campaigns.services import (
    action_create,
    action_update,
    goal_create,
    goal_delete,
    goal_update,
    objective_create,
    plan_create,
    plan_update,
)
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.core.models import AuditEvent
from peaceworks.directory.models import Organisation

Clients = Callable[[User | None], Client]
TODAY = date(2027, 6, 1)


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
def goal(network_coordinator: User, plan: Plan) -> Goal:
    return goal_create(actor=network_coordinator, plan=plan, title="Grow")


@pytest.fixture
def objective(network_coordinator: User, goal: Goal) -> Objective:
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


def _action_form(organisation: Organisation, **changes: str) -> dict[str, str]:
    form = {
        "title": "Train hosts",
        "owner_organisation": str(organisation.pk),
        "start_date": "2027-02-01",
        "due_date": "2027-10-31",
        "status": "in_progress",
        "progress": "20",
    }
    form.update(changes)
    return form


# Services ----------------------------------------------------------------------------------


def test_goals_and_objectives_without_a_number_come_after_the_last_one(
    network_coordinator: User, plan: Plan, goal: Goal
) -> None:
    second = goal_create(actor=network_coordinator, plan=plan, title="Include")
    assert (goal.number, second.number) == (1, 2)
    first = objective_create(actor=network_coordinator, goal=second, title="A")
    assert objective_create(actor=network_coordinator, goal=second, title="B").number == 2
    assert first.number == 1


def test_a_goal_number_is_unique_in_its_plan(
    network_coordinator: User, plan: Plan, goal: Goal
) -> None:
    other = goal_create(actor=network_coordinator, plan=plan, title="Include")
    with pytest.raises(DomainError) as raised:
        goal_update(actor=network_coordinator, goal=other, changes={"number": 1})
    assert raised.value.field == "number"


def test_plan_update_changes_the_period_and_is_audited(
    network_coordinator: User, plan: Plan
) -> None:
    plan_update(
        actor=network_coordinator,
        plan=plan,
        changes={"start_year": 2029, "end_year": 2030, "is_published": True},
    )
    plan.refresh_from_db()
    assert (plan.start_year, plan.end_year, plan.is_published) == (2029, 2030, True)
    event = AuditEvent.objects.get(action="plan.update")
    assert event.changes["start_year"] == [2027, 2029]


def test_plan_update_refuses_a_last_year_before_the_first(
    network_coordinator: User, plan: Plan
) -> None:
    with pytest.raises(DomainError) as raised:
        plan_update(
            actor=network_coordinator,
            plan=plan,
            changes={"start_year": 2028, "end_year": 2027},
        )
    assert raised.value.field == "end_year"


def test_org_coordinator_cannot_write_the_strategy(org_coordinator: User, plan: Plan) -> None:
    with pytest.raises(Forbidden):
        goal_create(actor=org_coordinator, plan=plan, title="Mine")
    assert not plan.goals.exists()


def test_an_owner_who_is_not_a_member_of_the_owner_organisation_is_refused(
    network_coordinator: User,
    objective: Objective,
    organisation: Organisation,
    outsider: User,
) -> None:
    with pytest.raises(DomainError) as raised:
        action_create(
            actor=network_coordinator,
            objective=objective,
            title="Recruit hosts",
            start_date=date(2027, 1, 1),
            due_date=date(2027, 12, 31),
            owner_organisation=organisation,
            owner_user=outsider,
        )
    assert raised.value.field == "owner_user"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"progress": 150}, "progress"),
        ({"due_date": date(2026, 12, 1)}, "due_date"),
        ({"owner_organisation": None}, "owner_organisation"),
        ({"target": Decimal(10)}, "target"),
        ({"status": "done", "progress": 40}, "progress"),
    ],
)
def test_action_update_names_the_field_of_bad_input(
    network_coordinator: User, action: Action, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(DomainError) as raised:
        action_update(actor=network_coordinator, action=action, changes=changes)
    assert raised.value.field == field
    action.refresh_from_db()
    assert action.progress == 0


def test_an_update_refuses_a_field_outside_its_allow_list(
    network_coordinator: User, action: Action
) -> None:
    with pytest.raises(DomainError) as raised:
        action_update(actor=network_coordinator, action=action, changes={"objective_id": 1})
    assert raised.value.field == "objective_id"


def test_an_update_saves_only_the_fields_sent(network_coordinator: User, plan: Plan) -> None:
    plan_update(actor=network_coordinator, plan=plan, changes={"title": "Renamed"})
    plan.refresh_from_db()
    assert (plan.title, plan.start_year) == ("Renamed", 2027)
    event = AuditEvent.objects.get(action="plan.update")
    assert event.changes == {"title": [event.changes["title"][0], "Renamed"]}


def test_deleting_a_goal_removes_its_objectives_and_actions_and_is_audited(
    network_coordinator: User, goal: Goal, action: Action
) -> None:
    goal_delete(actor=network_coordinator, goal=goal)
    assert not Action.objects.filter(pk=action.pk).exists()
    assert not Objective.objects.filter(goal_id=goal.pk).exists()
    event = AuditEvent.objects.get(action="goal.delete")
    assert event.changes == {"objectives": 1, "actions": 1}


# Pages -------------------------------------------------------------------------------------


def test_network_coordinator_creates_a_plan_from_the_campaign_page(
    client_for: Clients, network_coordinator: User, campaign: Campaign
) -> None:
    client = client_for(network_coordinator)
    page = client.get(f"/campaigns/{campaign.code}/")
    assert f"/campaigns/{campaign.code}/plans/new/" in page.content.decode()
    response = client.post(
        f"/campaigns/{campaign.code}/plans/new/",
        {"title": "Strategy 2027-2028", "start_year": "2027", "end_year": "2028"},
    )
    plan = Plan.objects.get(campaign=campaign)
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/plans/{plan.pk}/"


def test_plan_form_refuses_a_last_year_before_the_first(
    client_for: Clients, network_coordinator: User, campaign: Campaign
) -> None:
    response = client_for(network_coordinator).post(
        f"/campaigns/{campaign.code}/plans/new/",
        {"title": "Strategy", "start_year": "2028", "end_year": "2027"},
    )
    assert response.status_code == 400
    assert "The last year is before the first year." in response.content.decode()
    assert not Plan.objects.exists()


def test_plan_page_offers_the_writing_links_to_network_staff_only(
    client_for: Clients, network_coordinator: User, org_member: User, objective: Objective
) -> None:
    plan_id = objective.goal.plan_id
    staff_page = client_for(network_coordinator).get(f"/campaigns/plans/{plan_id}/").content
    member_page = client_for(org_member).get(f"/campaigns/plans/{plan_id}/").content
    for link in (
        f"/campaigns/plans/{plan_id}/goals/new/",
        f"/campaigns/plans/{plan_id}/reflections/new/",
        f"/campaigns/goals/{objective.goal_id}/objectives/new/",
        f"/campaigns/objectives/{objective.pk}/actions/new/",
    ):
        assert link.encode() in staff_page
        assert link.encode() not in member_page


def test_stakeholder_gets_404_and_org_coordinator_403_on_the_goal_form(
    client_for: Clients, stakeholder: User, org_coordinator: User, plan: Plan
) -> None:
    url = f"/campaigns/plans/{plan.pk}/goals/new/"
    assert client_for(stakeholder).post(url, {"title": "Mine"}).status_code == 404
    assert client_for(org_coordinator).post(url, {"title": "Mine"}).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert not plan.goals.exists()


def test_goal_form_refuses_a_number_already_taken(
    client_for: Clients, network_coordinator: User, plan: Plan, goal: Goal
) -> None:
    response = client_for(network_coordinator).post(
        f"/campaigns/plans/{plan.pk}/goals/new/", {"number": "1", "title": "Again"}
    )
    assert response.status_code == 400
    assert "The plan already has a goal number 1." in response.content.decode()


def test_reflection_form_adds_a_reflection_with_its_source(
    client_for: Clients, network_coordinator: User, plan: Plan
) -> None:
    response = client_for(network_coordinator).post(
        f"/campaigns/plans/{plan.pk}/reflections/new/",
        {"kind": "challenges", "text": "Fewer volunteers travel.", "source_reference": "GA 2026"},
    )
    assert response.status_code == 302
    reflection = plan.reflections.get()
    assert (reflection.kind, reflection.source_reference) == ("challenges", "GA 2026")


def test_reflection_form_refuses_an_unknown_kind(
    client_for: Clients, network_coordinator: User, plan: Plan
) -> None:
    response = client_for(network_coordinator).post(
        f"/campaigns/plans/{plan.pk}/reflections/new/", {"kind": "gossip", "text": "x"}
    )
    assert response.status_code == 400
    assert not plan.reflections.exists()


def test_objective_form_refuses_an_empty_title(
    client_for: Clients, network_coordinator: User, goal: Goal
) -> None:
    response = client_for(network_coordinator).post(
        f"/campaigns/goals/{goal.pk}/objectives/new/", {"title": ""}
    )
    assert response.status_code == 400
    assert not goal.objectives.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_date": "2027-01-01"}, "The due date is before the start date."),
        ({"progress": "150"}, "Progress is a percentage between 0 and 100."),
        ({"progress": "-5"}, "Progress is a percentage between 0 and 100."),
        ({"owner_organisation": ""}, "Give the action an owner organisation or an owner."),
        ({"target": "30"}, "Choose the output indicator this target is for."),
    ],
)
def test_action_form_explains_bad_input(
    client_for: Clients,
    network_coordinator: User,
    objective: Objective,
    organisation: Organisation,
    changes: dict[str, str],
    message: str,
) -> None:
    response = client_for(network_coordinator).post(
        f"/campaigns/objectives/{objective.pk}/actions/new/", _action_form(organisation, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not objective.actions.exists()


def test_action_form_refuses_an_owner_outside_the_owner_organisation(
    client_for: Clients,
    network_coordinator: User,
    objective: Objective,
    organisation: Organisation,
    outsider: User,
) -> None:
    response = client_for(network_coordinator).post(
        f"/campaigns/objectives/{objective.pk}/actions/new/",
        _action_form(organisation, owner_user=str(outsider.pk)),
    )
    assert response.status_code == 400
    assert "is not a member of" in response.content.decode()
    assert not objective.actions.exists()


def test_action_owner_cannot_edit_the_whole_action(
    client_for: Clients, org_coordinator: User, action: Action, organisation: Organisation
) -> None:
    client = client_for(org_coordinator)
    url = f"/campaigns/actions/{action.pk}/edit/"
    assert client.post(url, _action_form(organisation, title="Mine")).status_code == 403
    assert client.post(f"/campaigns/actions/{action.pk}/delete/").status_code == 403
    action.refresh_from_db()
    assert action.title == "Recruit hosts"


def test_rollup_stays_exact_after_editing_through_the_forms(
    client_for: Clients,
    network_coordinator: User,
    plan: Plan,
    organisation: Organisation,
) -> None:
    client = client_for(network_coordinator)
    for title in ("Grow", "Include"):
        client.post(f"/campaigns/plans/{plan.pk}/goals/new/", {"title": title})
    grow, include = plan.goals.order_by("number")
    client.post(f"/campaigns/goals/{grow.pk}/objectives/new/", {"title": "A"})
    client.post(f"/campaigns/goals/{grow.pk}/objectives/new/", {"title": "B"})
    client.post(f"/campaigns/goals/{include.pk}/objectives/new/", {"title": "C"})
    a, b = grow.objectives.order_by("number")
    c = include.objectives.get()
    for objective, percent in ((a, "10"), (a, "20"), (a, "90"), (b, "100"), (c, "50")):
        response = client.post(
            f"/campaigns/objectives/{objective.pk}/actions/new/",
            _action_form(organisation, progress=percent),
        )
        assert response.status_code == 302
    # Edit one action of A through the form: 90 -> 30; cancel C's only action.
    edited = a.actions.get(progress=90)
    client.post(f"/campaigns/actions/{edited.pk}/edit/", _action_form(organisation, progress="30"))
    cancelled = c.actions.get()
    client.post(
        f"/campaigns/actions/{cancelled.pk}/edit/",
        _action_form(organisation, status="cancelled", progress="50"),
    )
    progress = plan_progress(plan=plan, today=TODAY, first_years={})
    goals = {row.goal.title: row for row in progress.goals}
    objectives = {row.objective.title: row.rollup.progress for row in goals["Grow"].objectives}
    assert objectives == {"A": Decimal("20.0"), "B": Decimal("100.0")}
    # Weighted by action: (10 + 20 + 30 + 100) / 4 = 40, not the mean of 20 and 100.
    assert goals["Grow"].rollup.progress == Decimal("40.0")
    assert goals["Include"].rollup.progress is None
    assert progress.rollup.progress == Decimal("40.0")
    assert progress.rollup.actions == 4
    # The action at 100 % was marked done by the service.
    assert b.actions.get().status == Action.Status.DONE


def test_deleting_an_action_through_the_page_updates_the_rollup(
    client_for: Clients, network_coordinator: User, action: Action, objective: Objective
) -> None:
    client = client_for(network_coordinator)
    confirm = client.get(f"/campaigns/actions/{action.pk}/delete/")
    assert "cancelled" in confirm.content.decode()
    response = client.post(f"/campaigns/actions/{action.pk}/delete/")
    assert response.status_code == 302
    assert not objective.actions.exists()
    plan = objective.goal.plan
    assert plan_progress(plan=plan, today=TODAY, first_years={}).rollup.progress is None


def test_plan_edit_publishes_the_plan(
    client_for: Clients, network_coordinator: User, plan: Plan
) -> None:
    response = client_for(network_coordinator).post(
        f"/campaigns/plans/{plan.pk}/edit/",
        {"title": "Strategy", "start_year": "2027", "end_year": "2028", "is_published": "on"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_published
