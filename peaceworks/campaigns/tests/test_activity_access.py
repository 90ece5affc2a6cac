"""One rule decides who may see an activity, whichever app's page or endpoint asks
(``campaigns.selectors.activity_access`` with the purpose as a parameter)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity
from peaceworks.directory.models import Organisation

pytestmark = pytest.mark.django_db

Pages = Callable[[User | None], Client]


def _answers(client: Client, activity: Activity) -> dict[str, int]:
    return {
        "record": client.get(reverse("campaigns:activity_detail", args=[activity.pk])).status_code,
        "record via API": client.get(f"/api/v1/campaigns/activities/{activity.pk}").status_code,
        "rounds": client.get(reverse("impact:activity_rounds", args=[activity.pk])).status_code,
        "edit": client.get(reverse("campaigns:activity_edit", args=[activity.pk])).status_code,
    }


def test_an_analyst_of_the_host_analyses_but_neither_reads_the_record_nor_writes(
    client_for: Pages, analyst: User, own_activity: Activity
) -> None:
    assert _answers(client_for(analyst), own_activity) == {
        "record": 404,
        "record via API": 404,
        "rounds": 200,
        "edit": 403,
    }


def test_a_member_of_a_co_organiser_sees_the_record_and_the_rounds_but_may_not_write(
    client_for: Pages,
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    other_organisation: Organisation,
    outsider: User,
) -> None:
    activity = make_activity(organisation, co_organiser_ids=(other_organisation.pk,))
    assert _answers(client_for(outsider), activity) == {
        "record": 200,
        "record via API": 200,
        "rounds": 200,
        "edit": 403,
    }


def test_an_outsider_gets_404_everywhere(
    client_for: Pages, outsider: User, own_activity: Activity
) -> None:
    assert set(_answers(client_for(outsider), own_activity).values()) == {404}


def test_the_host_coordinator_reads_analyses_and_writes(
    client_for: Pages, org_coordinator: User, own_activity: Activity
) -> None:
    assert set(_answers(client_for(org_coordinator), own_activity).values()) == {200}
