"""The app form (``openrosa.round_xforms``) is made from the XLSForm's rows without writing and
reading workbooks, and is byte for byte the XForm the workbooks gave: the export's sheets
read back from the XLSX equal :func:`xlsform_sheets`, and pyxform makes the same XForm from
:func:`workbook_definition` as from an XLSX holding the same tables."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from peaceworks.impact import openrosa, xlsform
from peaceworks.impact.models import Question, Round
from peaceworks.impact.services import round_open
from peaceworks.impact.tests.xlsforms import forms
from peaceworks.impact.xlsform import export_xlsform, form_questions, parse_xlsform, xlsform_sheets

#: texts a workbook could change: spaces around, line breaks, a no-break space, an error code
AWKWARD = ["  Spaces around  ", "Two\r\nlines\rand\nmore", "No\u00a0break", "#N/A", "'quoted'"]


def _read_back(data: bytes, title: str) -> tuple[list[str], list[dict[str, Any]]]:
    """A sheet of an XLSX as the app form read it before: header row, then non-empty cells."""
    rows = list(load_workbook(io.BytesIO(data))[title].iter_rows(values_only=True))
    headers = [str(cell or "") for cell in rows[0]]
    return headers, [
        {headers[i]: cell for i, cell in enumerate(row) if cell not in (None, "")}
        for row in rows[1:]
    ]


def _xform_through_a_workbook(tables: openrosa.Tables) -> str:
    workbook = Workbook()
    for title, rows in tables.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    del workbook[workbook.sheetnames[0]]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return str(convert(xlsform=io.BytesIO(buffer.getvalue()), file_type=".xlsx").xform)


def _assert_as_through_workbooks(survey_round: Round) -> int:
    """Every language's XForm of the round is the one the workbooks made; returns how many."""
    instrument = survey_round.instrument
    asked = openrosa._asked(survey_round)
    theme_ids = {question.theme_id for question in asked if question.theme_id}
    sheets = xlsform_sheets(instrument, theme_ids=theme_ids)
    exported = export_xlsform(instrument, theme_ids=theme_ids)
    for title, sheet in sheets.items():
        assert _read_back(exported, title) == (sheet.columns, sheet.rows), title
    openrosa._XFORMS.clear()
    xforms = openrosa.round_xforms(survey_round)
    for xform in xforms:
        key = openrosa._form_key(survey_round, xform.language, asked)
        tables = openrosa._tables(survey_round, xform.language, asked, key)
        assert xform.xml == _xform_through_a_workbook(tables).encode()
    return len(xforms)


def _round(activity: Any, kind: str, **fields: Any) -> Round:
    now = timezone.now()
    return round_open(
        actor=None,
        activity=activity,
        kind=kind,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
        **fields,
    )


@pytest.mark.django_db
def test_the_default_frameworks_app_forms_are_those_the_workbooks_made(
    framework: Any, make_activity: Any
) -> None:
    rounds = [
        _round(make_activity(), Round.Kind.PRE),
        _round(make_activity(), Round.Kind.POST),
        _round(make_activity(), Round.Kind.POST, uses_retrospective=True),
        _round(
            make_activity(themes=(1, 2, 3, 4, 5)),
            Round.Kind.POST,
            omitted_questions=[Round.NO_SENSITIVE_ITEMS],
        ),
    ]
    assert any(survey_round.uses_retrospective for survey_round in rounds)
    assert sum(_assert_as_through_workbooks(survey_round) for survey_round in rounds) > len(rounds)


@pytest.mark.django_db
def test_awkward_texts_make_the_app_form_the_workbooks_made(pre_round: Round) -> None:
    instrument = pre_round.instrument
    instrument.intro = {"en": AWKWARD[0], "fr": AWKWARD[1]}
    instrument.save(update_fields=["intro"])
    for question, text in zip(instrument.questions.all(), AWKWARD, strict=False):
        question.text = {**question.text, "en": text}
        question.choices = [
            {**choice, "label": {**choice.get("label", {}), "en": text}}
            for choice in question.choices
        ]
        question.save(update_fields=["text", "choices"])
    assert _assert_as_through_workbooks(pre_round)


@pytest.mark.django_db
def test_imported_forms_make_the_app_form_the_workbooks_made(
    pre_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every form of the corpus in turn, as the round's instrument. ODK Validate (Java, the
    outside world) is not what is compared here: it is left out of the imports."""
    monkeypatch.setattr(xlsform, "_odk_validate", lambda xml, warnings: None)
    for form in forms():
        parsed = parse_xlsform(filename=form.filename, data=form.data)
        assert parsed.errors == [], form.name
        pre_round.instrument.questions.all().delete()
        Question.objects.bulk_create(form_questions(parsed, instrument=pre_round.instrument))
        assert _assert_as_through_workbooks(pre_round), form.name
