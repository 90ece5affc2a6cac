from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Campaign, Objective
from peaceworks.campaigns.selectors import action_get_for_user, action_list_for_user
from peaceworks.campaigns.services import (
    action_create,
    action_progress_update,
    goal_create,
    objective_create,
    plan_create,
)
from peaceworks.campaigns.strategy import ActionState, action_state, rollup
from peaceworks.core.errors import DomainError, Forbidden, NotFound
from peaceworks.directory.models import Organisation

TODAY = date(2027, 6, 1)


def _state(progress: int, status: str = Action.Status.IN_PROGRESS, **dates: date) -> ActionState:
    return ActionState(
        id=progress,
        progress=progress,
        status=status,
        start_date=dates.get("start", date(2027, 1, 1)),
        due_date=dates.get("due", date(2028, 12, 31)),
    )


def test_rollup_is_weighted_by_action_on_a_small_tree() -> None:
    # Objective A: 10, 20, 90 (mean 40); objective B: 100 (mean 100); a cancelled action.
    objective_a = [_state(10), _state(20), _state(90)]
    objective_b = [_state(100, Action.Status.DONE)]
    cancelled = [_state(0, Action.Status.CANCELLED)]
    assert rollup(objective_a, today=TODAY).progress == Decimal("40.0")
    assert rollup(objective_b, today=TODAY).progress == Decimal("100.0")
    goal = rollup(objective_a + objective_b + cancelled, today=TODAY)
    # (10 + 20 + 90 + 100) / 4 = 55, not the mean of the objective means (70).
    assert goal.progress == Decimal("55.0")
    assert goal.actions == 4
    assert rollup([], today=TODAY).progress is None


def test_overdue_and_at_risk_actions_are_counted() -> None:
    overdue = _state(50, due=date(2027, 5, 1))
    behind = _state(5, start=date(2027, 1, 1), due=date(2027, 9, 1))  # ~62 % of time used
    on_track = _state(70, start=date(2027, 1, 1), due=date(2027, 9, 1))
    blocked = _state(80, Action.Status.BLOCKED)
    done_late = _state(100, Action.Status.DONE, due=date(2027, 1, 2))
    result = rollup([overdue, behind, on_track, blocked, done_late], today=TODAY)
    assert result.overdue == 1
    assert result.at_risk == 2


@pytest.fixture
def objective(network_coordinator: User, campaign: Campaign) -> Objective:
    plan = plan_create(
        actor=network_coordinator,
        campaign=campaign,
        title="Strategy",
        start_year=2027,
        end_year=2028,
    )
    goal = goal_create(actor=network_coordinator, plan=plan, number=1, title="Grow")
    return objective_create(actor=network_coordinator, goal=goal, number=1, title="More camps")


@pytest.fixture
def own_action(
    network_coordinator: User, objective: Objective, organisation: Organisation
) -> Action:
    return action_create(
        actor=network_coordinator,
        objective=objective,
        title="Recruit hosts",
        start_date=date(2027, 1, 1),
        due_date=date(2027, 12, 31),
        owner_organisation=organisation,
        indicator="activities",
        target=Decimal(40),
    )


def test_org_coordinator_updates_progress_of_their_organisations_action(
    org_coordinator: User, own_action: Action
) -> None:
    action = action_get_for_user(user=org_coordinator, pk=own_action.pk, write=True)
    action_progress_update(actor=org_coordinator, action=action, progress=100, status="in_progress")
    own_action.refresh_from_db()
    assert own_action.progress == 100
    assert own_action.status == Action.Status.DONE
    assert list(action_list_for_user(user=org_coordinator)) == [own_action]


def test_org_member_and_outsider_cannot_update_progress(
    org_member: User, outsider: User, own_action: Action
) -> None:
    for user in (org_member, outsider):
        with pytest.raises(Forbidden):
            action_get_for_user(user=user, pk=own_action.pk, write=True)
        with pytest.raises(Forbidden):
            action_progress_update(actor=user, action=own_action, progress=10, status="in_progress")


def test_stakeholder_does_not_see_unpublished_plans(stakeholder: User, own_action: Action) -> None:
    with pytest.raises(NotFound):
        action_get_for_user(user=stakeholder, pk=own_action.pk)


def test_stakeholder_is_not_listed_their_organisations_actions_of_unpublished_plans(
    stakeholder: User,
    org_member: User,
    own_action: Action,
    client_for: Callable[[User | None], Client],
) -> None:
    assert list(action_list_for_user(user=stakeholder)) == []
    assert list(action_list_for_user(user=org_member)) == [own_action]
    page = client_for(stakeholder).get(reverse("campaigns:my_actions"))
    assert own_action.title not in page.content.decode()
    api = client_for(stakeholder).get(reverse("api:my_action_list"))
    assert api.status_code == 200
    assert api.json()["items"] == []


def test_progress_outside_0_to_100_is_refused(
    network_coordinator: User, own_action: Action
) -> None:
    with pytest.raises(DomainError) as raised:
        action_progress_update(
            actor=network_coordinator, action=own_action, progress=120, status="in_progress"
        )
    assert raised.value.field == "progress"


def test_action_needs_an_owner_and_a_target_needs_an_indicator(
    network_coordinator: User, objective: Objective, organisation: Organisation
) -> None:
    with pytest.raises(DomainError):
        action_create(
            actor=network_coordinator,
            objective=objective,
            title="Nobody's",
            start_date=date(2027, 1, 1),
            due_date=date(2027, 2, 1),
        )
    with pytest.raises(DomainError) as raised:
        action_create(
            actor=network_coordinator,
            objective=objective,
            title="Target",
            start_date=date(2027, 1, 1),
            due_date=date(2027, 2, 1),
            owner_organisation=organisation,
            target=Decimal(3),
        )
    assert raised.value.field == "target"


def test_only_network_staff_create_plans(org_coordinator: User, campaign: Campaign) -> None:
    with pytest.raises(Forbidden):
        plan_create(actor=org_coordinator, campaign=campaign, title="x", start_year=1, end_year=2)


def test_action_state_reads_the_model(own_action: Action) -> None:
    assert action_state(own_action).progress == 0
