"""A small network every API test can address: a campaign with its themes and the default
framework, one activity with an open round, a stakeholder and a partnership."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass

import pytest

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.directory.models import Organisation, Partnership, Stakeholder
from peaceworks.directory.tests.factories import make_partnership, make_stakeholder
from peaceworks.impact.models import Framework, Round


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
def world(network_coordinator: User, organisation: Organisation, survey_round: Round) -> World:
    activity = survey_round.activity
    campaign = activity.campaign
    framework = survey_round.instrument.framework
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
    fuzz = sys.modules.get("tests.api.test_fuzz")
    if fuzz is None:  # not collected: importing it now would load the schema outside a test
        return
    CALLS = fuzz.CALLS  # the fuzz module's counter
    if CALLS:
        personas = Counter(label.split(" ", 1)[0] for label in CALLS.elements())
        terminalreporter.write_line(
            f"API fuzz: {sum(CALLS.values())} calls over {len(CALLS)} (operation, persona) pairs ("
            + ", ".join(f"{persona}: {count}" for persona, count in sorted(personas.items()))
            + ")"
        )
