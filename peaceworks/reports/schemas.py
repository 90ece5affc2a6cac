from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from peaceworks.core.pagination import Orderings
from peaceworks.core.schemas import FilterSchema, Id, InSchema, Line, Text

PUBLISHED_ORDERINGS = Orderings(
    choices={"published_at": ("published_at",), "title": ("report__title",)},
    default="-published_at",
)


class PublishedFilter(FilterSchema):
    campaign_id: Id | None = None
    scope: Literal["campaign", "theme", "project", "organisation", "period", ""] = ""
    language: Literal["en", "fr", "es", ""] = ""
    published_since: datetime | None = Field(
        None, description="Only versions published at or after this time (ISO 8601 with an offset)."
    )
    ordering: str = PUBLISHED_ORDERINGS.parameter()


class ReportIn(InSchema):
    campaign_id: Id
    title: Line
    scope: Literal["campaign", "theme", "project", "organisation", "period"] = "campaign"
    theme_id: Id | None = None
    organisation_id: Id | None = None
    year: int | None = None
    language: Literal["en", "fr", "es"] = "en"
    audience: Literal["network", "stakeholders", "public"] = "stakeholders"


class VersionRequestIn(InSchema):
    change_note: Text = ""


class VersionOut(Schema):
    id: int
    report_id: int
    report_title: str
    campaign: str
    number: int
    state: str
    progress: int
    failure_reason: str
    created_at: datetime
    published_at: datetime | None
    change_note: str
    content_hash: str
    pdf_url: str | None
    xlsx_url: str | None


class ReportOut(Schema):
    id: int
    title: str
    campaign: str
    scope: str
    language: str
    audience: str
    versions: list[VersionOut]
