"""API schemas: one per direction (``XIn`` / ``XOut`` / ``XPatch`` / ``XFilter``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from peaceworks.core.schemas import InSchema, PatchSchema


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    description: str
    start_date: date | None
    end_date: date | None


class CampaignOut(Schema):
    id: int
    programme_id: int
    kind: str
    code: str
    name: str
    description: str
    start_date: date | None
    end_date: date | None
    lead_organisation_id: int | None
    is_published: bool


class ThemeOut(Schema):
    id: int
    campaign_id: int
    number: int
    code: str
    name: str


class InclusionTargetOut(Schema):
    year: int
    share_fewer_opportunities: Decimal


class ActivityFilter(Schema):
    campaign_id: int | None = None
    organisation_id: int | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    activity_type: str | None = None
    status: str | None = None
    theme_id: int | None = None
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class ActivityOut(Schema):
    id: int
    campaign_id: int
    host_organisation_id: int
    code: str
    title: str
    activity_type: str
    status: str
    start_date: date
    end_date: date
    country: str
    place: str
    language: str
    theme_ids: list[int]
    # the organisations the host names; those in pending_co_organiser_ids have not accepted
    # yet and see nothing of the activity until they do
    co_organiser_ids: list[int]
    pending_co_organiser_ids: list[int]
    international_volunteers: int
    local_volunteers: int
    local_participants: int
    fewer_opportunities_total: int
    fo_disability: int
    fo_health: int
    fo_education: int
    fo_cultural: int
    fo_social: int
    fo_economic: int
    fo_discrimination: int
    fo_geographical: int
    hours_per_day: Decimal | None
    hours_per_day_defaulted: bool


class ActivityPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ActivityOut]


class ActivityIn(InSchema):
    campaign_id: int
    host_organisation_id: int
    code: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(..., min_length=1, max_length=200)
    activity_type: str
    status: str = "planned"
    start_date: date
    end_date: date
    country: str = Field(..., pattern=r"^[A-Za-z]{2}$")
    place: str = Field("", max_length=200)
    language: str = Field("en", max_length=8)
    theme_ids: list[int]
    co_organiser_ids: list[int] = []
    international_volunteers: int = Field(0, ge=0)
    local_volunteers: int = Field(0, ge=0)
    local_participants: int = Field(0, ge=0)
    hours_per_day: Decimal | None = Field(None, gt=0, le=24)
    fewer_opportunities_total: int = Field(0, ge=0)
    fo_disability: int = Field(0, ge=0)
    fo_health: int = Field(0, ge=0)
    fo_education: int = Field(0, ge=0)
    fo_cultural: int = Field(0, ge=0)
    fo_social: int = Field(0, ge=0)
    fo_economic: int = Field(0, ge=0)
    fo_discrimination: int = Field(0, ge=0)
    fo_geographical: int = Field(0, ge=0)


class ActivityPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    activity_type: str | None = None
    status: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    place: str | None = Field(None, max_length=200)
    language: str | None = Field(None, max_length=8)
    theme_ids: list[int] | None = None
    co_organiser_ids: list[int] | None = None
    international_volunteers: int | None = Field(None, ge=0)
    local_volunteers: int | None = Field(None, ge=0)
    local_participants: int | None = Field(None, ge=0)
    hours_per_day: Decimal | None = Field(None, gt=0, le=24)
    fewer_opportunities_total: int | None = Field(None, ge=0)
    fo_disability: int | None = Field(None, ge=0)
    fo_health: int | None = Field(None, ge=0)
    fo_education: int | None = Field(None, ge=0)
    fo_cultural: int | None = Field(None, ge=0)
    fo_social: int | None = Field(None, ge=0)
    fo_economic: int | None = Field(None, ge=0)
    fo_discrimination: int | None = Field(None, ge=0)
    fo_geographical: int | None = Field(None, ge=0)


class OutputsOut(Schema):
    activities: int
    activities_by_type: dict[str, int]
    volunteers: int
    international_volunteers: int
    local_volunteers: int
    local_participants: int
    participants: int
    hosting_countries: int
    active_organisations: int
    new_partners: int
    volunteer_hours: Decimal
    hours_defaulted_activities: int
    activities_without_hours: int
    fewer_opportunities: int
    fewer_opportunities_share: Decimal | None
    education_sessions: int
    education_sessions_by_theme: dict[int, int]


class OutputGroupOut(Schema):
    key: str
    outputs: OutputsOut


class OutputTableOut(Schema):
    dimension: str
    total: OutputsOut
    groups: list[OutputGroupOut]


class RollupOut(Schema):
    progress: Decimal | None
    actions: int
    overdue: int
    at_risk: int


class PlanOut(Schema):
    id: int
    campaign_id: int
    title: str
    start_year: int
    end_year: int
    is_published: bool
    progress: RollupOut


class ReflectionOut(Schema):
    id: int
    kind: str
    text: str
    source_reference: str


class ActionOut(Schema):
    id: int
    objective_id: int
    title: str
    owner_organisation_id: int | None
    owner_user_id: int | None
    start_date: date
    due_date: date
    status: str
    progress: int
    indicator: str
    target: Decimal | None
    actual: Decimal | None
    is_overdue: bool
    is_at_risk: bool


class ObjectiveOut(Schema):
    id: int
    goal_id: int
    number: int
    title: str
    progress: RollupOut
    actions: list[ActionOut]


class GoalOut(Schema):
    id: int
    plan_id: int
    number: int
    title: str
    progress: RollupOut
    objectives: list[ObjectiveOut]


class PlanDetailOut(PlanOut):
    reflections: list[ReflectionOut]
    goals: list[GoalOut]


class ActionProgressPatch(PatchSchema):
    progress: int = Field(..., ge=0, le=100)
    status: str


# Writing the strategy (network staff) ------------------------------------------------------


class PlanIn(InSchema):
    campaign_id: int
    title: str = Field(..., min_length=1, max_length=200)
    start_year: int = Field(..., ge=2000, le=2100)
    end_year: int = Field(..., ge=2000, le=2100)


class PlanPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    start_year: int | None = Field(None, ge=2000, le=2100)
    end_year: int | None = Field(None, ge=2000, le=2100)
    is_published: bool | None = None


class ReflectionIn(InSchema):
    kind: str
    text: str = Field(..., min_length=1)
    source_reference: str = Field("", max_length=300)


class GoalIn(InSchema):
    plan_id: int
    number: int | None = Field(None, ge=1, le=999)
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""


class GoalPatch(PatchSchema):
    number: int | None = Field(None, ge=1, le=999)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None


class ObjectiveIn(InSchema):
    goal_id: int
    number: int | None = Field(None, ge=1, le=999)
    title: str = Field(..., min_length=1, max_length=300)


class ObjectivePatch(PatchSchema):
    number: int | None = Field(None, ge=1, le=999)
    title: str | None = Field(None, min_length=1, max_length=300)


class ActionIn(InSchema):
    objective_id: int
    title: str = Field(..., min_length=1, max_length=300)
    start_date: date
    due_date: date
    owner_organisation_id: int | None = None
    owner_user_id: int | None = None
    status: str = "not_started"
    progress: int = Field(0, ge=0, le=100)
    indicator: str = ""
    target: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class ActionPatch(PatchSchema):
    """Only the fields sent change; send ``null`` to clear an owner or the target."""

    title: str | None = Field(None, min_length=1, max_length=300)
    start_date: date | None = None
    due_date: date | None = None
    owner_organisation_id: int | None = None
    owner_user_id: int | None = None
    status: str | None = None
    progress: int | None = Field(None, ge=0, le=100)
    indicator: str | None = None
    target: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
