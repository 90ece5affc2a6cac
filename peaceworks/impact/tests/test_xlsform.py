"""XLSForms as field teams write them (the corpus in ``xlsforms``): each imports exactly when
pyxform accepts it, else is refused with pyxform's reason and row; every question is kept;
the export of each imported form is accepted by pyxform and reads back to the same
questions, skip logic, constraints, choice filters and choices."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from peaceworks.impact.models import Framework, Instrument, Question
from peaceworks.impact.tests.xlsforms import Form, forms, refused
from peaceworks.impact.xlsform import ParsedForm, export_xlsform, parse_xlsform, question_fields

FORMS = {form.name: form for form in forms()}
REFUSED = {form.name: form for form in refused()}
ENDS = {"end group", "end_group", "end repeat", "end_repeat"}
GROUPS = {"begin group", "begin_group", "begin repeat", "begin_repeat"}


def _file_type(filename: str) -> str:
    return ".xls" if filename.endswith(".xls") else ".xlsx"


def _pyxform_json(filename: str, data: bytes) -> dict[str, Any]:
    result = convert(xlsform=io.BytesIO(data), file_type=_file_type(filename), warnings=[])
    form: dict[str, Any] = result._pyxform
    return form


def _parsed(form: Form) -> ParsedForm:
    parsed = parse_xlsform(filename=form.filename, data=form.data)
    assert parsed.errors == [], parsed.errors
    return parsed


def _questions(parsed: ParsedForm) -> list[tuple[Any, ...]]:
    """What an import keeps of each question, Peaceworks' own matching code aside."""
    return [
        (
            spec["code"],
            spec["kind"],
            spec["text"],
            spec.get("choices", []),
            spec["relevant"],
            spec["xlsform"]["type"],
            [group["row"]["name"] for group in spec["xlsform"]["groups"]],
        )
        for spec in parsed.questions
        if spec["code"] != "matching_code"
    ]


def _shape(form: dict[str, Any]) -> dict[str, Any]:
    """Each element of pyxform's JSON form by name: its type, binds (skip logic, constraint,
    required, calculation), control, parameters, choice filter and choice names."""
    shapes: dict[str, Any] = {}

    def walk(children: list[dict[str, Any]], path: str) -> None:
        for element in children:
            name = element["name"]
            if name in {"meta", "matching_code"}:
                continue
            bind = dict(element.get("bind", {}))
            bind |= {k.split(":", 1)[1]: v for k, v in element.items() if k.startswith("bind:")}
            shapes[f"{path}/{name}"] = (
                element["type"],
                bind,
                element.get("control", {}),
                element.get("parameters", {}),
                element.get("choice_filter"),
                [choice["name"] for choice in element.get("choices", [])],
            )
            walk(element.get("children", []), f"{path}/{name}")

    walk(form["children"], "")
    return shapes


def _instrument_of(parsed: ParsedForm, instrument: Instrument) -> Instrument:
    """``instrument`` holding the parsed questions, as the import stores them."""
    instrument.questions.all().delete()
    Question.objects.bulk_create(
        [
            Question(
                instrument=instrument,
                order=index * 10,
                block=Question.Block.COMPETENCE,
                **question_fields(spec),
            )
            for index, spec in enumerate(parsed.questions)
        ]
    )
    instrument.languages = parsed.languages
    instrument.save(update_fields=["languages"])
    return instrument


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_form_pyxform_accepts_imports_with_every_question_kept(name: str) -> None:
    form = FORMS[name]
    _pyxform_json(form.filename, form.data)  # pyxform accepts it
    parsed = _parsed(form)
    definition = get_xlsform(xlsform=io.BytesIO(form.data), file_type=_file_type(form.filename))
    named = [
        str(row["name"])
        for row in definition.survey or []
        if row.get("name") and str(row.get("type", "")).strip() not in GROUPS | ENDS
    ]
    assert [spec["code"] for spec in parsed.questions] == named


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_form_pyxform_refuses_is_refused_with_pyxforms_reason_and_row(name: str) -> None:
    form = REFUSED[name]
    with pytest.raises(Exception) as refusal:  # noqa: PT011 -- pyxform's own error classes
        _pyxform_json(form.filename, form.data)
    parsed = parse_xlsform(filename=form.filename, data=form.data)
    assert parsed.questions == []
    assert len(parsed.errors) == 1
    assert str(refusal.value) in parsed.errors[0].message
    if name != "missing list":  # the one reason that names no row: the choices sheet is missing
        # the row pyxform names, or else the row of the element or type it names
        assert parsed.errors[0].row > 1, parsed.errors[0]
        assert f"row {parsed.errors[0].row}" in parsed.errors[0].message


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_export_of_an_imported_form_is_accepted_and_reads_back_the_same(
    name: str, framework: Framework
) -> None:
    form = FORMS[name]
    parsed = _parsed(form)
    instrument = _instrument_of(parsed, framework.instruments.get(role=Instrument.Role.V_POST))
    exported = export_xlsform(instrument)
    again = parse_xlsform(filename="export.xlsx", data=exported)
    assert again.errors == []
    assert _questions(again) == _questions(parsed)
    assert {
        spec["code"]: spec["xlsform"]["row"]
        for spec in again.questions
        if spec["code"] != "matching_code"
    } == {
        spec["code"]: spec["xlsform"]["row"] | {"peaceworks_block": "competence"}
        for spec in parsed.questions
    }
    assert _shape(_pyxform_json("export.xlsx", exported)) == _shape(
        _pyxform_json(form.filename, form.data)
    )


def test_every_spelling_reads_the_same_questions() -> None:
    spellings = _parsed(FORMS["spellings"])
    by_code = {spec["code"]: spec for spec in spellings.questions}
    assert by_code["trust"]["kind"] == Question.Kind.AGREEMENT
    assert by_code["trust"]["text"] == {"en": "I trust", "fr": "J'ai confiance"}
    assert by_code["harm"]["kind"] == Question.Kind.SINGLE
    assert by_code["harm_text"]["relevant"] == {"question": "harm", "value": "yes"}
    assert by_code["harm_text"]["xlsform"]["row"]["relevant"] == "${harm} = 'yes'"
    assert [g["row"]["name"] for g in by_code["trust"]["xlsform"]["groups"]] == ["camp"]
    assert spellings.languages == ["en", "fr"]
    assert spellings.title == {"en": "Workcamp survey"}
    underscores = _parsed(FORMS["underscores"])
    assert underscores.languages == ["en", "fr"]
    assert {s["code"]: s["kind"] for s in underscores.questions} == {
        "trust": Question.Kind.AGREEMENT,
        "both": Question.Kind.MULTIPLE,
        "days": Question.Kind.NUMBER,
    }
    assert _questions(_parsed(FORMS["macro workbook"])) == _questions(underscores)
    legacy = _parsed(FORMS["xls"])
    assert {s["code"]: s["kind"] for s in legacy.questions} == {
        "place": Question.Kind.TEXT,
        "days": Question.Kind.NUMBER,
        "arrived": Question.Kind.DATE,
    }
    assert legacy.questions[1]["relevant"] == {"question": "place", "value": "north"}


def test_every_question_type_is_kept_analysed_or_recorded() -> None:
    parsed = _parsed(FORMS["every type"])
    kinds = {spec["code"]: spec["kind"] for spec in parsed.questions}
    analysed = {
        "q_integer": Question.Kind.NUMBER,
        "q_text": Question.Kind.TEXT,
        "q_date": Question.Kind.DATE,
        "q_time": Question.Kind.TIME,
        "q_datetime": Question.Kind.DATETIME,
        "q_agree": Question.Kind.AGREEMENT,
        "q_one": Question.Kind.SINGLE,
        "q_many": Question.Kind.MULTIPLE,
    }
    assert {code: kinds[code] for code in analysed} == analysed
    recorded = set(kinds) - set(analysed)
    assert recorded >= {"started", "q_geopoint", "q_image", "q_barcode", "q_calc", "q_hidden"}
    assert {kinds[code] for code in recorded} == {Question.Kind.RECORDED}
    assert parsed.questions[-2]["xlsform"]["row"]["calculation"] == "${q_integer} * 2"
    assert any("recorded" in warning.message for warning in parsed.warnings)


def test_what_the_web_form_does_not_do_is_named_in_the_warnings() -> None:
    logic = _parsed(FORMS["complex logic"])
    columns = {warning.column: warning.message for warning in logic.warnings}
    assert set(columns) == {"relevant", "constraint", "required"}
    assert "rows 4, 5, 6" in columns["relevant"]
    assert [spec["relevant"] for spec in logic.questions] == [{}, {}, {}, {}, {}]
    assert logic.questions[2]["xlsform"]["row"]["relevant"] == (
        "(${age} > 18 and ${age} < 30) or not(selected(${tried}, 'no'))"
    )
    repeats = _parsed(FORMS["repeats"])
    assert [w.row for w in repeats.warnings if w.column == "type"][:2] == [3, 9]
    volunteer = next(s for s in repeats.questions if s["code"] == "volunteer_agree")
    assert [(g["type"], g["row"]["name"]) for g in volunteer["xlsform"]["groups"]] == [
        ("repeat", "volunteer"),
        ("group", "volunteer_view"),
    ]
    assert volunteer["xlsform"]["groups"][0]["row"]["repeat_count"] == "${volunteers}"
    other = _parsed(FORMS["or_other"])
    assert {w.column for w in other.warnings} == {"or_other"}
    cascade = _parsed(FORMS["choice filter"])
    assert {w.column for w in cascade.warnings} == {"choice_filter"}


@pytest.mark.django_db
def test_choice_filters_and_duplicate_choice_names_survive_the_export(
    framework: Framework,
) -> None:
    instrument = framework.instruments.get(role=Instrument.Role.V_POST)
    _instrument_of(_parsed(FORMS["duplicate choices allowed"]), instrument)
    book = load_workbook(io.BytesIO(export_xlsform(instrument)))
    settings = list(book["settings"].values)
    assert dict(zip(settings[0], settings[1], strict=True))["allow_choice_duplicates"] == "yes"
    again = parse_xlsform(filename="export.xlsx", data=export_xlsform(instrument))
    place = next(spec for spec in again.questions if spec["code"] == "place")
    assert [choice["value"] for choice in place["choices"]] == ["camp", "camp", "town"]
    _instrument_of(_parsed(FORMS["choice filter"]), instrument)
    book = load_workbook(io.BytesIO(export_xlsform(instrument)))
    survey = list(book["survey"].values)
    city = dict(zip(survey[0], next(row for row in survey if row[1] == "city"), strict=True))
    assert city["choice_filter"] == "country=${country}"
    choices = list(book["choices"].values)
    assert "country" in choices[0]


def test_a_file_that_is_not_a_workbook_is_refused_before_pyxform_reads_it() -> None:
    from peaceworks.core.tabular import TableError

    with pytest.raises(TableError, match=r"\.xlsx or \.xls"):
        parse_xlsform(filename="form.csv", data=b"type,name,label\n")
    with pytest.raises(TableError):
        parse_xlsform(filename="form.xlsx", data=b"not a zip")
