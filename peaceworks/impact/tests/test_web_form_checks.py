"""The web form enforces an imported XLSForm's constraints, required answers, choice filters
and ``or_other`` (with the form's own messages, on the field), as ODK Collect does on the
phone; submissions from the app are accepted as sent, with their types checked."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from peaceworks.impact.models import Question, Response, Round
from peaceworks.impact.relevance import allowed_choices, answer_problem, compiles, is_required
from peaceworks.impact.tests.test_respondent_pages import fill_page, state_of, step_url
from peaceworks.impact.tests.xlsforms import workbook
from peaceworks.impact.xlsform import form_questions, parse_xlsform

CHECKED_FORM: dict[str, list[list[str | None]]] = {
    "survey": [
        [
            "type",
            "name",
            "label",
            "constraint",
            "constraint_message",
            "constraint_message::French (fr)",
            "required",
            "choice_filter",
        ],
        [
            "integer",
            "years",
            "Age",
            ". >= 16 and . <= 99",
            "Between 16 and 99",
            "Entre 16 et 99",
            "yes",
            None,
        ],
        ["select_one land", "land", "Country", None, None, None, None, None],
        ["select_one town", "town", "City", None, None, None, None, "land=${land}"],
        ["select_one task or_other", "task", "Role", None, None, None, None, None],
        ["text", "remark", "Note", None, None, None, "${years} > 60", None],
    ],
    "choices": [
        ["list_name", "name", "label", "land"],
        ["land", "ke", "Kenya", None],
        ["land", "ug", "Uganda", None],
        ["town", "nairobi", "Nairobi", "ke"],
        ["town", "mombasa", "Mombasa", "ke"],
        ["town", "kampala", "Kampala", "ug"],
        ["task", "volunteer", "Volunteer", None],
        ["task", "leader", "Leader", None],
    ],
}


def _questions(survey_round: Round | None = None) -> list[Question]:
    parsed = parse_xlsform(filename="checks.xlsx", data=workbook(CHECKED_FORM))
    assert parsed.errors == []
    assert parsed.warnings == []  # every check of this form is enforced by the web form
    instrument = survey_round.instrument if survey_round else None
    questions = form_questions(parsed, instrument=instrument)  # type: ignore[arg-type]
    for index, question in enumerate(questions):
        question.order = 10_000 + index
    if survey_round is not None:
        Question.objects.bulk_create(questions)
    return questions


def _by_code() -> dict[str, Question]:
    return {question.code: question for question in _questions()}


@pytest.mark.django_db
def test_constraints_required_and_filters_are_evaluated_with_the_forms_messages() -> None:
    questions = _by_code()
    years, town, remark = questions["years"], questions["town"], questions["remark"]
    assert answer_problem(years, 20, {"years": 20}, language="en") is None
    assert answer_problem(years, 12, {"years": 12}, language="en") == "Between 16 and 99"
    assert answer_problem(years, 12, {"years": 12}, language="fr") == "Entre 16 et 99"
    assert answer_problem(years, None, {}, language="en") == "This question needs an answer."
    # a required expression over the other answers
    assert not is_required(remark, {"years": 30})
    assert is_required(remark, {"years": 70})
    assert answer_problem(remark, None, {"years": 70}, language="en")
    # the cities of the land chosen
    assert allowed_choices(town, {"land": "ke"}) == [0, 1]
    assert allowed_choices(town, {"land": "ug"}) == [2]
    assert answer_problem(town, "kampala", {"land": "ke"}, language="en")
    assert answer_problem(town, "nairobi", {"land": "ke"}, language="en") is None


def test_the_subset_covers_constraints_and_choice_columns() -> None:
    assert compiles(". >= 1 and . <= 31", current=True)
    assert compiles("string-length(.) < 50 and . != 'x'", current=True)
    assert not compiles(". >= 1")  # "." only means the answer in a constraint
    assert compiles("land = ${land} or ${land} = ''", columns=True)
    assert not compiles("land = ${land}")
    assert not compiles("regex(., '^[a-z]+$')", current=True)


def _walk(client: Client, url: str, answer: Any) -> tuple[Any, list[str]]:
    """Through the pages of the survey, ``answer(html, data)`` filling each; the pages."""
    page = client.get(url)
    page = client.post(url, {"state": state_of(page), "consent": "on"})
    facts = {"parent_letters": "Ma", "birth_day": "7", "place_letters": "Ly"}
    page = client.post(url, {"state": state_of(page), **facts})
    seen: list[str] = []
    for _ in range(40):
        if page.status_code == 302:
            break
        html = page.content.decode()
        seen.append(html)
        data = {"state": state_of(page), **fill_page(html)}
        page = client.post(url, answer(html, data))
    return page, seen


@pytest.mark.django_db
def test_the_web_form_enforces_the_imported_checks_on_the_field(pre_round: Round) -> None:
    _questions(pre_round)
    tries = {"years": ["5", "", "30"]}

    def answer(html: str, data: dict[str, str]) -> dict[str, str]:
        if 'name="q-years"' in html:
            data["q-years"] = tries["years"].pop(0)
        if 'name="q-task"' in html:
            data["q-task"] = "other"
            data["q-task_other"] = "Cook"
        return data

    page, seen = _walk(Client(), step_url(pre_round, "en"), answer)
    assert page.status_code == 302, seen[-1][:3000]
    refused = [html for html in seen if 'class="error errorlist" id="error-q-years"' in html]
    assert len(refused) == 2
    assert "Between 16 and 99" in refused[0]
    assert "This question needs an answer." in refused[1]
    # the town is asked on a page after the land, with the cities of the land chosen
    town_page = next(html for html in seen if 'name="q-town"' in html)
    assert 'name="q-land"' not in town_page
    assert 'value="nairobi"' in town_page
    assert 'value="mombasa"' in town_page
    assert 'value="kampala"' not in town_page
    task_page = next(html for html in seen if 'name="q-task"' in html)
    assert 'name="q-task_other"' in task_page
    answers = Response.objects.get(round=pre_round).answers
    assert answers["years"] == 30
    assert answers["town"] == "nairobi"
    assert answers["task"] == "other"
    assert answers["task_other"] == "Cook"


@pytest.mark.django_db
def test_the_api_checks_types_and_keeps_the_other_text(pre_round: Round) -> None:
    from peaceworks.impact.services import response_submit

    _questions(pre_round)
    Question.objects.create(
        instrument=pre_round.instrument, code="arrived", order=20_000, kind="date", text={}
    )

    def submit(answers: dict[str, Any]) -> Response:
        return response_submit(
            survey_round=pre_round,
            submission_id=uuid.uuid4(),
            language="en",
            answers=answers,
            matching_code="RO12AB34",
            consent_version=pre_round.instrument.consent_version,
        ).response

    from peaceworks.core.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        submit({"arrived": "the second of July"})
    assert refusal.value.field == "arrived"
    # what ODK Collect enforces on the phone is accepted as sent (the constraint says 16+)
    stored = submit({"arrived": "2026-07-02", "years": 12, "task": "other", "task_other": "Cook"})
    assert stored.answers["years"] == 12
    assert stored.answers["task_other"] == "Cook"
    # the other text is kept only with the "other" choice
    stored = submit({"task": "leader", "task_other": "Cook"})
    assert "task_other" not in stored.answers
