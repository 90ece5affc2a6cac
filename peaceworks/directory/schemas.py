"""API schemas of the directory: one per direction (``XIn``, ``XOut``, ``XPatch``, ``XFilter``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from peaceworks.core.pagination import UPDATED_SINCE_DESCRIPTION, Orderings
from peaceworks.core.schemas import OMITTED, FilterSchema, Id, InSchema, Line, PatchSchema, Text

RoleName = Literal["sending", "hosting", "coordinating"]
MembershipTypeName = Literal["full", "candidate", "affiliated", "partner", "supporter"]
StakeholderTypeName = Literal[
    "un_agency", "funder", "public_authority", "university", "cso", "sister_network", "other"
]
PurposeName = Literal["funder", "host", "co_organiser", "advocacy_target", "research_partner"]
PartnershipStatusName = Literal["exploring", "negotiating", "active", "ended"]


class AffiliationOut(Schema):
    network_id: int
    network_code: str
    membership_type: str
    status: str
    status_since: date | None


class OrganisationOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 12,
                    "code": "ORG-KE-PEACE",
                    "name": "Kenya Peace Volunteers",
                    "acronym": "KPV",
                    "country": "KE",
                    "country_name": "Kenya",
                    "region": "002",
                    "subregion": "014",
                    "city": "Nairobi",
                    "website": "https://kpv.example.org",
                    "roles": ["sending", "hosting"],
                    "networks": [
                        {
                            "network_id": 1,
                            "network_code": "SCI",
                            "membership_type": "full",
                            "status": "active",
                            "status_since": "2019-05-01",
                        }
                    ],
                }
            ]
        }
    )

    id: int
    code: str
    name: str
    acronym: str
    country: str
    country_name: str
    region: str
    subregion: str
    city: str
    website: str
    roles: list[str]
    networks: list[AffiliationOut]


ORGANISATION_ORDERINGS = Orderings(
    choices={
        "name": ("name",),
        "code": ("code",),
        "country": ("country", "name"),
        "updated_at": ("updated_at",),
    },
    default="name",
)
# Stakeholders are ordered as organisations are: by name, code, country or change.
STAKEHOLDER_ORDERINGS = ORGANISATION_ORDERINGS
PARTNERSHIP_ORDERINGS = Orderings(
    choices={
        "title": ("title",),
        "code": ("code",),
        "start_date": ("start_date",),
        "updated_at": ("updated_at",),
    },
    default="-start_date",
)


class OrganisationFilter(FilterSchema):
    q: str = Field("", max_length=100)
    country: str = Field("", max_length=2)
    region: str = Field("", max_length=3)
    network: Id | None = None
    membership_type: MembershipTypeName | Literal[""] = ""
    role: RoleName | Literal[""] = ""
    updated_since: datetime | None = Field(None, description=UPDATED_SINCE_DESCRIPTION)
    ordering: str = ORGANISATION_ORDERINGS.parameter()


class StakeholderFilter(FilterSchema):
    q: str = Field("", max_length=100)
    stakeholder_type: StakeholderTypeName | Literal[""] = ""
    country: str = Field("", max_length=2)
    updated_since: datetime | None = Field(None, description=UPDATED_SINCE_DESCRIPTION)
    ordering: str = STAKEHOLDER_ORDERINGS.parameter()


class PartnershipFilter(FilterSchema):
    status: PartnershipStatusName | Literal[""] = ""
    purpose: PurposeName | Literal[""] = ""
    updated_since: datetime | None = Field(None, description=UPDATED_SINCE_DESCRIPTION)
    ordering: str = PARTNERSHIP_ORDERINGS.parameter()


class OrganisationIn(InSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "ORG-KE-PEACE",
                    "name": "Kenya Peace Volunteers",
                    "country": "KE",
                    "acronym": "KPV",
                    "city": "Nairobi",
                    "website": "https://kpv.example.org",
                    "roles": ["sending", "hosting"],
                }
            ]
        }
    )

    code: Line = Field(max_length=40)
    name: Line = Field(max_length=200)
    country: Line = Field(min_length=2, max_length=2)
    acronym: Line = Field("", max_length=30)
    city: Line = Field("", max_length=120)
    website: Line = Field("", max_length=200)
    roles: list[RoleName] = []


class OrganisationPatch(PatchSchema):
    """Only the fields sent change; ``null`` is refused (an empty string clears a text)."""

    code: Line = Field(OMITTED, max_length=40)
    name: Line = Field(OMITTED, max_length=200)
    country: Line = Field(OMITTED, min_length=2, max_length=2)
    acronym: Line = Field(OMITTED, max_length=30)
    city: Line = Field(OMITTED, max_length=120)
    website: Line = Field(OMITTED, max_length=200)
    roles: list[RoleName] = OMITTED


class NetworkOut(Schema):
    id: int
    code: str
    name: str
    acronym: str
    member_count: int


class ContactOut(Schema):
    id: int
    name: str
    position: str
    email: str
    phone: str


class StakeholderOut(Schema):
    id: int
    code: str
    name: str
    acronym: str
    stakeholder_type: str
    country: str
    city: str
    website: str
    description: str
    contacts: list[ContactOut]


class StakeholderIn(InSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "UNV",
                    "name": "United Nations Volunteers",
                    "stakeholder_type": "un_agency",
                    "acronym": "UNV",
                    "country": "DE",
                    "city": "Bonn",
                    "website": "https://www.unv.org",
                    "description": "Advises on volunteer recognition.",
                }
            ]
        }
    )

    code: Line = Field(max_length=40)
    name: Line = Field(max_length=200)
    stakeholder_type: StakeholderTypeName
    acronym: Line = Field("", max_length=30)
    country: Line = Field("", max_length=2)
    city: Line = Field("", max_length=120)
    website: Line = Field("", max_length=200)
    description: Text = Field("", max_length=5000)


class StakeholderPatch(PatchSchema):
    """Only the fields sent change; ``null`` is refused (an empty string clears a text)."""

    code: Line = Field(OMITTED, max_length=40)
    name: Line = Field(OMITTED, max_length=200)
    stakeholder_type: StakeholderTypeName = OMITTED
    acronym: Line = Field(OMITTED, max_length=30)
    country: Line = Field(OMITTED, max_length=2)
    city: Line = Field(OMITTED, max_length=120)
    website: Line = Field(OMITTED, max_length=200)
    description: Text = Field(OMITTED, max_length=5000)


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    size: int


class PartnershipOut(Schema):
    id: int
    code: str
    title: str
    purpose: str
    status: str
    signed_on: date | None
    start_date: date | None
    end_date: date | None
    description: str
    organisation_ids: list[int]
    stakeholder_ids: list[int]


class PartnershipDetailOut(PartnershipOut):
    documents: list[DocumentOut]


class PartnershipIn(InSchema):
    code: Line = Field(max_length=60)
    title: Line = Field(max_length=200)
    purpose: PurposeName
    status: PartnershipStatusName = "exploring"
    signed_on: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    description: Text = Field("", max_length=5000)
    organisation_ids: list[Id] = Field([], max_length=1000)
    stakeholder_ids: list[Id] = Field([], max_length=1000)


class PartnershipPatch(PatchSchema):
    """Only the fields sent change; ``null`` clears a date and is refused elsewhere."""

    code: Line = Field(OMITTED, max_length=60)
    title: Line = Field(OMITTED, max_length=200)
    purpose: PurposeName = OMITTED
    status: PartnershipStatusName = OMITTED
    signed_on: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    description: Text = Field(OMITTED, max_length=5000)
    organisation_ids: list[Id] = Field(OMITTED, max_length=1000)
    stakeholder_ids: list[Id] = Field(OMITTED, max_length=1000)


WebhookEventName = Literal[
    "response.received",
    "import.finished",
    "report.published",
    "action_item.due",
    "consultation.phase_changed",
]


class WebhookSubscriptionIn(InSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://crm.example.org/peaceworks/hooks",
                    "events": ["response.received", "import.finished"],
                }
            ]
        }
    )

    url: Line = Field(max_length=500)
    events: list[WebhookEventName] = Field(min_length=1, max_length=10)


class WebhookSubscriptionOut(Schema):
    id: int
    organisation_id: int
    url: str
    events: list[str]
    is_active: bool


class WebhookSubscriptionCreatedOut(WebhookSubscriptionOut):
    """Only the answer to the subscription's creation carries its signing secret."""

    secret: str


class WebhookAttemptOut(Schema):
    at: datetime
    address: str
    status_code: int | None
    error: str
    duration_ms: int


class WebhookDeliveryOut(Schema):
    id: int
    subscription_id: int
    event: str
    event_id: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    attempt_log: list[WebhookAttemptOut]


EngagementKindName = Literal["meeting", "call", "email", "event", "other"]
FollowUpStatusName = Literal["open", "done", "dropped"]


class FollowUpOut(Schema):
    id: int
    engagement_id: int
    description: str
    owner_id: int
    owner_email: str
    due_date: date | None
    status: str


class EngagementOut(Schema):
    id: int
    occurred_on: date
    kind: str
    title: str
    people: str
    summary: str
    advice_received: str
    commitments: str
    stakeholder_id: int | None
    organisation_id: int | None
    partnership_id: int | None
    follow_ups: list[FollowUpOut]


class EngagementIn(InSchema):
    """One of ``stakeholder_id``, ``organisation_id`` or ``partnership_id`` names who the
    engagement was with."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "occurred_on": "2026-02-12",
                    "kind": "meeting",
                    "title": "Annual review with UNV",
                    "people": "Programme officer; our coordinator",
                    "summary": "Reviewed the volunteer recognition campaign.",
                    "commitments": "Share the 2025 results by March.",
                    "stakeholder_id": 4,
                }
            ]
        }
    )

    occurred_on: date
    kind: EngagementKindName = "meeting"
    title: Line = Field(min_length=1, max_length=200)
    people: Text = Field("", max_length=5000)
    summary: Text = Field("", max_length=20000)
    advice_received: Text = Field("", max_length=20000)
    commitments: Text = Field("", max_length=20000)
    stakeholder_id: Id | None = None
    organisation_id: Id | None = None
    partnership_id: Id | None = None


class FollowUpIn(InSchema):
    description: Line = Field(min_length=1, max_length=300)
    owner_id: Id
    due_date: date | None = None


class FollowUpPatch(PatchSchema):
    status: FollowUpStatusName = OMITTED
