from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign, Theme
from peaceworks.campaigns.selectors import (
    Purpose,
    activity_get_for_user,
    activity_list_visible_to,
)
from peaceworks.campaigns.services import ActivityData, activity_create, activity_update
from peaceworks.core.errors import DomainError, Forbidden, NotFound
from peaceworks.core.models import AuditEvent
from peaceworks.directory.models import Organisation


def test_member_organisation_cannot_register_an_activity_for_another(
    org_coordinator: User,
    campaign: Campaign,
    other_organisation: Organisation,
    activity_data: Callable[..., ActivityData],
) -> None:
    with pytest.raises(NotFound):
        activity_create(
            actor=org_coordinator,
            campaign=campaign,
            host_organisation=other_organisation,
            data=activity_data(),
        )
    assert not Activity.objects.exists()


def test_org_coordinator_registers_an_activity_for_their_organisation(
    org_coordinator: User,
    campaign: Campaign,
    organisation: Organisation,
    activity_data: Callable[..., ActivityData],
) -> None:
    activity = activity_create(
        actor=org_coordinator,
        campaign=campaign,
        host_organisation=organisation,
        data=activity_data(),
    )
    assert activity.host_organisation == organisation
    assert AuditEvent.objects.filter(action="activity.create", target_id=str(activity.pk)).exists()


def test_org_member_cannot_register_an_activity(
    org_member: User,
    campaign: Campaign,
    organisation: Organisation,
    activity_data: Callable[..., ActivityData],
) -> None:
    with pytest.raises(Forbidden):
        activity_create(
            actor=org_member,
            campaign=campaign,
            host_organisation=organisation,
            data=activity_data(),
        )


def test_network_coordinator_registers_an_activity_for_any_organisation(
    network_coordinator: User,
    campaign: Campaign,
    other_organisation: Organisation,
    activity_data: Callable[..., ActivityData],
) -> None:
    activity = activity_create(
        actor=network_coordinator,
        campaign=campaign,
        host_organisation=other_organisation,
        data=activity_data(),
    )
    assert activity.host_organisation == other_organisation


def test_activity_needs_at_least_one_theme(
    org_coordinator: User,
    campaign: Campaign,
    organisation: Organisation,
    activity_data: Callable[..., ActivityData],
) -> None:
    with pytest.raises(DomainError) as raised:
        activity_create(
            actor=org_coordinator,
            campaign=campaign,
            host_organisation=organisation,
            data=activity_data(theme_ids=()),
        )
    assert raised.value.field == "themes"


def test_activity_themes_must_belong_to_its_campaign(
    org_coordinator: User,
    campaign: Campaign,
    project: Campaign,
    organisation: Organisation,
    activity_data: Callable[..., ActivityData],
) -> None:
    foreign = project.themes.get()
    with pytest.raises(DomainError) as raised:
        activity_create(
            actor=org_coordinator,
            campaign=campaign,
            host_organisation=organisation,
            data=activity_data(theme_ids=(foreign.pk,)),
        )
    assert raised.value.field == "themes"
    assert "belong" in raised.value.message


def test_activity_accepts_at_most_five_themes(
    org_coordinator: User,
    campaign: Campaign,
    themes: list[Theme],
    organisation: Organisation,
    activity_data: Callable[..., ActivityData],
) -> None:
    extra = Theme.objects.create(campaign=campaign, number=6, code="t6", name="Six")
    with pytest.raises(DomainError):
        activity_create(
            actor=org_coordinator,
            campaign=campaign,
            host_organisation=organisation,
            data=activity_data(theme_ids=(*[theme.pk for theme in themes], extra.pk)),
        )


def test_workcamp_without_hours_gets_six_flagged_as_defaulted(
    make_activity: Callable[..., Activity], organisation: Organisation
) -> None:
    workcamp = make_activity(organisation)
    assert workcamp.hours_per_day == Decimal(6)
    assert workcamp.hours_per_day_defaulted is True
    training = make_activity(organisation, activity_type=Activity.Type.TRAINING)
    assert training.hours_per_day is None
    assert training.hours_per_day_defaulted is False
    given = make_activity(organisation, hours_per_day=Decimal(7))
    assert given.hours_per_day_defaulted is False


def test_fewer_opportunity_total_cannot_be_below_a_category(
    make_activity: Callable[..., Activity], organisation: Organisation
) -> None:
    with pytest.raises(DomainError) as raised:
        make_activity(organisation, fo_economic=3, fewer_opportunities_total=2)
    assert raised.value.field == "fewer_opportunities_total"


def test_end_date_before_start_is_refused(
    make_activity: Callable[..., Activity], organisation: Organisation
) -> None:
    with pytest.raises(DomainError) as raised:
        make_activity(organisation, start_date=date(2026, 7, 10), end_date=date(2026, 7, 9))
    assert raised.value.field == "end_date"


def test_org_member_reads_but_cannot_update_own_activity(
    org_member: User, own_activity: Activity
) -> None:
    assert activity_get_for_user(user=org_member, pk=own_activity.pk) == own_activity
    with pytest.raises(Forbidden):
        activity_get_for_user(user=org_member, pk=own_activity.pk, purpose=Purpose.WRITE)
    with pytest.raises(Forbidden):
        activity_update(actor=org_member, activity=own_activity, changes={"title": "Changed"})


def test_outsider_does_not_see_another_organisations_activity(
    outsider: User, analyst: User, own_activity: Activity
) -> None:
    for user in (outsider, analyst):
        with pytest.raises(NotFound):
            activity_get_for_user(user=user, pk=own_activity.pk)
        assert not activity_list_visible_to(user=user).exists()


def test_co_organiser_members_see_the_activity_record(
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    other_organisation: Organisation,
    outsider: User,
) -> None:
    activity = make_activity(organisation, co_organiser_ids=(other_organisation.pk,))
    assert activity_get_for_user(user=outsider, pk=activity.pk) == activity
    with pytest.raises(Forbidden):
        activity_get_for_user(user=outsider, pk=activity.pk, purpose=Purpose.WRITE)


def test_org_coordinator_updates_own_activity(
    org_coordinator: User, own_activity: Activity
) -> None:
    activity_update(actor=org_coordinator, activity=own_activity, changes={"title": "Renamed camp"})
    own_activity.refresh_from_db()
    assert own_activity.title == "Renamed camp"
    event = AuditEvent.objects.get(action="activity.update")
    assert event.changes == {"title": ["Workcamp by the river", "Renamed camp"]}


def test_activity_update_refuses_a_field_outside_its_allow_list(
    org_coordinator: User, own_activity: Activity, other_organisation: Organisation
) -> None:
    with pytest.raises(DomainError) as raised:
        activity_update(
            actor=org_coordinator,
            activity=own_activity,
            changes={"title": "Renamed", "host_organisation": other_organisation},
        )
    assert raised.value.field == "host_organisation"
    own_activity.refresh_from_db()
    assert own_activity.title == "Workcamp by the river"
    assert own_activity.host_organisation_id != other_organisation.pk
