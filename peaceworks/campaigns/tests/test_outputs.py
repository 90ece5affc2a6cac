from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from peaceworks.campaigns.models import Activity, Campaign, OutputIndicator, Theme
from peaceworks.campaigns.outputs import ActivityRecord, compute_outputs, group_outputs
from peaceworks.campaigns.selectors import campaign_output_records, organisation_first_years
from peaceworks.directory.models import Organisation


def _record(**values: object) -> ActivityRecord:
    defaults: dict[str, object] = {
        "id": 1,
        "campaign_id": 1,
        "host_organisation_id": 1,
        "activity_type": Activity.Type.WORKCAMP,
        "start_date": date(2026, 7, 1),
        "end_date": date(2026, 7, 10),
        "country": "FR",
        "international_volunteers": 0,
        "local_volunteers": 0,
        "local_participants": 0,
        "fewer_opportunities": 0,
        "hours_per_day": None,
        "hours_per_day_defaulted": False,
    }
    defaults.update(values)
    return ActivityRecord(**defaults)  # type: ignore[arg-type]  # test helper: kwargs by name


def test_fewer_opportunity_share_is_a_ratio_of_sums_not_a_mean_of_percentages() -> None:
    # 1 of 10 (10 %) and 9 of 90 (10 %) -> 10 %; 1 of 2 (50 %) and 0 of 98 -> 1 %, not 25 %.
    outputs = compute_outputs(
        [
            _record(id=1, local_participants=2, fewer_opportunities=1),
            _record(id=2, local_participants=98),
        ]
    )
    assert outputs.fewer_opportunities_share == Decimal("1.0")


def test_outputs_equal_hand_computed_values_on_a_small_fixture(
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    other_organisation: Organisation,
    secretariat: Organisation,
    campaign: Campaign,
    themes: list[Theme],
) -> None:
    # A: workcamp in KE by own org, 10 days, 8 intl + 2 local volunteers, 6 h defaulted,
    #    12 local participants, 3 with fewer opportunities; themes 1 and 2.
    make_activity(
        organisation,
        start_date=date(2025, 7, 1),
        end_date=date(2025, 7, 10),
        international_volunteers=8,
        local_volunteers=2,
        local_participants=12,
        fo_economic=2,
        fo_social=1,
        fewer_opportunities_total=3,
        theme_ids=(themes[0].pk, themes[1].pk),
    )
    # B: training in PE by the other org (co-organised by the secretariat), 3 days,
    #    5 intl + 5 local volunteers at 4 h, 0 local participants, 5 with fewer opportunities.
    make_activity(
        other_organisation,
        activity_type=Activity.Type.TRAINING,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 3),
        country="PE",
        international_volunteers=5,
        local_volunteers=5,
        local_participants=0,
        hours_per_day=Decimal(4),
        fewer_opportunities_total=5,
        co_organiser_ids=(secretariat.pk,),
        theme_ids=(themes[1].pk,),
    )
    # C: awareness action in KE by own org in 2026, no hours given, 1 day, 30 participants.
    make_activity(
        organisation,
        activity_type=Activity.Type.AWARENESS,
        start_date=date(2026, 5, 1),
        end_date=date(2026, 5, 1),
        international_volunteers=0,
        local_volunteers=0,
        local_participants=30,
        theme_ids=(themes[1].pk, themes[4].pk),
    )
    # D: cancelled, never counted.
    make_activity(organisation, status=Activity.Status.CANCELLED, international_volunteers=99)

    records = campaign_output_records(campaign=campaign)
    first_years = organisation_first_years()
    total = compute_outputs(records, first_years=first_years)
    assert total.activities == 3
    assert dict(total.activities_by_type) == {"awareness": 1, "training": 1, "workcamp": 1}
    assert total.volunteers == 20
    assert total.local_participants == 42
    assert total.participants == 62
    assert total.hosting_countries == 2
    assert total.active_organisations == 3
    # own org first active 2025 (A), other org and secretariat 2026 (B): all three are new.
    assert total.new_partners == 3
    # A: 10 volunteers * 10 days * 6 h = 600; B: 10 * 3 * 4 = 120; C has no hours.
    assert total.volunteer_hours == Decimal(720)
    assert total.hours_defaulted_activities == 1
    assert total.activities_without_hours == 1
    assert total.fewer_opportunities == 8
    # 8 / 62 = 12.9 %
    assert total.fewer_opportunities_share == Decimal("12.9")
    assert total.education_sessions == 2
    assert dict(total.education_sessions_by_theme) == {themes[1].pk: 2, themes[4].pk: 1}
    assert total.value(OutputIndicator.VOLUNTEER_HOURS) == Decimal(720)

    by_year = {
        group.key: group.outputs
        for group in group_outputs(records, dimension="year", first_years=first_years).groups
    }
    assert by_year[2025].activities == 1
    assert by_year[2025].new_partners == 1
    assert by_year[2026].new_partners == 2
    assert by_year[2026].volunteer_hours == Decimal(120)

    by_country = {
        group.key: group.outputs for group in group_outputs(records, dimension="country").groups
    }
    assert by_country["KE"].local_participants == 42
    assert by_country["PE"].fewer_opportunities_share == Decimal("50.0")

    by_region = {
        group.key: group.outputs.activities
        for group in group_outputs(records, dimension="region").groups
    }
    assert by_region == {"002": 2, "019": 1}  # UN M49: Africa, Americas

    by_theme = {
        group.key: group.outputs.activities
        for group in group_outputs(records, dimension="theme").groups
    }
    assert by_theme == {themes[0].pk: 1, themes[1].pk: 3, themes[4].pk: 1}

    by_org = {
        group.key: group.outputs.volunteers
        for group in group_outputs(records, dimension="organisation").groups
    }
    assert by_org == {organisation.pk: 10, other_organisation.pk: 10}


def test_output_records_take_a_fixed_number_of_queries(
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    campaign: Campaign,
    django_assert_num_queries: Callable[..., object],
) -> None:
    for _ in range(5):
        make_activity(organisation)
    with django_assert_num_queries(5):  # type: ignore[attr-defined]  # pytest-django context
        campaign_output_records(campaign=campaign)
        organisation_first_years()
