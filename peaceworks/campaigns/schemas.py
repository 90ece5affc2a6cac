"""API schemas: one per direction (``XIn`` / ``XOut`` / ``XPatch`` / ``XFilter``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from peaceworks.campaigns.models import (
    NOTE_MAX_LENGTH,
    Action,
    Activity,
    Campaign,
    OutputIndicator,
    Reflection,
)
from peaceworks.core.pagination import UPDATED_SINCE_DESCRIPTION, Orderings
from peaceworks.core.schemas import (
    OMITTED,
    Count,
    FilterSchema,
    Id,
    InSchema,
    Line,
    PatchSchema,
    Text,
)

#: network-written texts in other languages than the original: ``{"fr": {"name": "…"}}``
#: (languages and fields are checked by the services: a problem names ``translations``)
Translations = dict[str, dict[str, Line]]


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    description: str
    translations: Translations
    start_date: date | None
    end_date: date | None


class CampaignOut(Schema):
    id: int
    programme_id: int
    kind: str
    code: str
    name: str
    description: str
    translations: Translations
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
    description: str
    translations: Translations


class ProgrammePatch(PatchSchema):
    """Only the fields sent change; ``null`` clears a date and is refused elsewhere."""

    name: Line = Field(OMITTED, min_length=1, max_length=200)
    code: str = Field(OMITTED, pattern=r"^[-a-zA-Z0-9_]+$", max_length=40)
    description: Text = OMITTED
    start_date: date | None = OMITTED
    end_date: date | None = OMITTED
    translations: Translations = OMITTED


class CampaignPatch(ProgrammePatch):
    """Only the fields sent change; ``null`` clears a date or the lead organisation."""

    kind: Campaign.Kind = OMITTED
    lead_organisation_id: Id | None = OMITTED


class ThemePatch(PatchSchema):
    number: int = Field(OMITTED, ge=1, le=99)
    code: str = Field(OMITTED, pattern=r"^[-a-zA-Z0-9_]+$", max_length=40)
    name: Line = Field(OMITTED, min_length=1, max_length=200)
    description: Text = OMITTED
    translations: Translations = OMITTED


class InclusionTargetOut(Schema):
    year: int
    share_fewer_opportunities: Decimal


ACTIVITY_ORDERINGS = Orderings(
    choices={
        "start_date": ("start_date", "title"),
        "title": ("title",),
        "code": ("code",),
        "updated_at": ("updated_at",),
    },
    default="-start_date",
)


class ActivityFilter(FilterSchema):
    campaign_id: Id | None = None
    organisation_id: Id | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    activity_type: str | None = Field(None, max_length=20)
    status: str | None = Field(None, max_length=20)
    theme_id: Id | None = None
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    updated_since: datetime | None = Field(None, description=UPDATED_SINCE_DESCRIPTION)
    ordering: str = ACTIVITY_ORDERINGS.parameter()


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


class ActivityIn(InSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "campaign_id": 3,
                    "host_organisation_id": 12,
                    "code": "KE-2026-07",
                    "title": "Rebuilding the school wall in Kisumu",
                    "activity_type": "workcamp",
                    "status": "planned",
                    "start_date": "2026-07-06",
                    "end_date": "2026-07-20",
                    "country": "KE",
                    "place": "Kisumu",
                    "language": "en",
                    "theme_ids": [1, 4],
                    "international_volunteers": 8,
                    "local_volunteers": 6,
                    "local_participants": 40,
                    "hours_per_day": "6.5",
                }
            ]
        }
    )

    campaign_id: Id
    host_organisation_id: Id
    code: Line = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: Line = Field(..., min_length=1, max_length=200)
    activity_type: Activity.Type
    status: Activity.Status = Activity.Status.PLANNED
    start_date: date
    end_date: date
    country: str = Field(..., pattern=r"^[A-Za-z]{2}$")
    place: Line = Field("", max_length=200)
    language: Line = Field("en", max_length=8)
    theme_ids: list[Id]
    co_organiser_ids: list[Id] = []
    international_volunteers: Count = 0
    local_volunteers: Count = 0
    local_participants: Count = 0
    hours_per_day: Decimal | None = Field(None, gt=0, le=24)
    fewer_opportunities_total: Count = 0
    fo_disability: Count = 0
    fo_health: Count = 0
    fo_education: Count = 0
    fo_cultural: Count = 0
    fo_social: Count = 0
    fo_economic: Count = 0
    fo_discrimination: Count = 0
    fo_geographical: Count = 0


class ActivityPatch(PatchSchema):
    """Only the fields sent change; ``null`` clears ``hours_per_day`` and is refused elsewhere."""

    title: Line = Field(OMITTED, min_length=1, max_length=200)
    activity_type: Activity.Type = OMITTED
    status: Activity.Status = OMITTED
    start_date: date = OMITTED
    end_date: date = OMITTED
    country: str = Field(OMITTED, pattern=r"^[A-Za-z]{2}$")
    place: Line = Field(OMITTED, max_length=200)
    language: Line = Field(OMITTED, max_length=8)
    theme_ids: list[Id] = OMITTED
    co_organiser_ids: list[Id] = OMITTED
    international_volunteers: Count = OMITTED
    local_volunteers: Count = OMITTED
    local_participants: Count = OMITTED
    hours_per_day: Decimal | None = Field(None, gt=0, le=24)
    fewer_opportunities_total: Count = OMITTED
    fo_disability: Count = OMITTED
    fo_health: Count = OMITTED
    fo_education: Count = OMITTED
    fo_cultural: Count = OMITTED
    fo_social: Count = OMITTED
    fo_economic: Count = OMITTED
    fo_discrimination: Count = OMITTED
    fo_geographical: Count = OMITTED


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
    translations: Translations
    start_year: int
    end_year: int
    is_published: bool
    progress: RollupOut


class ReflectionOut(Schema):
    id: int
    kind: str
    text: str
    source_reference: str
    translations: Translations


class ActionOut(Schema):
    id: int
    objective_id: int
    title: str
    translations: Translations
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
    translations: Translations
    progress: RollupOut
    actions: list[ActionOut]


class GoalOut(Schema):
    id: int
    plan_id: int
    number: int
    title: str
    description: str
    translations: Translations
    progress: RollupOut
    objectives: list[ObjectiveOut]


class PlanDetailOut(PlanOut):
    reflections: list[ReflectionOut]
    goals: list[GoalOut]


class ActionProgressPatch(PatchSchema):
    progress: int = Field(..., ge=0, le=100)
    status: Action.Status
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


# Writing the strategy (network staff) ------------------------------------------------------


class PlanIn(InSchema):
    campaign_id: Id
    title: Line = Field(..., min_length=1, max_length=200)
    start_year: int = Field(..., ge=2000, le=2100)
    end_year: int = Field(..., ge=2000, le=2100)
    translations: Translations = Field(default_factory=dict)


class PlanPatch(PatchSchema):
    title: Line = Field(OMITTED, min_length=1, max_length=200)
    start_year: int = Field(OMITTED, ge=2000, le=2100)
    end_year: int = Field(OMITTED, ge=2000, le=2100)
    is_published: bool = OMITTED
    translations: Translations = OMITTED


class ReflectionIn(InSchema):
    kind: Reflection.Kind
    text: Text = Field(..., min_length=1)
    source_reference: Line = Field("", max_length=300)
    translations: dict[str, dict[str, Text]] = Field(default_factory=dict)


class GoalIn(InSchema):
    plan_id: Id
    number: int | None = Field(None, ge=1, le=999)
    title: Line = Field(..., min_length=1, max_length=300)
    description: Text = ""
    translations: dict[str, dict[str, Text]] = Field(default_factory=dict)


class GoalPatch(PatchSchema):
    number: int = Field(OMITTED, ge=1, le=999)
    title: Line = Field(OMITTED, min_length=1, max_length=300)
    description: Text = OMITTED
    translations: dict[str, dict[str, Text]] = OMITTED


class ObjectiveIn(InSchema):
    goal_id: Id
    number: int | None = Field(None, ge=1, le=999)
    title: Line = Field(..., min_length=1, max_length=300)
    translations: Translations = Field(default_factory=dict)


class ObjectivePatch(PatchSchema):
    number: int = Field(OMITTED, ge=1, le=999)
    title: Line = Field(OMITTED, min_length=1, max_length=300)
    translations: Translations = OMITTED


class ActionIn(InSchema):
    objective_id: Id
    title: Line = Field(..., min_length=1, max_length=300)
    start_date: date
    due_date: date
    owner_organisation_id: Id | None = None
    owner_user_id: Id | None = None
    status: Action.Status = Action.Status.NOT_STARTED
    progress: int = Field(0, ge=0, le=100)
    indicator: OutputIndicator | Literal[""] = ""
    target: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    translations: Translations = Field(default_factory=dict)


class ActionPatch(PatchSchema):
    """Only the fields sent change; send ``null`` to clear an owner or the target."""

    title: Line = Field(OMITTED, min_length=1, max_length=300)
    start_date: date = OMITTED
    due_date: date = OMITTED
    owner_organisation_id: Id | None = None
    owner_user_id: Id | None = None
    status: Action.Status = OMITTED
    progress: int = Field(OMITTED, ge=0, le=100)
    indicator: OutputIndicator | Literal[""] = OMITTED
    target: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    translations: Translations = OMITTED
