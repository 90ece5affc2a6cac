"""The respondent's path: public, no account, no JavaScript, short pages."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peaceworks.core.errors import Conflict, DomainError
from peaceworks.impact.forms import ConsentForm, MatchingCodeForm, WithdrawForm
from peaceworks.impact.models import RTL_LANGUAGES, Round, pick_text
from peaceworks.impact.pseudonyms import build_code
from peaceworks.impact.respondent import SurveyState, pages_for, read_page
from peaceworks.impact.selectors import activity_get_public, round_get_public
from peaceworks.impact.services import respondent_withdraw, response_submit
from peaceworks.impact.services.responses import asks_retrospective, clean_answers

_NO_MATCH = "no match"
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية"}


def _languages(survey_round: Round) -> list[str]:
    return list(survey_round.instrument.languages or ["en"])


def survey_start(request: HttpRequest, token: str) -> HttpResponse:
    """Choose the language of the survey."""
    survey_round = round_get_public(token=token)
    choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in _languages(survey_round)]
    return render(
        request,
        "impact/survey/language.html",
        {"round": survey_round, "survey_languages": choices},
    )


@require_http_methods(["GET", "POST"])
def survey_step(request: HttpRequest, token: str, language: str) -> HttpResponse:
    survey_round = round_get_public(token=token)
    if language not in _languages(survey_round):
        raise Http404
    with translation.override(language):
        return _step(request, survey_round, language)


def _render(
    request: HttpRequest,
    survey_round: Round,
    language: str,
    state: SurveyState,
    *,
    status: int = 200,
    **context: object,
) -> HttpResponse:
    instrument = survey_round.instrument
    context.update(
        {
            "round": survey_round,
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "title": pick_text(instrument.title, language),
            "state": state,
            "state_token": state.dump(),
        }
    )
    return render(request, "impact/survey/step.html", context, status=status)


def _step(request: HttpRequest, survey_round: Round, language: str) -> HttpResponse:
    instrument = survey_round.instrument
    if request.method == "GET" or "state" not in request.POST:
        if not survey_round.is_open():
            return render(request, "impact/survey/closed.html", {"round": survey_round}, status=410)
        state = SurveyState.fresh(survey_round)
        return _consent(request, survey_round, language, state, ConsentForm())
    loaded = SurveyState.load(request.POST["state"], survey_round)
    if loaded is None:
        return _consent(
            request,
            survey_round,
            language,
            SurveyState.fresh(survey_round),
            ConsentForm(),
            expired=True,
        )
    state = loaded
    going_back = request.POST.get("action") == "back"
    if state.step == "consent":
        form = ConsentForm(request.POST)
        if not form.is_valid():
            return _consent(request, survey_round, language, state, form, status=400)
        state.consent = True
        state.sensitive_consent = (
            form.cleaned_data["sensitive_consent"] and survey_round.asks_sensitive_items
        )
        state.step = "pages" if survey_round.kind == Round.Kind.PARTNER else "code"
        state.asks_then = survey_round.uses_retrospective
        state.page = 0
        if state.step == "code":
            return _render(request, survey_round, language, state, code_form=MatchingCodeForm())
        return _page(request, survey_round, language, state)
    if state.step == "code":
        if going_back:
            state.step = "consent"
            return _consent(request, survey_round, language, state, ConsentForm())
        code_form = MatchingCodeForm(request.POST)
        if not code_form.is_valid():
            return _render(request, survey_round, language, state, code_form=code_form, status=400)
        data = code_form.cleaned_data
        state.code = build_code(
            parent_letters=data["parent_letters"],
            birth_day=str(data["birth_day"]),
            place_letters=data["place_letters"],
        )
        state.step = "pages"
        state.asks_then = asks_retrospective(survey_round, state.code)
        state.page = 0
        return _page(request, survey_round, language, state)
    pages = pages_for(survey_round, state)
    if not 0 <= state.page < len(pages):
        state.page = 0
        return _page(request, survey_round, language, state)
    page = pages[state.page]
    raw = read_page(page, request.POST)
    target = state.then_answers if page.is_retrospective else state.answers
    target.update(raw)
    if going_back:
        if state.page == 0:
            state.step = "code" if survey_round.kind != Round.Kind.PARTNER else "consent"
            if state.step == "consent":
                return _consent(request, survey_round, language, state, ConsentForm())
            return _render(request, survey_round, language, state, code_form=MatchingCodeForm())
        state.page -= 1
        return _page(request, survey_round, language, state)
    try:
        clean_answers(
            questions=page.questions, answers=raw, sensitive_consent=state.sensitive_consent
        )
    except DomainError as error:
        return _page(request, survey_round, language, state, error=error.message, status=400)
    if state.page + 1 < len(pages):
        state.page += 1
        return _page(request, survey_round, language, state)
    try:
        response_submit(
            survey_round=survey_round,
            submission_id=uuid.UUID(state.submission_id),
            language=language,
            answers=state.answers,
            then_answers=state.then_answers or None,
            matching_code=state.code,
            consent_version=instrument.consent_version,
            sensitive_consent=state.sensitive_consent,
        )
    except Conflict as error:
        return _page(request, survey_round, language, state, error=error.message, status=409)
    except DomainError as error:
        return _page(request, survey_round, language, state, error=error.message, status=400)
    return redirect("impact:survey_thanks", token=survey_round.token, language=language)


def _consent(
    request: HttpRequest,
    survey_round: Round,
    language: str,
    state: SurveyState,
    form: ConsentForm,
    *,
    status: int = 200,
    expired: bool = False,
) -> HttpResponse:
    instrument = survey_round.instrument
    state.step = "consent"
    has_sensitive = survey_round.asks_sensitive_items and any(
        q.is_sensitive or any(choice.get("sensitive") for choice in q.choices)
        for q in instrument.questions.all()
    )
    return _render(
        request,
        survey_round,
        language,
        state,
        status=status,
        consent_form=form,
        consent_text=pick_text(instrument.consent_text, language),
        sensitive_text=pick_text(instrument.sensitive_consent_text, language)
        if has_sensitive
        else "",
        expired=expired,
    )


def _page(
    request: HttpRequest,
    survey_round: Round,
    language: str,
    state: SurveyState,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    pages = pages_for(survey_round, state)
    page = pages[state.page]
    given = state.then_answers if page.is_retrospective else state.answers
    items = []
    for question in page.questions:
        value = given.get(question.code)
        choices = [
            {
                "value": str(choice["value"]),
                "label": pick_text(choice["label"], language),
                "checked": str(choice["value"])
                in (value if isinstance(value, list) else [str(value)]),
            }
            for choice in question.choices
            if state.sensitive_consent or not choice.get("sensitive")
        ]
        items.append(
            {
                "question": question,
                "name": ("then-" if page.is_retrospective else "q-") + question.code,
                "text": pick_text(question.text, language),
                "value": "" if value is None else value,
                "choices": choices,
            }
        )
    return _render(
        request,
        survey_round,
        language,
        state,
        status=status,
        page=page,
        items=items,
        page_number=state.page + 1,
        page_count=len(pages),
        is_last=state.page + 1 == len(pages),
        error=error,
        scale=range(1, 6),
    )


def survey_thanks(request: HttpRequest, token: str, language: str) -> HttpResponse:
    survey_round = round_get_public(token=token)
    if language not in _languages(survey_round):
        raise Http404
    with translation.override(language):
        return render(request, "impact/survey/thanks.html", {"round": survey_round})


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest) -> HttpResponse:
    """Withdraw all answers given with a code in an activity."""
    form = WithdrawForm(
        request.POST or None, initial={"activity_code": request.GET.get("activity", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = activity_get_public(code=data["activity_code"])
        code = build_code(
            parent_letters=data["parent_letters"],
            birth_day=str(data["birth_day"]),
            place_letters=data["place_letters"],
        )
        try:
            if activity is None:
                raise DomainError(_NO_MATCH)
            respondent_withdraw(activity=activity, matching_code=code)
        except DomainError:
            form.add_error(
                None,
                _("No answers were found for this code and activity. Check the three facts."),
            )
        else:
            return render(request, "impact/survey/withdrawn.html")
    return render(
        request, "impact/survey/withdraw.html", {"form": form}, status=400 if form.errors else 200
    )
