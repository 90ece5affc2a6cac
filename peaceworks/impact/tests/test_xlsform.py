"""XLSForms as field teams write them (the corpus in ``xlsforms``): each imports exactly when
pyxform accepts it, else is refused with pyxform's reason and row; every question is kept;
the export of each imported form is accepted by pyxform and reads back to the same
questions, skip logic, constraints, choice filters and choices."""

from __future__ import annotations

import copy
import functools
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pyxform.validators import odk_validate
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from peaceworks.impact import openrosa, routing, xlsform
from peaceworks.impact.models import Framework, Instrument, Question, Response, Round
from peaceworks.impact.openrosa import round_xforms
from peaceworks.impact.relevance import compiles, relevance_holds
from peaceworks.impact.tests.shared import (
    campaign,
    framework,
    make_activity,
    network_admin,
    organisation,
    other_organisation,
    secretariat,
    shared_rows,
)
from peaceworks.impact.tests.test_respondent_pages import fill_page, state_of, step_url
from peaceworks.impact.tests.xlsforms import Form, forms, refused, workbook
from peaceworks.impact.xlsform import (
    ParsedForm,
    check_xlsform_file,
    export_xlsform,
    form_questions,
    parse_xlsform,
)

# the fixtures: the campaign and framework the tests that store questions start from, built once
# for the module (a test's questions are undone after it)
__all__ = [
    "campaign",
    "framework",
    "make_activity",
    "network_admin",
    "organisation",
    "other_organisation",
    "secretariat",
    "shared_rows",
]


@pytest.fixture(autouse=True)
def _instruments_read_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without the process's copies of published instruments' questions and
    of rounds' app forms, as it did with an instrument of its own: the module's instruments
    are shared, and the questions a test stores in one get the primary keys of the previous
    test's (undone), so a copy kept by their keys would be the previous test's."""
    monkeypatch.setattr(routing, "_PUBLISHED_QUESTIONS", {})
    monkeypatch.setattr(openrosa, "_XFORMS", {})


FORMS = {form.name: form for form in forms()}
REFUSED = {form.name: form for form in refused()}
ENDS = {"end group", "end_group", "end repeat", "end_repeat"}
GROUPS = {"begin group", "begin_group", "begin repeat", "begin_repeat"}


def _file_type(filename: str) -> str:
    return ".xls" if filename.endswith(".xls") else ".xlsx"


def _pyxform_json(filename: str, data: bytes) -> dict[str, Any]:
    """pyxform's JSON form of the workbook (raises as pyxform does when it refuses it); a
    corpus form's is read once per process (the same bytes read the same; tests only read it)."""
    if (filename, data) in _CORPUS:
        return _corpus_pyxform_json(filename, data)
    return _convert(filename, data)


_CORPUS = {(form.filename, form.data) for form in FORMS.values()}


@functools.cache
def _corpus_pyxform_json(filename: str, data: bytes) -> dict[str, Any]:
    return _convert(filename, data)


def _convert(filename: str, data: bytes) -> dict[str, Any]:
    result = convert(xlsform=io.BytesIO(data), file_type=_file_type(filename), warnings=[])
    form: dict[str, Any] = result._pyxform
    return form


def _parsed(form: Form) -> ParsedForm:
    """The form as an import reads it: a copy each time (tests change it), read once per
    process (the same bytes read the same; most tests start from a corpus form)."""
    return copy.deepcopy(_parsed_once(form))


@functools.cache
def _parsed_once(form: Form) -> ParsedForm:
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
    Question.objects.bulk_create(form_questions(parsed, instrument=instrument))
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
        spec["code"]: spec["xlsform"]["row"] | {"peaceworks_block": spec["block"]}
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
    assert "rows 7:" in columns["relevant"]  # regex(): the one the web form does not evaluate
    # the constraints of rows 2 and 6 and the required "yes" and "true()" are enforced
    assert "rows 7:" in columns["constraint"]
    assert "rows 5:" in columns["required"]
    assert [spec["relevant"] for spec in logic.questions] == [
        {},
        {},
        {"expression": "(${age} > 18 and ${age} < 30) or not(selected(${tried}, 'no'))"},
        {"expression": "count-selected(${tried}) >= 2"},
        {"expression": "${age} != 20"},
        {"expression": "regex(${why}, '^[a-z]+$')"},
    ]
    repeats = _parsed(FORMS["repeats"])
    assert [w.row for w in repeats.warnings if w.column == "type"][:2] == [3, 9]
    volunteer = next(s for s in repeats.questions if s["code"] == "volunteer_agree")
    assert [(g["type"], g["row"]["name"]) for g in volunteer["xlsform"]["groups"]] == [
        ("repeat", "volunteer"),
        ("group", "volunteer_view"),
    ]
    assert volunteer["xlsform"]["groups"][0]["row"]["repeat_count"] == "${volunteers}"
    other = _parsed(FORMS["or_other"])
    assert other.warnings == []  # the web form offers "other" and its text
    cascade = _parsed(FORMS["choice filter"])
    assert cascade.warnings == []  # the web form filters the cities by the country


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
    with pytest.raises(TableError):
        check_xlsform_file(filename="form.xls", data=b"not an OLE2 file")
    for form in FORMS.values():
        check_xlsform_file(filename=form.filename, data=form.data)  # accepted: no error


def test_group_skip_logic_is_and_ed_into_each_question_of_the_group() -> None:
    form = workbook(
        {
            "survey": [
                ["type", "name", "label", "relevant"],
                ["integer", "age", "Age", None],
                ["begin group", "adult", "Adults", "${age} >= 18"],
                ["text", "job", "Job", None],
                ["text", "boss", "Boss", "${job} = 'yes'"],
                ["end group", None, None, None],
            ]
        }
    )
    parsed = parse_xlsform(filename="groups.xlsx", data=form)
    assert [spec["relevant"] for spec in parsed.questions] == [
        {},
        {"expression": "${age} >= 18"},
        {"expression": "(${age} >= 18) and (${job} = 'yes')"},
    ]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("expression", "answers", "holds"),
    [
        ("${age} > 18 and ${age} < 30", {"age": 25}, True),
        ("${age} > 18 and ${age} < 30", {"age": 30}, False),
        ("${age} > 18 and ${age} < 30", {}, False),
        ("${age} >= 18 or ${role} = 'leader'", {"age": 12, "role": "leader"}, True),
        ("not(${role} = 'leader')", {"role": "volunteer"}, True),
        ("${role} != 'leader'", {}, True),
        ("selected(${tried}, 'no')", {"tried": ["yes", "no"]}, True),
        ("selected(${tried}, 'no')", {"tried": ["yes"]}, False),
        ("count-selected(${tried}) >= 2", {"tried": ["yes", "no"]}, True),
        ("count-selected(${tried}) >= 2", {"tried": None}, False),
        ("(${a} + 2) * 3 = 15 and ${a} mod 2 = 1", {"a": 3}, True),
        ("${a} div 0 > 1", {"a": 3}, False),
        ("string-length(${why}) > 3", {"why": "because"}, True),
        ("${agree} >= 4", {"agree": 5}, True),
        ("${agree} = ''", {"agree": None}, True),
        ("true() and not(false())", {}, True),
        ("-${a} < 0", {"a": 1}, True),
        ('${role} = "leader"', {"role": "leader"}, True),
    ],
)
def test_the_web_form_evaluates_comparisons_logic_and_select_functions(
    expression: str, answers: dict[str, Any], holds: bool
) -> None:
    assert compiles(expression)
    assert relevance_holds({"expression": expression}, answers) is holds


@pytest.mark.parametrize(
    "expression",
    ["regex(${a}, 'x')", ". > 3", "${a} = ", "position(..) > 1", "selected(${a})", "${a} @ 2"],
)
def test_an_expression_outside_the_subset_is_not_evaluated_and_the_question_asked(
    expression: str,
) -> None:
    assert not compiles(expression)
    assert relevance_holds({"expression": expression}, {"a": "x"}) is True


def test_the_simple_condition_holds_when_the_answer_equals_the_value() -> None:
    condition = {"question": "harm", "value": "yes"}
    assert relevance_holds(condition, {"harm": "yes"})
    assert not relevance_holds(condition, {"harm": "no"})
    assert not relevance_holds(condition, {})
    assert relevance_holds({}, {})


def test_the_web_form_asks_dates_skips_recorded_questions_and_applies_skip_logic(
    pre_round: Round,
) -> None:
    form = workbook(
        {
            "survey": [
                ["type", "name", "label", "relevant"],
                ["date", "arrived", "Arrived", None],
                ["geopoint", "where", "Where", None],
                ["text", "why", "Why", "${arrived} = '2026-07-02' or ${arrived} = ''"],
                ["text", "how", "How", "${arrived} = '2026-07-01' and not(${why} = 'x')"],
            ]
        }
    )
    parsed = parse_xlsform(filename="camp.xlsx", data=form)
    questions = form_questions(parsed, instrument=pre_round.instrument)
    for index, question in enumerate(questions):
        question.order = 10_000 + index
    Question.objects.bulk_create(questions)
    client = Client()
    url = step_url(pre_round, "en")
    page = client.get(url)
    page = client.post(url, {"state": state_of(page), "consent": "on"})
    facts = {"parent_letters": "Ma", "birth_day": "7", "place_letters": "Ly"}
    page = client.post(url, {"state": state_of(page), **facts})
    seen = ""
    for _ in range(30):
        if page.status_code == 302:
            break
        assert page.status_code == 200, page.content.decode()[:2000]
        html = page.content.decode()
        seen += html
        data = {"state": state_of(page), **fill_page(html)}
        data |= {f"q-{code}": "because" for code in ("why", "how") if f'name="q-{code}"' in html}
        if 'name="q-arrived"' in html:
            data["q-arrived"] = "2026-07-01"
        page = client.post(url, data)
    assert page.status_code == 302
    assert '<input type="date" name="q-arrived"' in seen
    assert "q-where" not in seen  # recorded from the app, not asked on the web
    answers = Response.objects.get(round=pre_round).answers
    assert answers["arrived"] == "2026-07-01"
    assert answers["how"] == "because"
    assert answers["why"] is None  # not relevant: the answer typed is not kept


@pytest.mark.django_db
def test_questions_stored_without_their_xlsform_row_export_by_kind(framework: Framework) -> None:
    """Questions imported before rows were kept (or written in Peaceworks): written by kind,
    a label where they had none, and read back to the same kinds and skip logic."""
    parsed = _parsed(FORMS["every type"])
    for spec in parsed.questions:
        spec.pop("xlsform")
    logic = _parsed(FORMS["complex logic"])
    for spec in logic.questions:
        spec.pop("xlsform")
    parsed.questions += logic.questions
    instrument = _instrument_of(parsed, framework.instruments.get(role=Instrument.Role.V_POST))
    again = parse_xlsform(filename="export.xlsx", data=export_xlsform(instrument))
    assert again.errors == []
    kinds = {spec["code"]: (spec["kind"], spec["relevant"]) for spec in again.questions}
    for spec in parsed.questions:
        kind = spec["kind"] if spec["kind"] != Question.Kind.RECORDED else Question.Kind.TEXT
        assert kinds[spec["code"]] == (kind, spec["relevant"]), spec["code"]


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_round_of_an_imported_form_gets_its_odk_collect_form(pre_round: Round, name: str) -> None:
    """The app form of a round keeps the imported rows' calculations, constraints, choice
    filters (with their choice columns) and duplicate choice names, so pyxform makes it."""
    form = FORMS[name]
    pre_round.instrument.questions.all().delete()
    Question.objects.bulk_create(form_questions(_parsed(form), instrument=pre_round.instrument))
    xforms = round_xforms(pre_round)
    assert xforms
    if name == "choice filter":
        assert b"country" in xforms[0].xml
    if name == "every type":
        assert b"/q_integer  * 2" in xforms[0].xml  # the calculation, kept


def test_odk_validate_checks_each_xform_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """ODK Validate (Java) is the outside world: its runs are counted, and a refusal stands."""
    form = FORMS[sorted(FORMS)[0]]
    runs: list[str] = []
    real = odk_validate.check_xform

    def counted(path: str) -> list[str]:
        runs.append(path)
        warnings: list[str] = real(path)
        return warnings

    monkeypatch.setattr(odk_validate, "check_xform", counted)
    monkeypatch.setattr(xlsform, "_VALIDATED", set())
    first = parse_xlsform(filename=form.filename, data=form.data)
    again = parse_xlsform(filename=form.filename, data=form.data)
    assert len(runs) == 1
    assert first.questions == again.questions
    assert first.errors == again.errors == []

    def refuses(path: str) -> list[str]:
        raise odk_validate.ODKValidateError("ODK Validate Errors:\nThe form is broken.")

    monkeypatch.setattr(odk_validate, "check_xform", refuses)
    monkeypatch.setattr(xlsform, "_VALIDATED", set())
    refused = parse_xlsform(filename=form.filename, data=form.data)
    assert [error.message for error in refused.errors] == [
        "The form is not valid: ODK Validate Errors:\nThe form is broken."
    ]
