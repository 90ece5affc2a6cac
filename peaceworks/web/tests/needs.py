"""One thing of each kind that needs someone, built through the services on a given day: an
overdue strategy action of the organisation, a survey round of its activity closing in 5 days
and one of another organisation's activity, an answer reporting harm, a follow-up of the network
coordinator and an action item of the organisation's coordinator, both due in 3 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Activity, Campaign
from peaceworks.campaigns.services import (
    action_create,
    goal_create,
    objective_create,
    plan_create,
)
from peaceworks.directory.models import Organisation
from peaceworks.directory.services import engagement_record, follow_up_create
from peaceworks.directory.tests.factories import make_stakeholder
from peaceworks.impact.models import Response, Round
from peaceworks.impact.services import round_open
from peaceworks.meetings.models import ActionItem, Meeting
from peaceworks.meetings.services import action_item_create, meeting_create

#: the day the tests build and ask on (a Monday): nothing depends on the day they run
TODAY = date(2026, 12, 7)


@dataclass(frozen=True)
class Needs:
    today: date
    action: Action
    own_round: Round
    other_round: Round
    harm: Response
    item: ActionItem


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build_needs(
    *,
    today: date,
    coordinator: User,
    org_coordinator: User,
    organisation: Organisation,
    campaign: Campaign,
    own_activity: Activity,
    other_activity: Activity,
) -> Needs:
    plan = plan_create(
        actor=coordinator, campaign=campaign, title="Strategy", start_year=2026, end_year=2027
    )
    goal = goal_create(actor=coordinator, plan=plan, title="Grow the campaign")
    objective = objective_create(actor=coordinator, goal=goal, title="More workcamps")
    action = action_create(
        actor=coordinator,
        objective=objective,
        title="Train the camp leaders",
        start_date=today - timedelta(days=60),
        due_date=today - timedelta(days=10),
        owner_organisation=organisation,
    )
    rounds = [
        round_open(
            actor=None,
            activity=activity,
            kind=Round.Kind.POST,
            opens_at=_at(today - timedelta(days=2)),
            closes_at=_at(today + timedelta(days=5)),
        )
        for activity in (own_activity, other_activity)
    ]
    harm = Response.objects.create(
        round=rounds[0],
        instrument_version=rounds[0].instrument,
        language="en",
        payload_hash="0" * 64,
        consent_version="1",
        harm_status=Response.HarmStatus.PENDING,
        submitted_at=_at(today - timedelta(days=1)),
    )
    stakeholder = make_stakeholder(coordinator, name="Unesco Peace Desk")
    engagement = engagement_record(
        actor=coordinator,
        stakeholder=stakeholder,
        values={
            "occurred_on": today - timedelta(days=5),
            "title": "Private talk on funding",
            "summary": "Confidential budget figures",
        },
    )
    follow_up_create(
        actor=coordinator,
        engagement=engagement,
        description="Send the funding note",
        owner=coordinator,
        due_date=today + timedelta(days=3),
    )
    meeting = meeting_create(
        actor=coordinator,
        values={
            "title": "Coordinators Meeting Lima",
            "short_name": "Lima",
            "meeting_type": Meeting.Type.COORDINATORS,
            "start_date": today - timedelta(days=20),
            "end_date": today - timedelta(days=18),
            "time_zone": "America/Lima",
            "place": "Lima",
        },
    )
    item = action_item_create(
        actor=coordinator,
        meeting=meeting,
        values={
            "title": "Share the camp calendar",
            "owner_user": org_coordinator,
            "due_date": today + timedelta(days=3),
        },
    )
    return Needs(today, action, rounds[0], rounds[1], harm, item)
