"""A small network every API test can address: a campaign with its themes and the default
framework, one activity with an open round, a stakeholder and a partnership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign, Programme, Theme
from peaceworks.directory.models import Organisation, Partnership, Stakeholder
from peaceworks.directory.tests.factories import make_partnership, make_stakeholder
from peaceworks.impact.default_framework import THEMES
from peaceworks.impact.models import Framework, Round
from peaceworks.impact.services import framework_install_default, round_open


@dataclass(frozen=True)
class World:
    organisation: Organisation
    campaign: Campaign
    framework: Framework
    activity: Activity
    round: Round
    stakeholder: Stakeholder
    partnership: Partnership


@pytest.fixture
def world(network_coordinator: User, organisation: Organisation) -> World:
    programme = Programme.objects.create(name="Rights", code="rights")
    campaign = Campaign.objects.create(programme=programme, name="Rights Camps", code="rpc")
    for number, names in THEMES.items():
        Theme.objects.create(campaign=campaign, number=number, code=f"t{number}", name=names["en"])
    framework = framework_install_default(actor=None, campaign=campaign)
    start = timezone.localdate() - timedelta(days=10)
    activity = Activity.objects.create(
        campaign=campaign,
        host_organisation=organisation,
        code="act-1",
        title="Activity 1",
        activity_type=Activity.Type.WORKCAMP,
        start_date=start,
        end_date=start + timedelta(days=5),
        country="KE",
    )
    activity.themes.set(campaign.themes.all()[:2])
    now = timezone.now()
    survey_round = round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.POST,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
    stakeholder = make_stakeholder(network_coordinator)
    partnership = make_partnership(
        network_coordinator, stakeholders=[stakeholder], organisations=[organisation]
    )
    return World(
        organisation=organisation,
        campaign=campaign,
        framework=framework,
        activity=activity,
        round=survey_round,
        stakeholder=stakeholder,
        partnership=partnership,
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.api.test_fuzz import CALLS

    if CALLS:
        terminalreporter.write_line(
            f"API fuzz: {sum(CALLS.values())} calls over {len(CALLS)} operations"
        )
