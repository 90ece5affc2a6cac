"""The respondent's path without JavaScript: state carried in a signed hidden field.

The state holds the submission id (made when the consent page is first rendered), the
consents, the matching code and the answers gathered so far. It is signed, so a respondent
cannot forge another round's state; it lives only in their own browser until they submit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.http import QueryDict

from peaceworks.impact.models import Question, Round
from peaceworks.impact.routing import Page, paginate, routed_questions

SALT = "peaceworks.impact.respondent"
MAX_AGE_SECONDS = 60 * 60 * 24 * 7

DONT_KNOW = "dk"


@dataclass
class SurveyState:
    round_id: int
    submission_id: str
    step: str = "consent"
    page: int = 0
    consent: bool = False
    sensitive_consent: bool = False
    code: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    then_answers: dict[str, Any] = field(default_factory=dict)
    #: the retrospective block is asked (short activity, or a missed pre survey)
    asks_then: bool = False

    def dump(self) -> str:
        return signing.dumps(self.__dict__, salt=SALT, compress=True)

    @classmethod
    def fresh(cls, survey_round: Round) -> SurveyState:
        return cls(round_id=survey_round.pk, submission_id=str(uuid.uuid4()))

    @classmethod
    def load(cls, token: str, survey_round: Round) -> SurveyState | None:
        """The state from a hidden field, or None when missing, forged, stale or foreign."""
        try:
            data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        except signing.BadSignature:
            return None
        if not isinstance(data, dict) or data.get("round_id") != survey_round.pk:
            return None
        try:
            state = cls(**data)
            uuid.UUID(state.submission_id)
        except (TypeError, ValueError):
            return None
        return state


def pages_for(survey_round: Round, state: SurveyState) -> list[Page]:
    questions = routed_questions(
        survey_round.instrument.questions.all(),
        theme_ids=[theme.pk for theme in survey_round.activity.themes.all()],
        sensitive_consent=state.sensitive_consent,
        omitted=survey_round.omitted_questions,
    )
    return paginate(questions, uses_retrospective=state.asks_then)


def read_page(page: Page, data: QueryDict) -> dict[str, Any]:
    """Raw answers of one page from the POST data (validated later by the service)."""
    prefix = "then-" if page.is_retrospective else "q-"
    values: dict[str, Any] = {}
    for question in page.questions:
        name = prefix + question.code
        if question.kind == Question.Kind.MULTIPLE:
            values[question.code] = data.getlist(name)
            continue
        raw = data.get(name, "").strip()
        if question.kind == Question.Kind.AGREEMENT and raw == DONT_KNOW:
            values[question.code] = DONT_KNOW  # kept so the page shows it; stored as null
        elif question.kind == Question.Kind.AGREEMENT and raw:
            values[question.code] = int(raw) if raw.isdigit() else raw
        elif question.kind == Question.Kind.NUMBER and raw.lstrip("-").isdigit():
            values[question.code] = int(raw)
        else:
            values[question.code] = raw or None
    return values
