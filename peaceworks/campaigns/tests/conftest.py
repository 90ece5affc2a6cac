"""Campaign fixtures, built through the services by a network coordinator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Activity, Campaign, Programme, Theme
from peaceworks.campaigns.services import (
    ActivityData,
    action_create,
    activity_create,
    campaign_create,
    goal_create,
    objective_create,
    plan_create,
    programme_create,
    theme_create,
)
from peaceworks.directory.models import Organisation


@pytest.fixture
def programme(network_coordinator: User) -> Programme:
    return programme_create(actor=network_coordinator, name="Raising Peace", code="rp")


@pytest.fixture
def campaign(network_coordinator: User, programme: Programme) -> Campaign:
    campaign = campaign_create(
        actor=network_coordinator, programme=programme, name="Peace Campaign", code="pc"
    )
    for number in range(1, 6):
        theme_create(
            actor=network_coordinator,
            campaign=campaign,
            number=number,
            code=f"t{number}",
            name=f"Theme {number}",
        )
    return campaign


@pytest.fixture
def project(network_coordinator: User, programme: Programme) -> Campaign:
    project = campaign_create(
        actor=network_coordinator,
        programme=programme,
        name="Inclusion Project",
        code="ip",
        kind=Campaign.Kind.PROJECT,
    )
    theme_create(actor=network_coordinator, campaign=project, number=1, code="inc", name="Inc")
    return project


@pytest.fixture
def themes(campaign: Campaign) -> list[Theme]:
    return list(campaign.themes.order_by("number"))


@pytest.fixture
def activity_data(themes: list[Theme]) -> Callable[..., ActivityData]:
    counter = iter(range(1, 10_000))

    def make(**changes: Any) -> ActivityData:
        values: dict[str, Any] = {
            "code": f"act-{next(counter)}",
            "title": "Workcamp by the river",
            "activity_type": Activity.Type.WORKCAMP,
            "start_date": date(2026, 7, 1),
            "end_date": date(2026, 7, 14),
            "country": "KE",
            "theme_ids": (themes[0].pk,),
            "international_volunteers": 10,
            "local_volunteers": 4,
            "local_participants": 20,
        }
        values.update(changes)
        return ActivityData(**values)

    return make


@pytest.fixture
def make_activity(
    network_coordinator: User,
    campaign: Campaign,
    activity_data: Callable[..., ActivityData],
) -> Callable[..., Activity]:
    def make(host: Organisation, **changes: Any) -> Activity:
        return activity_create(
            actor=network_coordinator,
            campaign=campaign,
            host_organisation=host,
            data=activity_data(**changes),
        )

    return make


@pytest.fixture
def own_activity(make_activity: Callable[..., Activity], organisation: Organisation) -> Activity:
    return make_activity(organisation, hours_per_day=Decimal(5))


@pytest.fixture
def own_action(network_coordinator: User, campaign: Campaign, organisation: Organisation) -> Action:
    plan = plan_create(
        actor=network_coordinator,
        campaign=campaign,
        title="Strategy",
        start_year=2026,
        end_year=2027,
    )
    goal = goal_create(actor=network_coordinator, plan=plan, number=1, title="Grow")
    objective = objective_create(actor=network_coordinator, goal=goal, number=1, title="Camps")
    return action_create(
        actor=network_coordinator,
        objective=objective,
        title="Recruit hosts",
        start_date=date(2026, 1, 1),
        due_date=date(2027, 12, 31),
        owner_organisation=organisation,
        indicator="activities",
        target=Decimal(40),
    )
