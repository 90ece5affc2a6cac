"""API schemas of the impact app: one per direction."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from peaceworks.core.pagination import UPDATED_SINCE_DESCRIPTION, Orderings
from peaceworks.core.schemas import FilterSchema, Id, InSchema, Line
from peaceworks.impact.models import Indicator, Round


class FrameworkOut(Schema):
    id: int
    campaign_id: int
    name: str
    source: str


class TargetOut(Schema):
    period: str
    value: Decimal


class IndicatorOut(Schema):
    id: int
    code: str
    name: dict[str, str]
    kind: str
    unit: str
    direction: str
    aggregation: str
    outcome_code: str | None
    theme_number: int | None
    source_questions: list[str]
    output_key: str
    baseline: Decimal | None
    disaggregations: list[str]
    targets: list[TargetOut]


class IndicatorIn(InSchema):
    code: str = Field(pattern=r"^[a-z0-9_-]{1,40}$")
    name: dict[Line, Line] = Field(max_length=20)
    kind: Indicator.Kind
    aggregation: Indicator.Aggregation
    unit: Line = Field("", max_length=40)
    direction: Indicator.Direction = Indicator.Direction.INCREASE
    outcome_code: Line | None = Field(None, max_length=40)
    source_questions: list[Line] = Field([], max_length=200)
    output_key: Line = Field("", max_length=60)
    baseline: Decimal | None = Field(None, max_digits=12, decimal_places=3)
    disaggregations: list[Line] = Field([], max_length=20)


class QuestionOut(Schema):
    code: str
    order: int
    block: str
    theme_number: int | None
    kind: str
    text: dict[str, str]
    choices: list[dict[str, Any]]
    scale: str
    is_sensitive: bool
    in_retrospective: bool
    relevant: dict[str, Any]


class InstrumentOut(Schema):
    id: int
    framework_id: int
    role: str
    version: int
    status: str
    title: dict[str, str]
    consent_version: str
    consent_text: dict[str, str]
    sensitive_consent_text: dict[str, str]
    languages: list[str]
    questions: list[QuestionOut]


ROUND_ORDERINGS = Orderings(
    choices={"opens_at": ("opens_at",), "closes_at": ("closes_at",), "updated_at": ("updated_at",)},
    default="-opens_at",
)
RESPONSE_ORDERINGS = Orderings(choices={"submitted_at": ("submitted_at",)}, default="submitted_at")


class RoundFilter(FilterSchema):
    activity_id: Id | None = None
    campaign_id: Id | None = None
    kind: Round.Kind | None = None
    updated_since: datetime | None = Field(None, description=UPDATED_SINCE_DESCRIPTION)
    ordering: str = ROUND_ORDERINGS.parameter()


class ResponseFilter(FilterSchema):
    submitted_since: datetime | None = Field(
        None,
        description="Only responses submitted at or after this time (ISO 8601 with an offset).",
    )
    ordering: str = RESPONSE_ORDERINGS.parameter()


class RoundOut(Schema):
    id: int
    activity_id: int
    instrument_id: int
    kind: str
    opens_at: datetime
    closes_at: datetime
    token: str
    uses_retrospective: bool
    omitted_questions: list[str]
    link: str


class RoundIn(InSchema):
    kind: Round.Kind
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    uses_retrospective: bool | None = None
    omitted_questions: list[Line] = Field([], max_length=500)


class ResponseIn(InSchema):
    """Answers are checked against the instrument by the service; every text inside them is
    bounded and free of NUL and bidi controls here."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "submission_id": "8d2f6c1e-3b7a-4e59-a1c0-5f4e3d2c1b0a",
                    "language": "en",
                    "consent_version": "2026-01",
                    "sensitive_consent": False,
                    "matching_code": "",
                    "answers": {"t1_confidence": 4, "t2_trust": "agree"},
                }
            ]
        }
    )

    submission_id: uuid.UUID
    language: Line = Field(max_length=8)
    consent_version: Line = Field(max_length=20)
    sensitive_consent: bool = False
    #: the respondent agreed that their written answers may be quoted (without name or code)
    quote_consent: bool = False
    matching_code: Line = Field(default="", max_length=60)
    answers: dict[Line, Any] = Field(max_length=1000)
    then_answers: dict[Line, Any] = Field({}, max_length=1000)


class SubmissionOut(Schema):
    submission_id: uuid.UUID
    created: bool
    submitted_at: datetime


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class ResponseOut(Schema):
    """A response as analysts see it: the respondent is a per-activity number, never a code."""

    submission_id: uuid.UUID
    round_id: int
    respondent_id: int | None
    instrument_id: int
    language: str
    submitted_at: datetime
    answers: dict[str, Any]
    then_answers: dict[str, Any]
    sensitive_consent: bool
    source: str
    #: the files sent with an app submission (photos, recordings), downloadable one by one
    attachments: list[AttachmentOut] = []


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    id: int
    kind: str
    status: str
    filename: str
    round_id: int | None
    instrument_id: int | None
    errors: list[ImportErrorOut]
    summary: dict[str, int]
    #: what an XLSForm import keeps but the web form does not do (named before confirming)
    warnings: list[ImportErrorOut] = []


class DistributionOut(Schema):
    """Share (%) of answers at each option before and after, over the cell's pairs when it is
    paired (else every answer); a side nobody answered is null."""

    options: list[int]
    n_baseline: int
    n_post: int
    baseline: list[float] | None
    post: list[float] | None


class CellOut(Schema):
    """One indicator in one cell; every number is null when ``suppressed``."""

    key: list[str | None]
    suppressed: bool
    method: str | None
    uses_retrospective: bool | None
    ceiling: bool | None
    n: int | None
    n_pre: int | None
    n_post: int | None
    response_rate: float | None
    pairing_rate: float | None
    mean_baseline: float | None
    mean_post: float | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    d_z: float | None
    d_av: float | None = None  # mean change / average of the before and after sds (pairs)
    wilcoxon_r: float | None
    pct_improved: float | None
    pct_top2_post: float | None
    mean_attribution: float | None
    alpha: float | None
    distribution: DistributionOut | None  # items only; null when suppressed or for a scale


class IndicatorValuesOut(Schema):
    indicator: str
    campaign: str
    by: list[str]
    filters: dict[str, str]
    floor: int
    refreshed_at: datetime | None
    cells: list[CellOut]
