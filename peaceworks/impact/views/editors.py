"""Framework editor (indicators and targets) and instrument editor with a live preview."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.core.errors import DomainError
from peaceworks.impact.forms import IndicatorForm, QuestionForm
from peaceworks.impact.models import SURVEY_LANGUAGES, Question, pick_text
from peaceworks.impact.selectors import framework_get_for_user, instrument_get_for_user
from peaceworks.impact.services import (
    indicator_save,
    instrument_edit,
    instrument_publish,
    question_save,
    target_set,
)


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_get_for_user(user=request.user, pk=pk)
    form = IndicatorForm()
    status = 200
    if request.method == "POST":
        framework = framework_get_for_user(user=request.user, pk=pk, write=True)
        form = IndicatorForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                indicator = indicator_save(
                    actor=request.user,
                    framework=framework,
                    code=data["code"],
                    name={
                        lang: data[f"name_{lang}"]
                        for lang in SURVEY_LANGUAGES
                        if data[f"name_{lang}"]
                    },
                    kind=data["kind"],
                    aggregation=data["aggregation"],
                    unit=data["unit"],
                    direction=data["direction"],
                    source_questions=data["source_questions"].split(),
                    output_key=data["output_key"],
                    baseline=data["baseline"],
                )
                if data["target_period"] and data["target_value"] is not None:
                    target_set(
                        actor=request.user,
                        indicator=indicator,
                        period=data["target_period"],
                        value=data["target_value"],
                    )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect("impact:framework_detail", pk=framework.pk)
        status = 400
    outcomes = framework.outcomes.select_related("theme").prefetch_related("indicators__targets")
    return render(
        request,
        "impact/framework_detail.html",
        {
            "framework": framework,
            "outcomes": outcomes,
            "loose": framework.indicators.filter(outcome__isnull=True).prefetch_related("targets"),
            "instruments": framework.instruments.all(),
            "form": form,
            "can_write": viewer_for(request.user).is_network_staff,
        },
        status=status,
    )


def _preview_items(questions: list[Question], language: str) -> list[dict[str, Any]]:
    return [
        {
            "question": question,
            "text": pick_text(question.text, language),
            "choices": [pick_text(c.get("label"), language) for c in question.choices],
        }
        for question in questions
    ]


@login_required
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_get_for_user(user=request.user, pk=pk)
    language = request.GET.get("lang", "en")
    if language not in (instrument.languages or ["en"]):
        language = "en"
    form = QuestionForm()
    status = 200
    if request.method == "POST":
        instrument = instrument_get_for_user(user=request.user, pk=pk, write=True)
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = question_save(
                    actor=request.user,
                    instrument=instrument,
                    code=data["code"],
                    kind=data["kind"],
                    block=data["block"],
                    text={lang: data[f"text_{lang}"] for lang in SURVEY_LANGUAGES},
                    choices=data["choices"],
                    is_sensitive=data["is_sensitive"],
                    in_retrospective=data["in_retrospective"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect("impact:instrument_detail", pk=question.instrument_id)
        status = 400
    questions = list(instrument.questions.select_related("theme"))
    with translation.override(language):
        return render(
            request,
            "impact/instrument_detail.html",
            {
                "instrument": instrument,
                "questions": questions,
                "preview": _preview_items(questions, language),
                "language": language,
                "languages": instrument.languages,
                "form": form,
                "can_write": viewer_for(request.user).is_network_staff,
            },
            status=status,
        )


@login_required
@require_POST
def question_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The live preview of an unsaved question in each language (an htmx partial)."""
    instrument_get_for_user(user=request.user, pk=pk)
    form = QuestionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    choices = data.get("choices") or []
    previews = [
        {
            "language": lang,
            "text": data.get(f"text_{lang}", ""),
            "choices": [pick_text(c.get("label"), lang) for c in choices],
        }
        for lang in SURVEY_LANGUAGES
    ]
    return render(
        request,
        "impact/question_preview.html",
        {"previews": previews, "kind": data.get("kind", ""), "errors": form.errors},
    )


@login_required
@require_POST
def instrument_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_get_for_user(user=request.user, pk=pk, write=True)
    # only drafts are published (DomainError otherwise); the page shows the status
    with contextlib.suppress(DomainError):
        instrument_publish(actor=request.user, instrument=instrument)
    return redirect("impact:instrument_detail", pk=instrument.pk)


@login_required
@require_POST
def instrument_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_get_for_user(user=request.user, pk=pk, write=True)
    draft = instrument_edit(actor=request.user, instrument=instrument)
    return redirect("impact:instrument_detail", pk=draft.pk)
