"""The respondent's path: public, no account, no JavaScript, short pages.

The survey's state machine is :func:`peaceworks.impact.respondent.survey_advance`; these views
render the screen it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from urllib.parse import urlencode

from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peaceworks.core.context import client_ip
from peaceworks.core.errors import DomainError
from peaceworks.core.forms import attach_error
from peaceworks.impact.forms import FollowUpContactForm, MatchingCodeForm, WithdrawForm
from peaceworks.impact.models import RTL_LANGUAGES, Round, pick_text
from peaceworks.impact.relevance import OTHER, OTHER_SUFFIX, accepts_other, allowed_choices
from peaceworks.impact.respondent import Screen, StateTooLarge, survey_advance
from peaceworks.impact.routing import instrument_questions
from peaceworks.impact.selectors import (
    activity_get_public,
    is_quotable_question,
    round_get_public,
    round_get_public_recent,
)
from peaceworks.impact.services import respondent_withdraw
from peaceworks.impact.services.reminders import follow_up_contact_give
from peaceworks.impact.views.step_page import step_page

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية"}
#: withdrawal attempts one client may make for one activity per window
WITHDRAW_ATTEMPTS = 10
WITHDRAW_WINDOW_SECONDS = 15 * 60
REMINDER_SALT = "peaceworks.impact.reminder"
#: how long after answering the thanks page still takes an address for a reminder
REMINDER_MAX_AGE_SECONDS = 60 * 60


def _languages(survey_round: Round) -> list[str]:
    return list(survey_round.instrument.languages or ["en"])


def survey_start(request: HttpRequest, token: str) -> HttpResponse:
    """Choose the language of the survey."""
    survey_round = round_get_public(token=token)
    if not survey_round.is_open():
        # the link is right (printed, shared): it says when the survey runs, and offers no
        # language whose pages would answer 410
        return render(request, "impact/survey/closed.html", {"round": survey_round})
    choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in _languages(survey_round)]
    return render(
        request,
        "impact/survey/language.html",
        {"round": survey_round, "survey_languages": choices},
    )


@require_http_methods(["GET", "POST"])
def survey_step(request: HttpRequest, token: str, language: str) -> HttpResponse:
    # a page inside a walk (a POST with its state) may use the round as a request of this
    # process read it within the last second; the answers are stored against a new read
    within_walk = request.method == "POST" and "state" in request.POST
    survey_round = round_get_public_recent(token=token, reuse=within_walk)
    if language not in _languages(survey_round):
        raise Http404
    with translation.override(language):
        read_again = partial(round_get_public_recent, token=token, reuse=False)
        return _step(request, survey_round, language, read_again if within_walk else None)


def _step(
    request: HttpRequest,
    survey_round: Round,
    language: str,
    read_again: Callable[[], Round] | None = None,
) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    if (post is None or "state" not in post) and not survey_round.is_open():
        return render(request, "impact/survey/closed.html", {"round": survey_round}, status=410)
    try:
        screen = survey_advance(survey_round, language, post, read_again=read_again)
    except StateTooLarge:
        screen = survey_advance(survey_round, language, None)
        screen.status = 400
        screen.error = _("The survey's saved answers were too large to read; please start again.")
    if screen.step == "done":
        thanks = reverse("impact:survey_thanks", args=[survey_round.token, language])
        if screen.respondent_id is not None and offers_reminder(survey_round):
            signed = signing.dumps(
                {"respondent": screen.respondent_id, "round": survey_round.pk}, salt=REMINDER_SALT
            )
            thanks += "?" + urlencode({"r": signed})
        return redirect(thanks)
    context = step_context(survey_round, language, screen)
    # impact/survey/step.html's markup, written without the template engine (step_page)
    return HttpResponse(step_page(request, context), status=screen.status)


def step_context(survey_round: Round, language: str, screen: Screen) -> dict[str, object]:
    """What ``impact/survey/step.html`` needs to show ``screen`` (the respondent's path and
    the coordinators' preview render the same template)."""
    instrument = survey_round.instrument
    context: dict[str, object] = {
        "round": survey_round,
        "language": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "title": pick_text(instrument.title, language),
        "state": screen.state,
        "state_token": screen.state.dump(),
        "error": screen.error,
        "expired": screen.expired,
    }
    if screen.step == "consent":
        context.update(_consent_context(survey_round, language, screen))
    elif screen.step == "code":
        context["code_form"] = screen.code_form
        context["code_fields"] = code_fields(screen.code_form)
    else:
        context.update(_page_context(language, screen))
    return context


#: the personal-code form before anything is typed, rendered, by language (it is the same
#: markup for every respondent: labels, ids and limits only)
_EMPTY_CODE_FORMS: dict[str, SafeString] = {}


def code_fields(form: MatchingCodeForm | None) -> object:
    """What the code page shows of ``form``: the form itself once typed in (values, errors),
    else the empty form's markup, rendered once per language and process (the form's
    templates through ``FORM_RENDERER`` were a tenth of a walk's template work)."""
    if form is None or form.is_bound:
        return form
    language = translation.get_language()
    html = _EMPTY_CODE_FORMS.get(language)
    if html is None:
        html = _EMPTY_CODE_FORMS[language] = MatchingCodeForm().render()
    return html


def _consent_context(survey_round: Round, language: str, screen: Screen) -> dict[str, object]:
    instrument = survey_round.instrument
    has_sensitive = survey_round.asks_sensitive_items and any(
        q.is_sensitive or any(choice.get("sensitive") for choice in q.choices)
        for q in instrument_questions(instrument)
    )
    asks_quotable = any(
        is_quotable_question(q) and q.code not in (survey_round.omitted_questions or [])
        for q in instrument_questions(instrument)
    )
    return {
        "consent_form": screen.consent_form,
        "asks_quotable": asks_quotable,
        "consent_text": pick_text(instrument.consent_text, language),
        "sensitive_text": pick_text(instrument.sensitive_consent_text, language)
        if has_sensitive
        else "",
    }


def _page_context(language: str, screen: Screen) -> dict[str, object]:
    page, given = screen.page, screen.shown
    sensitive_consent = screen.state.sensitive_consent
    earlier = screen.state.then_answers if page.is_retrospective else screen.state.answers
    items = []
    for question in page.questions:
        value = given.get(question.code)
        chosen = value if isinstance(value, list) else [str(value)]
        # a choice filter (cascading select) shows the choices that go with earlier answers
        allowed = allowed_choices(question, earlier)
        choices = [
            {
                "value": str(choice["value"]),
                "label": pick_text(choice["label"], language),
                "checked": str(choice["value"]) in chosen,
            }
            for index, choice in enumerate(question.choices)
            if (sensitive_consent or not choice.get("sensitive"))
            and (allowed is None or index in allowed)
        ]
        name = ("then-" if page.is_retrospective else "q-") + question.code
        other = accepts_other(question)
        if other:
            choices.append({"value": OTHER, "label": _("Other"), "checked": OTHER in chosen})
        items.append(
            {
                "question": question,
                "name": name,
                "text": pick_text(question.text, language),
                "value": "" if value is None else value,
                "choices": choices,
                "other_name": name + OTHER_SUFFIX if other else "",
                "other_value": given.get(question.code + OTHER_SUFFIX) or "",
                "error": screen.field_errors.get(question.code, ""),
            }
        )
    return {
        "page": page,
        "items": items,
        "page_number": screen.state.page + 1,
        "page_count": len(screen.pages),
        "is_last": screen.state.page + 1 == len(screen.pages),
        "scale": range(1, 6),
    }


def offers_reminder(survey_round: Round) -> bool:
    """Whether the thanks page offers a reminder of the next survey: after a pre survey."""
    return survey_round.kind == Round.Kind.PRE


def _reminder_respondent(signed: str, survey_round: Round) -> int | None:
    """The respondent a thanks page's signed reminder token names, if it is for this round
    and fresh (it is made when the answers are stored)."""
    try:
        data = signing.loads(signed, salt=REMINDER_SALT, max_age=REMINDER_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("round") != survey_round.pk:
        return None
    respondent = data.get("respondent")
    return respondent if isinstance(respondent, int) else None


@require_http_methods(["GET", "POST"])
def survey_thanks(request: HttpRequest, token: str, language: str) -> HttpResponse:
    """Thanks; after a pre survey, the optional address for a reminder of the next one."""
    survey_round = round_get_public(token=token)
    if language not in _languages(survey_round):
        raise Http404
    signed = str(request.POST.get("r") or request.GET.get("r") or "")[:500]
    respondent_id = _reminder_respondent(signed, survey_round) if signed else None
    context: dict[str, object] = {"round": survey_round}
    status = 200
    with translation.override(language):
        if respondent_id is not None and offers_reminder(survey_round):
            form = FollowUpContactForm(request.POST if request.method == "POST" else None)
            context |= {"contact_form": form, "reminder_token": signed}
            if request.method == "POST":
                status = 400
                if form.is_valid():
                    try:
                        follow_up_contact_give(
                            survey_round=survey_round,
                            respondent_id=respondent_id,
                            email=form.cleaned_data["email"],
                            language=language,
                            consent_text=str(form.fields["consent"].label),
                        )
                    except DomainError as error:
                        attach_error(form, error)
                    else:
                        context |= {"contact_form": None, "contact_saved": True}
                        status = 200
        elif request.method == "POST":
            status = 400
            context["contact_expired"] = True
        return render(request, "impact/survey/thanks.html", context, status=status)


def _withdrawals_left(activity_code: str) -> bool:
    """Count one attempt of this client on this activity; False once over the limit."""
    key = f"impact.withdraw:{client_ip.get() or '-'}:{activity_code.lower()}"
    cache.add(key, 0, WITHDRAW_WINDOW_SECONDS)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WITHDRAW_WINDOW_SECONDS)
        attempts = 1
    return attempts <= WITHDRAW_ATTEMPTS


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest) -> HttpResponse:
    """Withdraw all answers given with a code in an activity.

    The answer is the same whether or not the activity and the code are known (the same page,
    status and work), so the page cannot be used to test codes; each client may try
    ``WITHDRAW_ATTEMPTS`` times per activity in ``WITHDRAW_WINDOW_SECONDS``, then gets 429.
    """
    form = WithdrawForm(
        request.POST or None, initial={"activity_code": request.GET.get("activity", "")}
    )
    if request.method == "POST" and form.is_valid():
        activity_code = form.cleaned_data["activity_code"]
        if not _withdrawals_left(activity_code):
            message = _(
                "Too many attempts for this activity from your connection. "
                "Wait 15 minutes, then try again."
            )
            return render(
                request, "impact/survey/withdraw.html", {"form": form, "error": message}, status=429
            )
        activity = activity_get_public(code=activity_code)
        respondent_withdraw(activity=activity, matching_code=form.code())
        return render(request, "impact/survey/withdrawn.html")
    return render(
        request, "impact/survey/withdraw.html", {"form": form}, status=400 if form.errors else 200
    )
