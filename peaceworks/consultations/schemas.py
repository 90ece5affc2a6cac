"""API schemas of consultations (``XIn`` / ``XOut`` / ``XPatch``). Choices are Literals, so
an unknown audience, phase, vote or synthesis kind is a 422 naming the field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from peaceworks.consultations.models import Consultation
from peaceworks.core.pagination import UPDATED_SINCE_DESCRIPTION, Orderings
from peaceworks.core.schemas import FilterSchema, Id, InSchema, Line, PatchSchema, Text

Audience = Literal["all_members", "networks", "regions", "public_link"]
Phase = Literal["draft", "open", "deliberation", "synthesis", "closed"]
Language = Literal["en", "fr", "es"]


def _all_languages() -> list[Language]:
    return ["en", "fr", "es"]


Slug = Field(..., min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")


class ConsultationOut(Schema):
    id: int
    title: str
    slug: str
    description: str
    audience: str
    regions: list[str]
    allows_anonymous: bool
    languages: list[str]
    phase: str
    opens_on: date | None
    deliberation_on: date | None
    synthesis_on: date | None
    closes_on: date | None
    can_contribute: bool = False
    can_vote: bool = False
    what_you_can_do: str = ""


class ConsultationIn(InSchema):
    title: Line
    slug: str = Slug
    description: Text = ""
    audience: Audience = "all_members"
    regions: list[Line] = Field(default_factory=list, max_length=30)
    allows_anonymous: bool = False
    languages: list[Language] = Field(default_factory=_all_languages, max_length=3)
    opens_on: date | None = None
    deliberation_on: date | None = None
    synthesis_on: date | None = None
    closes_on: date | None = None


class ConsultationPatch(PatchSchema):
    title: Line = None  # type: ignore[assignment]
    description: Text = None  # type: ignore[assignment]
    audience: Audience = None  # type: ignore[assignment]
    regions: list[Line] = None  # type: ignore[assignment]
    allows_anonymous: bool = None  # type: ignore[assignment]
    languages: list[Language] = None  # type: ignore[assignment]
    opens_on: date | None = None
    deliberation_on: date | None = None
    synthesis_on: date | None = None
    closes_on: date | None = None


class PhaseIn(InSchema):
    phase: Phase


class PromptOut(Schema):
    id: int
    number: int
    texts: dict[str, str]


class PromptIn(InSchema):
    en: Text = ""
    fr: Text = ""
    es: Text = ""


class ContributionIn(InSchema):
    prompt_id: Id
    text: Text
    anonymous: bool = False
    quote_consent: bool = False


class ContributionOut(Schema):
    id: int
    prompt_id: int
    text: str
    language: str
    anonymous: bool
    quote_consent: bool
    moderation: str
    created_at: datetime


class ModerationIn(InSchema):
    state: Literal["approved", "rejected"]


class StatementIn(InSchema):
    text: Text = Field(..., max_length=500)


class StatementOut(Schema):
    id: int
    text: str
    language: str
    origin: str
    moderation: str
    external_id: str


class VoteIn(InSchema):
    statement_id: Id
    value: Literal[1, -1, 0]


class VoteOut(Schema):
    statement_id: int
    value: int


class SynthesisIn(InSchema):
    kind: Literal["themes", "groups"]
    seed: int = Field(0, ge=0, le=2**31 - 1)


class SynthesisRunOut(Schema):
    id: int
    kind: str
    state: str
    progress: int
    seed: int
    error: str
    created_at: datetime
    result: dict[str, Any] | None = None


class DraftOut(Schema):
    title: str
    body: str
    updated_at: datetime | None = None


class DraftPatch(PatchSchema):
    title: Line = None  # type: ignore[assignment]
    body: Text = None  # type: ignore[assignment]


class StatementModerationIn(InSchema):
    state: Literal["approved", "rejected"]


class PromotionIn(InSchema):
    """The statement's text; empty: the contribution's own first 500 characters."""

    text: Text = Field("", max_length=500)


class StrategyLinkIn(InSchema):
    """One source (a statement by id or a theme of the latest run by key) and one target."""

    statement_id: Id | None = None
    theme_key: str = Field("", max_length=60)
    target: Literal["reflection", "objective", "action"]
    target_id: Id


class StrategyLinkOut(Schema):
    id: int
    statement_id: int | None
    theme_key: str
    theme_label: str
    target: str
    target_id: int
    created_at: datetime


class PolisImportIn(InSchema):
    """The form fields beside the file: the new consultation's short name and title."""

    slug: str = Slug
    title: Line = ""


class ImportProblemOut(Schema):
    row: int
    column: str
    message: str


class PolisImportOut(Schema):
    """A Pol.is upload: ``previewed`` with the comments it would import (``summary``) and
    every problem (``errors``), then ``imported`` (``consultation`` is its short name) or
    ``failed``."""

    id: int
    status: str
    filename: str
    slug: str
    title: str
    consultation: str | None
    errors: list[ImportProblemOut]
    summary: dict[str, int]


CONSULTATION_ORDERINGS = Orderings(
    choices={"title": ("title",), "opens_on": ("opens_on", "title"), "updated_at": ("updated_at",)},
    default="-opens_on",
)


class ConsultationFilter(FilterSchema):
    phase: Consultation.Phase | Literal[""] = ""
    audience: Consultation.Audience | Literal[""] = ""
    updated_since: datetime | None = Field(None, description=UPDATED_SINCE_DESCRIPTION)
    ordering: str = CONSULTATION_ORDERINGS.parameter()
