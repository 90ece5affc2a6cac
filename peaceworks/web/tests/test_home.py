"""Each role's home: what needs the person now, with counts and links, and their figures; the
breadcrumbs and the menu every page carries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from peaceworks.accounts.hooks import attention_for
from peaceworks.web.tests.needs import TODAY


def counts(user, day=TODAY) -> dict[str, int]:
    return {group.kind: group.count for group in attention_for(user=user, today=day)}


def test_network_coordinator_is_asked_for_every_round_closing_the_harm_queue_and_follow_ups(
    needs, network_coordinator
):
    assert counts(network_coordinator) == {
        "impact.rounds_closing": 2,
        "impact.harm_waiting": 1,
        "directory.follow_ups_due": 1,
    }


def test_organisation_coordinator_is_asked_for_their_own_things_only(needs, org_coordinator):
    assert counts(org_coordinator) == {
        "campaigns.actions_overdue": 1,
        "impact.rounds_closing": 1,
        "impact.harm_waiting": 1,
        "meetings.items_due": 1,
    }
    groups = {group.kind: group for group in attention_for(user=org_coordinator, today=TODAY)}
    (overdue,) = groups["campaigns.actions_overdue"].items
    assert overdue.title == "Train the camp leaders"
    assert overdue.url.endswith(f"#action-{needs.action.pk}")
    assert groups["impact.rounds_closing"].items[0].url == reverse(
        "impact:activity_rounds", args=[needs.own_round.activity_id]
    )


def test_member_staff_see_their_organisation_s_overdue_action_and_round_but_review_nothing(
    needs, org_member
):
    assert counts(org_member) == {"campaigns.actions_overdue": 1, "impact.rounds_closing": 1}


def test_outsider_is_asked_only_about_their_own_organisation_s_round(needs, outsider):
    assert counts(outsider) == {"impact.rounds_closing": 1}


def test_stakeholder_is_asked_for_nothing(needs, stakeholder):
    assert counts(stakeholder) == {}


def test_what_needs_someone_depends_on_the_day_given(needs, org_coordinator):
    # a week before: the action was not yet due, the round and the item were further away
    earlier = counts(org_coordinator, date(2026, 11, 1))
    assert "campaigns.actions_overdue" not in earlier
    assert "impact.rounds_closing" not in earlier
    assert "meetings.items_due" not in earlier
    # a round about to open within 7 days is announced then
    assert counts(org_coordinator, date(2026, 11, 29))["impact.rounds_opening"] == 1


@pytest.mark.parametrize(
    ("persona", "shown", "not_shown"),
    [
        (
            "network_coordinator",
            [
                "Survey rounds closing in the next 14 days",
                "Send the funding note",
                "Answers reporting harm, waiting for review",
            ],
            ["Overdue strategy actions", "Share the camp calendar"],
        ),
        (
            "org_coordinator",
            [
                "Overdue strategy actions",
                "Train the camp leaders",
                "Share the camp calendar",
                "Workcamp by the river",
            ],
            ["Planned camp of another organisation", "Send the funding note"],
        ),
        (
            "org_member",
            ["Overdue strategy actions", "Workcamp by the river"],
            ["Answers reporting harm", "Share the camp calendar"],
        ),
        (
            "stakeholder",
            ["Nothing needs you now"],
            ["Train the camp leaders", "Workcamp by the river", "Your figures"],
        ),
    ],
)
def test_home_lists_what_needs_each_role_with_counts_and_links(
    request, client_for, persona, shown, not_shown, needs_on
):
    needs_on(timezone.localdate())  # the page reads the current day: things are dated from it
    user = request.getfixturevalue(persona)
    page = client_for(user).get(reverse("web:dashboard")).content.decode()
    for text in shown:
        assert text in page, text
    for text in not_shown:
        assert text not in page, text
    if persona != "stakeholder":
        assert "What needs you now" in page
        assert "Your figures for" in page


def test_home_shows_the_figures_with_their_scale(client_for, org_coordinator, make_activity):
    year = timezone.localdate().year  # the page's year: the figures are of the current one
    make_activity(title="Camp this year", start_date=date(year, 1, 1), end_date=date(year, 1, 9))
    make_activity(
        title="Camp of last year", start_date=date(year - 1, 1, 1), end_date=date(year - 1, 1, 9)
    )
    page = client_for(org_coordinator).get(reverse("web:dashboard")).content.decode()
    assert "1 activity" in page
    assert f"starting in {year}, of 2 activities you may analyse" in page
    assert "0 responses" in page
    assert "of 0 who answered the post survey" in page


@pytest.mark.parametrize(
    "url_name",
    [
        "directory:index",
        "campaigns:my_actions",
        "accounts:profile",
        "accounts:notifications",
        "web:search",
    ],
)
def test_pages_carry_breadcrumbs_back_home(client_for, org_coordinator, url_name):
    page = client_for(org_coordinator).get(reverse(url_name)).content.decode()
    assert 'class="breadcrumbs"' in page
    assert f'<a href="{reverse("web:dashboard")}">Home</a>' in page


def test_strategy_pages_lead_back_through_the_strategy_plans(client_for, org_member, needs):
    plan_id = needs.action.objective.goal.plan_id
    page = client_for(org_member).get(reverse("campaigns:plan_detail", args=[plan_id]))
    html = page.content.decode()
    assert 'href="/campaigns/#strategy-plans">Strategy plans</a>' in html


def test_menu_reaches_strategy_plans_for_members_not_for_stakeholders(
    client_for, org_member, stakeholder
):
    member = client_for(org_member).get(reverse("web:dashboard")).content.decode()
    assert ">Strategy plans</a>" in member
    reader = client_for(stakeholder).get(reverse("web:dashboard")).content.decode()
    assert ">Strategy plans</a>" not in reader
    assert ">Meetings</a>" not in reader


def test_search_is_the_header_box_not_also_a_menu_entry(client_for, org_member, stakeholder):
    search = reverse("web:search")
    for user in (org_member, stakeholder):
        page = client_for(user).get(reverse("web:dashboard")).content.decode()
        assert page.count(f'action="{search}"') == 1
        assert f'href="{search}"' not in page
