"""Meeting fixtures, built through the services by a network coordinator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest

from peaceworks.accounts.models import Role, User
from peaceworks.campaigns.models import Objective, Plan
from peaceworks.campaigns.services import (
    campaign_create,
    goal_create,
    objective_create,
    plan_create,
    programme_create,
)
from peaceworks.directory.models import Affiliation, Network, Organisation
from peaceworks.meetings.models import Meeting, Participant, Session
from peaceworks.meetings.services import meeting_create, participant_add, session_create


@pytest.fixture
def network(organisation: Organisation, other_organisation: Organisation) -> Network:
    """Both test organisations are active members of one network."""
    network = Network.objects.create(name="IVS Network", code="ivs")
    for member in (organisation, other_organisation):
        Affiliation.objects.create(organisation=member, network=network)
    return network


@pytest.fixture
def meeting(network_coordinator: User, network: Network) -> Meeting:
    return meeting_create(
        actor=network_coordinator,
        values={
            "title": "Network Coordinators Meeting Paris 2026",
            "short_name": "Paris 2026",
            "meeting_type": Meeting.Type.COORDINATORS,
            "start_date": date(2026, 4, 13),
            "end_date": date(2026, 4, 17),
            "time_zone": "Europe/Paris",
            "place": "Paris",
        },
    )


@pytest.fixture
def session(network_coordinator: User, meeting: Meeting) -> Session:
    return session_create(
        actor=network_coordinator,
        meeting=meeting,
        values={
            "day": date(2026, 4, 14),
            "start_time": time(9, 0),
            "end_time": time(12, 30),
            "title": "Strategy workshop",
            "kind": Session.Kind.WORKSHOP,
        },
    )


@pytest.fixture
def add_participant(network_coordinator: User, meeting: Meeting) -> Callable[..., Participant]:
    def add(user: User, role: str = Participant.Role.PARTICIPANT, **values: Any) -> Participant:
        return participant_add(
            actor=network_coordinator,
            meeting=meeting,
            values={"user": user, "role": role, **values},
        )

    return add


@pytest.fixture
def chair(make_user: Callable[..., User], organisation: Organisation, add_participant) -> User:
    user = make_user(Role.ORG_COORDINATOR, organisation, email="chair@example.org")
    add_participant(user, Participant.Role.CHAIR)
    return user


@pytest.fixture
def note_taker(org_member: User, add_participant) -> User:
    add_participant(org_member, Participant.Role.NOTE_TAKER)
    return org_member


@pytest.fixture
def plan(network_coordinator: User) -> Plan:
    programme = programme_create(actor=network_coordinator, name="Raising Peace", code="rp")
    campaign = campaign_create(
        actor=network_coordinator, programme=programme, name="Raising Peace Campaign", code="rpc"
    )
    return plan_create(
        actor=network_coordinator,
        campaign=campaign,
        title="Strategy",
        start_year=2027,
        end_year=2028,
    )


@pytest.fixture
def objective(network_coordinator: User, plan: Plan) -> Objective:
    goal = goal_create(actor=network_coordinator, plan=plan, title="Grow the campaign")
    return objective_create(actor=network_coordinator, goal=goal, title="More workcamps on peace")
