"""Co-organising needs the co-organiser's acceptance, and it may decline or leave."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.accounts.services import membership_grant
from peaceworks.campaigns.models import Activity, Campaign, Theme
from peaceworks.campaigns.selectors import campaign_output_records
from peaceworks.campaigns.services import ActivityData, activity_create
from peaceworks.directory.models import Organisation

Clients = Callable[[User | None], Client]
API = "/api/v1/campaigns/activities"


def _named_by_another(
    org_coordinator: User,
    organisation: Organisation,
    other_organisation: Organisation,
    activity_data: Callable[..., ActivityData],
    campaign: Campaign,
) -> Activity:
    """The own organisation's coordinator names the other organisation as co-organiser."""
    return activity_create(
        actor=org_coordinator,
        campaign=campaign,
        host_organisation=organisation,
        data=activity_data(co_organiser_ids=(other_organisation.pk,)),
    )


def test_an_organisation_named_by_another_is_only_asked_until_it_accepts(
    org_coordinator: User,
    outsider: User,
    organisation: Organisation,
    other_organisation: Organisation,
    activity_data: Callable[..., ActivityData],
    campaign: Campaign,
    client_for: Clients,
) -> None:
    activity = _named_by_another(
        org_coordinator, organisation, other_organisation, activity_data, campaign
    )
    assert not activity.co_organisers.exists()
    record = next(
        row for row in campaign_output_records(campaign=campaign) if row.id == activity.pk
    )
    assert record.co_organiser_ids == ()  # not counted as a partner while asked
    asked = client_for(outsider)
    detail = reverse("campaigns:activity_detail", args=[activity.pk])
    assert asked.get(detail).status_code == 404  # a pending request grants no visibility
    page = asked.get(reverse("campaigns:co_organising")).content.decode()
    assert activity.title in page
    accept = reverse("campaigns:co_organiser_accept", args=[activity.pk, other_organisation.pk])
    assert asked.post(accept).status_code == 302
    assert list(activity.co_organisers.all()) == [other_organisation]
    assert asked.get(detail).status_code == 200


def test_the_co_organiser_declines_or_stops_co_organising(
    org_coordinator: User,
    outsider: User,
    organisation: Organisation,
    other_organisation: Organisation,
    activity_data: Callable[..., ActivityData],
    campaign: Campaign,
    client_for: Clients,
) -> None:
    activity = _named_by_another(
        org_coordinator, organisation, other_organisation, activity_data, campaign
    )
    asked = client_for(outsider)
    withdraw = reverse("campaigns:co_organiser_withdraw", args=[activity.pk, other_organisation.pk])
    assert asked.post(withdraw).status_code == 302  # declined
    assert not activity.co_organiser_requests.exists()
    assert asked.post(withdraw).status_code == 404  # nothing left to decline
    # named again and accepted, then left
    host = client_for(org_coordinator)
    named = host.patch(
        f"{API}/{activity.pk}",
        json.dumps({"co_organiser_ids": [other_organisation.pk]}),
        content_type="application/json",
    )
    assert named.json()["pending_co_organiser_ids"] == [other_organisation.pk]
    assert (
        asked.post(f"{API}/{activity.pk}/co-organisers/{other_organisation.pk}/accept").status_code
        == 204
    )
    assert activity.co_organisers.filter(pk=other_organisation.pk).exists()
    assert (
        asked.delete(f"{API}/{activity.pk}/co-organisers/{other_organisation.pk}").status_code
        == 204
    )
    assert not activity.co_organisers.exists()
    assert asked.get(f"{API}/{activity.pk}").status_code == 404


def test_the_hosts_edits_keep_a_pending_request_and_its_coordinators_join_at_once(
    org_coordinator: User,
    organisation: Organisation,
    other_organisation: Organisation,
    make_user: Callable[..., User],
    activity_data: Callable[..., ActivityData],
    campaign: Campaign,
    themes: list[Theme],
    client_for: Clients,
) -> None:
    activity = _named_by_another(
        org_coordinator, organisation, other_organisation, activity_data, campaign
    )
    host = client_for(org_coordinator)
    response = host.patch(
        f"{API}/{activity.pk}", json.dumps({"place": "Riverside"}), content_type="application/json"
    )
    body = response.json()
    assert (body["co_organiser_ids"], body["pending_co_organiser_ids"]) == (
        [other_organisation.pk],
        [other_organisation.pk],
    )
    # a coordinator of both organisations names the other one: it joins without asking
    both = make_user("org_coordinator", other_organisation, email="both@example.org")
    membership_grant(user=both, organisation=organisation, role="org_coordinator")
    created = client_for(both).post(
        API,
        json.dumps(
            {
                "campaign_id": campaign.pk,
                "host_organisation_id": organisation.pk,
                "code": "joint-camp",
                "title": "Joint camp",
                "activity_type": "workcamp",
                "start_date": "2026-08-01",
                "end_date": "2026-08-10",
                "country": "KE",
                "theme_ids": [themes[0].pk],
                "co_organiser_ids": [other_organisation.pk],
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["pending_co_organiser_ids"] == []
    assert created.json()["co_organiser_ids"] == [other_organisation.pk]
