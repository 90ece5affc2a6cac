"""The respondent's path without JavaScript: a state machine over a signed hidden field.

The state holds the submission id (made when the consent page is first rendered), the
consents, the matching code and the answers gathered so far. It is signed, so a respondent
cannot forge another round's state; it lives only in their own browser until they submit.

Guarantees: only answers that pass the same checks as a submission enter the state (a page
that fails them is shown again with the answers as typed, the state unchanged; "back" keeps
the valid answers of the page and drops the others), so the state stays as small as the
instrument; a state whose decompressed size is over :data:`MAX_STATE_BYTES` is refused
(:class:`StateTooLarge`, answered 400) before it is decoded. :func:`survey_advance` is the
whole machine: the view only renders the :class:`Screen` it returns.
"""

from __future__ import annotations

import copy
import json
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext as _

from peaceworks.core.errors import Conflict, DomainError
from peaceworks.impact.forms import ConsentForm, MatchingCodeForm
from peaceworks.impact.models import Question, Round
from peaceworks.impact.relevance import OTHER_SUFFIX, accepts_other, answer_problem
from peaceworks.impact.routing import Page, paginate
from peaceworks.impact.selectors import same_public_round
from peaceworks.impact.services import response_submit
from peaceworks.impact.services.responses import (
    Routing,
    asks_retrospective,
    clean_answers,
    clean_value,
    round_routing,
)

SALT = "peaceworks.impact.respondent"
MAX_AGE_SECONDS = 60 * 60 * 24 * 7
#: the largest state accepted, decompressed; a full instrument's answers take a few KB
MAX_STATE_BYTES = 256 * 1024

DONT_KNOW = "dk"


class StateTooLarge(Exception):
    """A hidden state over :data:`MAX_STATE_BYTES`: refused, never decoded."""


@dataclass
class SurveyState:
    round_id: int
    submission_id: str
    step: str = "consent"
    page: int = 0
    consent: bool = False
    sensitive_consent: bool = False
    #: the respondent agreed that their written answers may be quoted (without name or code)
    quote_consent: bool = False
    code: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    then_answers: dict[str, Any] = field(default_factory=dict)
    #: the retrospective block is asked (short activity, or a missed pre survey)
    asks_then: bool = False

    def dump(self) -> str:
        # the fields by name, as ``dataclasses.asdict`` gave them but without its deep copy
        # (the answers are plain JSON values, only read while serialised)
        return signing.dumps(
            {name: getattr(self, name) for name in _STATE_FIELDS}, salt=SALT, compress=True
        )

    @classmethod
    def fresh(cls, survey_round: Round) -> SurveyState:
        return cls(round_id=survey_round.pk, submission_id=str(uuid.uuid4()))

    @classmethod
    def load(cls, token: str, survey_round: Round) -> SurveyState | None:
        """The state from a hidden field, or None when missing, forged, stale or foreign.

        Raises StateTooLarge for a state over the cap (checked while decompressing, with a
        bounded output, so an inflated state costs no more than the cap).
        """
        if len(token) > MAX_STATE_BYTES:
            raise StateTooLarge
        try:
            payload = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE_SECONDS)
            data = json.loads(_inflated(payload))
        except (signing.BadSignature, ValueError, zlib.error):
            return None
        if not isinstance(data, dict) or data.get("round_id") != survey_round.pk:
            return None
        try:
            state = cls(**data)
            uuid.UUID(state.submission_id)
        except (TypeError, ValueError):
            return None
        if not isinstance(state.answers, dict) or not isinstance(state.then_answers, dict):
            return None
        return state


_STATE_FIELDS = tuple(item.name for item in fields(SurveyState))


def _inflated(payload: str) -> bytes:
    """The serialised state inside a signed payload (the format of ``signing.dumps``)."""
    compressed = payload.startswith(".")
    data = signing.b64_decode((payload[1:] if compressed else payload).encode())
    if compressed:
        inflater = zlib.decompressobj()
        data = inflater.decompress(data, MAX_STATE_BYTES + 1)
        if inflater.unconsumed_tail:
            raise StateTooLarge
    if len(data) > MAX_STATE_BYTES:
        raise StateTooLarge
    return data


@dataclass
class Screen:
    """What the respondent sees next; the view renders it."""

    #: "consent", "code", "page" or "done"
    step: str
    state: SurveyState
    status: int = 200
    error: str = ""
    expired: bool = False
    consent_form: ConsentForm | None = None
    code_form: MatchingCodeForm | None = None
    pages: list[Page] = field(default_factory=list)
    #: answers to show on the page: the state's, or a refused page's as typed
    shown: dict[str, Any] = field(default_factory=dict)
    #: the message to show on each refused question of the page, by code
    field_errors: dict[str, str] = field(default_factory=dict)
    #: once "done": the respondent the answers were stored for (None on partner forms)
    respondent_id: int | None = None

    @property
    def page(self) -> Page:
        return self.pages[self.state.page]


class _Flow:
    """One request's walk through the machine; the round's routing is computed once."""

    def __init__(
        self,
        survey_round: Round,
        language: str,
        state: SurveyState,
        *,
        read_again: Callable[[], Round] | None = None,
    ) -> None:
        self.survey_round = survey_round
        self.language = language
        self.state = state
        #: the round is a recent request's copy: how to read it before storing answers
        self.read_again = read_again
        self._routing: Routing | None = None

    def routing(self) -> Routing:
        if self._routing is None:
            self._routing = round_routing(
                self.survey_round, sensitive_consent=self.state.sensitive_consent
            )
        return self._routing

    def pages(self) -> list[Page]:
        return paginate(self.routing()[1], uses_retrospective=self.state.asks_then)

    def consent(self, form: ConsentForm | None = None, **extra: Any) -> Screen:
        self.state.step = "consent"
        return Screen("consent", self.state, consent_form=form or ConsentForm(), **extra)

    def code(self, form: MatchingCodeForm | None = None, **extra: Any) -> Screen:
        self.state.step = "code"
        return Screen("code", self.state, code_form=form or MatchingCodeForm(), **extra)

    def page(self, pages: list[Page] | None = None, **extra: Any) -> Screen:
        self.state.step = "pages"
        pages = pages if pages is not None else self.pages()
        if not 0 <= self.state.page < len(pages):
            self.state.page = 0
        screen = Screen("page", self.state, pages=pages, **extra)
        if "shown" not in extra:
            page = screen.page
            screen.shown = self.state.then_answers if page.is_retrospective else self.state.answers
        return screen


class _Changed(Exception):
    """The round changed since the recent request whose copy the walk used."""

    def __init__(self, survey_round: Round) -> None:
        super().__init__()
        self.survey_round = survey_round


def survey_advance(
    survey_round: Round,
    language: str,
    post: QueryDict | None,
    *,
    read_again: Callable[[], Round] | None = None,
) -> Screen:
    """The next screen of the survey for a GET (``post`` None) or a POST of one screen.

    On the last page the answers are submitted with :func:`response_submit` (step "done");
    its refusals come back as the page with status 400 (or 409 for a conflicting resend).
    Raises StateTooLarge for a hidden state over the cap.

    ``read_again``: ``survey_round`` is a copy kept from a recent request
    (``selectors.round_get_public_recent``). Before anything is stored the round is read
    again; if it changed, the POST is handled anew with it (nothing is written before).
    """
    try:
        return _advance(survey_round, language, post, read_again)
    except _Changed as changed:
        return _advance(changed.survey_round, language, post, None)


def _advance(
    survey_round: Round,
    language: str,
    post: QueryDict | None,
    read_again: Callable[[], Round] | None,
) -> Screen:
    if post is None or "state" not in post:
        return _Flow(survey_round, language, SurveyState.fresh(survey_round)).consent()
    loaded = SurveyState.load(str(post.get("state", "")), survey_round)
    if loaded is None:
        fresh = _Flow(survey_round, language, SurveyState.fresh(survey_round))
        return fresh.consent(expired=True)
    flow = _Flow(survey_round, language, loaded, read_again=read_again)
    state = loaded
    going_back = post.get("action") == "back"
    if state.step == "consent":
        form = ConsentForm(post)
        if not form.is_valid():
            return flow.consent(form, status=400)
        state.consent = True
        state.sensitive_consent = (
            form.cleaned_data["sensitive_consent"] and survey_round.asks_sensitive_items
        )
        state.quote_consent = form.cleaned_data["quote_consent"]
        state.asks_then = survey_round.uses_retrospective
        state.page = 0
        if survey_round.kind == Round.Kind.PARTNER:
            return flow.page()
        return flow.code()
    if state.step == "code":
        if going_back:
            return flow.consent()
        code_form = MatchingCodeForm(post)
        if not code_form.is_valid():
            return flow.code(code_form, status=400)
        state.code = code_form.code()
        state.asks_then = asks_retrospective(survey_round, state.code)
        state.page = 0
        return flow.page()
    return _answer_page(flow, post, going_back=going_back)


def survey_preview_screens(survey_round: Round, language: str) -> list[Screen]:
    """Every screen a respondent of ``survey_round`` may see, in order, for a read-only
    preview: the consent, the personal code (not on partner forms), then each page with the
    sensitive items and the retrospective block the round may ask. Nothing is stored."""
    state = SurveyState.fresh(survey_round)
    state.sensitive_consent = survey_round.asks_sensitive_items
    state.asks_then = survey_round.uses_retrospective
    flow = _Flow(survey_round, language, state)
    screens = [Screen("consent", copy.copy(state), consent_form=ConsentForm())]
    if survey_round.kind != Round.Kind.PARTNER:
        screens.append(Screen("code", copy.copy(state), code_form=MatchingCodeForm()))
    pages = flow.pages()
    for number in range(len(pages)):
        page_state = copy.copy(state)
        page_state.step, page_state.page = "pages", number
        screens.append(Screen("page", page_state, pages=pages))
    return screens


def _answer_page(flow: _Flow, post: QueryDict, *, going_back: bool) -> Screen:
    state, survey_round = flow.state, flow.survey_round
    pages = flow.pages()
    if not 0 <= state.page < len(pages):
        state.page = 0
        return flow.page(pages)
    page = pages[state.page]
    raw = read_page(page, post)
    target = state.then_answers if page.is_retrospective else state.answers
    if going_back:
        target.update(_valid_part(page, raw, sensitive_consent=state.sensitive_consent))
        if state.page > 0:
            state.page -= 1
            return flow.page(pages)
        if survey_round.kind == Round.Kind.PARTNER:
            return flow.consent()
        return flow.code()
    try:
        clean_answers(
            questions=page.questions, answers=raw, sensitive_consent=state.sensitive_consent
        )
    except DomainError as error:
        # shown as typed, never stored in the state
        return flow.page(
            pages,
            error=error.message,
            status=400,
            shown={**target, **raw},
            field_errors={error.field: error.message} if error.field else {},
        )
    problems = page_problems(page, {**target, **raw}, language=flow.language)
    if problems:
        return flow.page(
            pages,
            error=_("Some answers need your attention: see the messages below."),
            status=400,
            shown={**target, **raw},
            field_errors=problems,
        )
    target.update(raw)
    if state.page + 1 < len(pages):
        state.page += 1
        return flow.page(pages)
    if flow.read_again is not None:
        current = flow.read_again()
        if not same_public_round(current, survey_round):
            raise _Changed(current)
        survey_round = current
    try:
        submitted = response_submit(
            survey_round=survey_round,
            submission_id=uuid.UUID(state.submission_id),
            language=flow.language,
            answers=state.answers,
            then_answers=state.then_answers or None,
            matching_code=state.code,
            consent_version=survey_round.instrument.consent_version,
            sensitive_consent=state.sensitive_consent,
            routing={state.sensitive_consent: flow.routing()},
            quote_consent=state.quote_consent,
        )
    except Conflict as error:
        return flow.page(pages, error=error.message, status=409)
    except DomainError as error:
        return flow.page(pages, error=error.message, status=400)
    return Screen("done", state, respondent_id=submitted.response.respondent_id)


def _valid_part(page: Page, raw: dict[str, Any], *, sensitive_consent: bool) -> dict[str, Any]:
    """The answers of ``raw`` that pass their question's check (kept when going back)."""
    kept: dict[str, Any] = {}
    for question in page.questions:
        try:
            clean_value(question, raw.get(question.code), sensitive_consent=sensitive_consent)
        except DomainError:
            continue
        kept[question.code] = raw.get(question.code)
        other = question.code + OTHER_SUFFIX
        if other in raw:
            kept[other] = raw[other]
    return kept


def page_problems(page: Page, answers: dict[str, Any], *, language: str) -> dict[str, str]:
    """The questions of ``page`` whose answer an imported XLSForm refuses (``required``,
    ``constraint``, ``choice_filter``), with the form's message; ODK Collect does the same
    checks on the phone."""
    problems: dict[str, str] = {}
    for question in page.questions:
        if question.kind == Question.Kind.RECORDED:
            continue  # not asked by the web form
        problem = answer_problem(question, answers.get(question.code), answers, language=language)
        if problem:
            problems[question.code] = problem
    return problems


def read_page(page: Page, data: QueryDict) -> dict[str, Any]:
    """Raw answers of one page from the POST data (checked by the caller before storing)."""
    prefix = "then-" if page.is_retrospective else "q-"
    values: dict[str, Any] = {}
    for question in page.questions:
        name = prefix + question.code
        if accepts_other(question):
            other = data.get(name + OTHER_SUFFIX, "").strip()
            if other:
                values[question.code + OTHER_SUFFIX] = other
        if question.kind == Question.Kind.MULTIPLE:
            values[question.code] = list(dict.fromkeys(data.getlist(name)))
            continue
        raw = data.get(name, "").strip()
        if question.kind == Question.Kind.AGREEMENT and raw == DONT_KNOW:
            values[question.code] = DONT_KNOW  # kept so the page shows it; stored as null
        elif question.kind == Question.Kind.AGREEMENT and raw:
            values[question.code] = int(raw) if raw.isdecimal() and len(raw) < 10 else raw
        elif (
            question.kind == Question.Kind.NUMBER
            and raw.lstrip("-").isdecimal()
            and len(raw) < 19  # beyond any bound; a longer one is refused as typed
        ):
            values[question.code] = int(raw)
        else:
            values[question.code] = raw or None
    return values
