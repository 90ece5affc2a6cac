"""API schemas of meetings: ``XIn`` to create, ``XPatch`` to change, ``XOut`` to read."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from ninja import Field, Schema

from peaceworks.campaigns.models import Reflection
from peaceworks.core.pagination import UPDATED_SINCE_DESCRIPTION, Orderings
from peaceworks.core.schemas import (
    OMITTED,
    FilterSchema,
    Id,
    InSchema,
    Line,
    PatchSchema,
    Text,
)
from peaceworks.meetings.models import (
    ActionItem,
    Decision,
    Meeting,
    MinutesRevision,
    Participant,
    Session,
)


class MeetingIn(InSchema):
    title: Line = Field(..., min_length=1, max_length=200)
    short_name: Line = Field(..., min_length=1, max_length=60)
    meeting_type: Meeting.Type
    start_date: date
    end_date: date
    time_zone: Line = Field("Europe/Paris", min_length=1, max_length=64)
    place: Line = Field("", max_length=200)
    online_url: Line = ""
    description: Text = ""
    host_organisation_id: Id | None = None
    campaign_id: Id | None = None
    previous_meeting_id: Id | None = None
    stakeholder_ids: list[Id] = Field(default_factory=list, max_length=100)


class MeetingPatch(PatchSchema):
    title: Line = Field(OMITTED, min_length=1, max_length=200)
    short_name: Line = Field(OMITTED, min_length=1, max_length=60)
    meeting_type: Meeting.Type = OMITTED
    start_date: date = OMITTED
    end_date: date = OMITTED
    time_zone: Line = Field(OMITTED, min_length=1, max_length=64)
    place: Line = Field(OMITTED, max_length=200)
    online_url: Line = OMITTED
    description: Text = OMITTED
    host_organisation_id: Id | None = None
    campaign_id: Id | None = None
    previous_meeting_id: Id | None = None
    stakeholder_ids: list[Id] = Field(OMITTED, max_length=100)


class MeetingOut(Schema):
    id: int
    title: str
    short_name: str
    meeting_type: str
    start_date: date
    end_date: date
    time_zone: str
    place: str
    online_url: str
    description: str
    host_organisation_id: int | None
    campaign_id: int | None
    previous_meeting_id: int | None
    stakeholder_ids: list[int]


class ParticipantIn(InSchema):
    user_id: Id | None = None
    name: Line = Field("", max_length=150)
    organisation_id: Id | None = None
    represents: Line = Field("", max_length=200)
    role: Participant.Role = Participant.Role.PARTICIPANT
    attendance: Participant.Attendance = Participant.Attendance.UNKNOWN


class ParticipantPatch(PatchSchema):
    name: Line = Field(OMITTED, max_length=150)
    organisation_id: Id | None = None
    represents: Line = Field(OMITTED, max_length=200)
    role: Participant.Role = OMITTED
    attendance: Participant.Attendance = OMITTED
    rsvp: Participant.Rsvp = OMITTED


class ParticipantOut(Schema):
    id: int
    meeting_id: int
    user_id: int | None
    name: str
    organisation_id: int | None
    represents: str
    role: str
    attendance: str
    rsvp: str


class SessionIn(InSchema):
    day: date
    start_time: time
    end_time: time
    title: Line = Field(..., min_length=1, max_length=200)
    kind: Session.Kind = Session.Kind.PLENARY
    description: Text = ""
    facilitator: Line = Field("", max_length=150)
    plan_id: Id | None = None
    framework_id: Id | None = None
    consultation_id: Id | None = None


class SessionPatch(PatchSchema):
    day: date = OMITTED
    start_time: time = OMITTED
    end_time: time = OMITTED
    title: Line = Field(OMITTED, min_length=1, max_length=200)
    kind: Session.Kind = OMITTED
    description: Text = OMITTED
    facilitator: Line = Field(OMITTED, max_length=150)
    plan_id: Id | None = None
    framework_id: Id | None = None
    consultation_id: Id | None = None


class SessionOut(Schema):
    id: int
    meeting_id: int
    day: date
    start_time: time
    end_time: time
    starts_at: datetime
    ends_at: datetime
    title: str
    kind: str
    description: str
    facilitator: str
    plan_id: int | None
    framework_id: int | None
    consultation_id: int | None


class DocumentOut(Schema):
    id: int
    session_id: int
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class MinutesIn(InSchema):
    body: Text = Field(..., min_length=1)


class MinutesPatch(PatchSchema):
    body: Text = Field(..., min_length=1)


class RevisionIn(InSchema):
    body: Text = Field(..., min_length=1)
    reason: Line = Field(..., min_length=1, max_length=300)


class MinutesOut(Schema):
    id: int
    session_id: int
    number: int
    state: MinutesRevision.State
    body: str
    html: str
    reason: str
    author_id: int | None
    approved_by_id: int | None
    approved_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DecisionIn(InSchema):
    text: Text = Field(..., min_length=1)
    proposed_by: Line = Field("", max_length=200)
    outcome: Decision.Outcome = Decision.Outcome.ADOPTED
    session_id: Id | None = None


class DecisionPatch(PatchSchema):
    text: Text = Field(OMITTED, min_length=1)
    proposed_by: Line = Field(OMITTED, max_length=200)
    outcome: Decision.Outcome = OMITTED
    session_id: Id | None = None


StrategyKind = Literal["reflection", "goal", "objective", "action"]


class StrategyCreateIn(InSchema):
    """What the decision creates: a reflection or goal in a plan (``parent_id``), an
    objective under a goal, an action under an objective."""

    kind: StrategyKind
    parent_id: Id
    title: Line = Field(..., min_length=1, max_length=300)
    reflection_kind: Reflection.Kind = Reflection.Kind.FUTURE
    start_date: date | None = None
    due_date: date | None = None
    owner_organisation_id: Id | None = None
    owner_user_id: Id | None = None


class StrategyLinkIn(InSchema):
    kind: StrategyKind
    item_id: Id


class DecisionOut(Schema):
    id: int
    meeting_id: int
    number: int
    label: str
    text: str
    proposed_by: str
    outcome: str
    session_id: int | None
    strategy_effect: str
    reflection_id: int | None
    goal_id: int | None
    objective_id: int | None
    action_id: int | None


class ActionItemIn(InSchema):
    title: Line = Field(..., min_length=1, max_length=300)
    owner_user_id: Id | None = None
    owner_organisation_id: Id | None = None
    due_date: date
    status: ActionItem.Status = ActionItem.Status.OPEN
    decision_id: Id | None = None
    strategy_action_id: Id | None = None


class ActionItemPatch(PatchSchema):
    title: Line = Field(OMITTED, min_length=1, max_length=300)
    owner_user_id: Id | None = None
    owner_organisation_id: Id | None = None
    due_date: date = OMITTED
    status: ActionItem.Status = OMITTED
    decision_id: Id | None = None
    strategy_action_id: Id | None = None


class ActionItemOut(Schema):
    id: int
    meeting_id: int
    title: str
    owner_user_id: int | None
    owner_organisation_id: int | None
    due_date: date
    status: str
    decision_id: int | None
    strategy_action_id: int | None


MEETING_ORDERINGS = Orderings(
    choices={
        "start_date": ("start_date", "title"),
        "title": ("title",),
        "updated_at": ("updated_at",),
    },
    default="-start_date",
)


class MeetingFilter(FilterSchema):
    meeting_type: Meeting.Type | None = None
    campaign_id: Id | None = None
    host_organisation_id: Id | None = None
    starts_from: date | None = Field(
        None, description="Only meetings whose last day is on or after this date."
    )
    updated_since: datetime | None = Field(None, description=UPDATED_SINCE_DESCRIPTION)
    ordering: str = MEETING_ORDERINGS.parameter()
