"""Repeats from ODK Collect: every instance is stored with the response and exported in long
form (``repeat[n]/question``); the question's own answer is the first instance's."""

from __future__ import annotations

import copy
import uuid
from typing import Any
from xml.etree import ElementTree

import pytest

from peaceworks.accounts.models import User
from peaceworks.impact.figures.export import export_csv
from peaceworks.impact.models import Question, Response, Round
from peaceworks.impact.tests.test_openrosa import FACTS, XFORMS, _collect
from peaceworks.impact.tests.xlsforms import forms
from peaceworks.impact.xlsform import form_questions, parse_xlsform

pytestmark = pytest.mark.django_db

REPEATS = next(form for form in forms() if form.name == "repeats")


def _imported(survey_round: Round) -> None:
    parsed = parse_xlsform(filename=REPEATS.filename, data=REPEATS.data)
    assert parsed.errors == []
    instrument = survey_round.instrument
    instrument.questions.all().delete()
    Question.objects.bulk_create(form_questions(parsed, instrument=instrument))


def _fill(data: Any, consent_version: str, people: list[tuple[str, str]]) -> bytes:
    """The form filled with one ``volunteer`` instance per (name, agreement) and one visit."""
    for element in list(data.iter()):
        name = element.tag.removeprefix(XFORMS)
        values = {"consent": "yes", **FACTS, "volunteers": str(len(people))}
        if name in values:
            element.text = values[name]
        if name == "consent_version":
            element.text = consent_version
        if name == "instanceID":
            element.text = f"uuid:{uuid.uuid4()}"
    volunteers = [e for e in data if e.tag.removeprefix(XFORMS) == "volunteer"]
    template = next(e for e in volunteers if any(k.endswith("template") for k in e.attrib))
    for extra in volunteers:
        data.remove(extra)
    at = list(data).index(next(e for e in data if e.tag.removeprefix(XFORMS) == "visit"))
    for offset, (person, agreement) in enumerate(people):
        instance = copy.deepcopy(template)
        instance.attrib.clear()
        for element in instance.iter():
            name = element.tag.removeprefix(XFORMS)
            if name == "volunteer_name":
                element.text = person
            if name == "volunteer_agree":
                element.text = agreement
        data.insert(at + offset, instance)
    for visit in data:
        if visit.tag.removeprefix(XFORMS) == "visit" and not visit.attrib:
            for element in visit:
                element.text = "2026-07-01"
    return bytes(ElementTree.tostring(data, encoding="utf-8"))


def test_every_repeat_instance_is_stored_and_exported_in_long_form(
    pre_round: Round, org_coordinator: User
) -> None:
    _imported(pre_round)
    collect = _collect(pre_round, org_coordinator)
    xform = collect.download(collect.form_list()[0])
    assert b"<repeat" in xform
    assert b"volunteer_name" in xform
    xml = _fill(collect.blank(), collect.consent_version, [("Ana", "4"), ("Bo", "2"), ("Cy", "5")])
    answer = collect.submit(xml)
    assert answer.status_code == 201, answer.content
    stored = Response.objects.get(round=pre_round)
    assert stored.answers["volunteer"] == [
        {"volunteer_name": "Ana", "volunteer_agree": 4},
        {"volunteer_name": "Bo", "volunteer_agree": 2},
        {"volunteer_name": "Cy", "volunteer_agree": 5},
    ]
    assert stored.answers["volunteer_agree"] == 4  # the first instance: the one analysed
    assert stored.answers["visit"] == [{"visit_date": "2026-07-01"}]

    text = b"".join(export_csv(campaign=None, org_ids=None)).decode("utf-8-sig")
    lines = text.splitlines()
    assert any(line.endswith("answer,volunteer[2]/volunteer_agree,2") for line in lines)
    assert any(line.endswith("answer,volunteer[3]/volunteer_agree,5") for line in lines)
    assert any(line.endswith("answer,volunteer_agree,4") for line in lines)
    # the names typed are free text of an imported form: left out of the raw export
    assert "Ana" not in text
    assert "volunteer_name" not in text


def test_a_repeat_holding_an_unknown_question_is_refused(
    pre_round: Round, org_coordinator: User
) -> None:
    from peaceworks.core.errors import DomainError
    from peaceworks.impact.services import response_submit

    _imported(pre_round)
    with pytest.raises(DomainError):
        response_submit(
            survey_round=pre_round,
            submission_id=uuid.uuid4(),
            language="en",
            answers={"volunteer": [{"t1_knowledge": 4}]},
            matching_code="RO12AB34",
            consent_version=pre_round.instrument.consent_version,
        )
    with pytest.raises(DomainError):
        response_submit(
            survey_round=pre_round,
            submission_id=uuid.uuid4(),
            language="en",
            answers={"volunteer": [{"volunteer_agree": 9}]},
            matching_code="RO12AB34",
            consent_version=pre_round.instrument.consent_version,
        )
