from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns import demo as campaigns_demo
from peaceworks.campaigns.models import Action, Activity, Goal, Objective, Theme
from peaceworks.directory import demo as directory_demo
from peaceworks.directory.models import Organisation

Clients = Callable[[User | None], Client]
M = TypeVar("M", bound=Model)


@pytest.fixture(scope="module")
def seeded(module_transaction: Any) -> campaigns_demo.CampaignsDemo:
    """The directory and campaigns demos, seeded once for the module (what a test writes,
    a second seed included, is undone after it)."""
    with module_transaction.unblock():
        directory = directory_demo.seed(random.Random(1))
        return campaigns_demo.seed(random.Random(2), directory.organisations)


def _again(instance: M) -> M:
    """The row read again: this test's own instance, whatever an earlier test did to the
    module's copy in memory."""
    return type(instance)._default_manager.get(pk=instance.pk)


@pytest.fixture
def demo(seeded: campaigns_demo.CampaignsDemo, db: None) -> campaigns_demo.CampaignsDemo:
    """The module's demo as this test's own instances."""
    return campaigns_demo.CampaignsDemo(
        programme=_again(seeded.programme),
        campaign=_again(seeded.campaign),
        projects=[_again(project) for project in seeded.projects],
        plan=_again(seeded.plan),
    )


def test_demo_has_the_reference_scenario_and_is_idempotent(
    demo: campaigns_demo.CampaignsDemo,
) -> None:
    assert demo.campaign.code == "rpc"
    assert Theme.objects.filter(campaign=demo.campaign).count() == 5
    assert {project.name for project in demo.projects} == {"#IVS4Peace", "Build Peace"}
    assert demo.projects[0].inclusion_targets.count() == 3
    assert Activity.objects.count() == 150
    assert {activity.start_date.year for activity in Activity.objects.all()} == {2025, 2026, 2027}
    assert Goal.objects.filter(plan=demo.plan).count() == 3
    assert Objective.objects.filter(goal__plan=demo.plan).count() == 8
    assert Action.objects.filter(objective__goal__plan=demo.plan).count() == 25
    assert len({action.status for action in Action.objects.all()}) >= 3
    coordinator = User.objects.get(email="org.coordinator@peaceworks.test")
    own_org = coordinator.memberships.get().organisation_id
    assert Action.objects.filter(owner_organisation_id=own_org).exists()
    campaigns_demo.seed(random.Random(2), _organisations())
    assert Activity.objects.count() == 150
    assert Action.objects.count() == 25


def _organisations() -> list[Organisation]:
    return list(Organisation.objects.filter(is_secretariat=False).order_by("pk"))


@pytest.mark.parametrize(
    "email", ["coordinator@peaceworks.test", "org.coordinator@peaceworks.test"]
)
def test_campaign_page_for_the_demo_renders_with_a_bounded_number_of_queries(
    demo: campaigns_demo.CampaignsDemo,
    client_for: Clients,
    email: str,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    client = client_for(User.objects.get(email=email))
    # 26: the listed activities carry their pending co-organisers (one prefetch)
    with django_assert_max_num_queries(26):  # type: ignore[attr-defined]
        response = client.get(reverse("campaigns:detail", args=["rpc"]))
    assert response.status_code == 200
    assert "Raising Peace strategy" in response.content.decode()


def test_public_demo_page_renders_without_login(
    demo: campaigns_demo.CampaignsDemo,
    client_for: Clients,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    with django_assert_max_num_queries(20):  # type: ignore[attr-defined]
        response = client_for(None).get(reverse("campaigns:public", args=["rpc"]))
    assert response.status_code == 200
