from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from openpyxl import Workbook

from peaceworks.core.exports import csv_bytes
from peaceworks.core.models import PendingUpload
from peaceworks.impact.models import Framework, Instrument, Question, Response, Round
from peaceworks.impact.tests.staging import import_confirm, import_preview
from peaceworks.impact.xlsform import export_xlsform, parse_xlsform


def kobo_export(post_round: Round) -> bytes:
    headers = [
        "start",
        "group_theme/t1_knowledge",
        "group_theme/t4_conflict",
        "gender",
        "fewer_opportunities",
        "matching_code",
        "_submission_time",
        "meta/instanceID",
        "_uuid",
    ]
    rows = [
        [
            "2027-05-01T10:00:00",
            "4",
            "5",
            "woman",
            "economic social",
            "AA01BB",
            "2027-05-01T10:05:00",
            f"uuid:{uuid.UUID(int=1)}",
            str(uuid.UUID(int=1)),
        ],
        [
            "2027-05-01T10:00:00",
            "dk",
            "3",
            "man",
            "none",
            "CC02DD",
            "2027-05-01T10:06:00",
            f"uuid:{uuid.UUID(int=2)}",
            str(uuid.UUID(int=2)),
        ],
        [
            "2027-05-01T10:00:00",
            "2",
            "",
            "",
            "",
            "EE03FF",
            "2027-05-01 10:07:00",
            "uuid:not-a-uuid-but-stable",
            "",
        ],
    ]
    return csv_bytes(headers, rows)


def test_kobo_export_imports_once_and_reimports_as_a_no_op(post_round: Round) -> None:
    data = kobo_export(post_round)
    job = import_preview(
        actor=None,
        kind="kobo",
        filename="kobo.csv",
        data=data,
        survey_round=post_round,
    )
    assert job.preview["errors"] == []
    assert job.preview["counts"]["created"] == 3
    assert not Response.objects.exists()  # a preview writes nothing
    import_confirm(actor=None, job=job)
    assert Response.objects.filter(source=Response.Source.KOBO).count() == 3
    first = Response.objects.get(submission_id=uuid.UUID(int=1))
    assert first.answers["t1_knowledge"] == 4
    assert first.answers["fewer_opportunities"] == ["economic", "social"]
    again = import_preview(
        actor=None,
        kind="kobo",
        filename="kobo.csv",
        data=data,
        survey_round=post_round,
    )
    assert again.preview["counts"] == {"rows": 3, "created": 0, "unchanged": 3}
    import_confirm(actor=None, job=again)
    assert Response.objects.count() == 3


def test_a_bad_row_refuses_the_whole_import_with_row_and_column(post_round: Round) -> None:
    headers = ["submission_id", "matching_code", "t1_knowledge", "then.t1_knowledge"]
    data = csv_bytes(
        headers,
        [[str(uuid.uuid4()), "AA01BB", "4", ""], [str(uuid.uuid4()), "CC02DD", "9", ""]],
    )
    job = import_preview(
        actor=None,
        kind="responses",
        filename="r.csv",
        data=data,
        survey_round=post_round,
    )
    assert job.preview["errors"] == [
        {"row": 3, "column": "t1_knowledge", "message": "The answer to t1_knowledge is not valid."}
    ]
    import_confirm(actor=None, job=job)
    assert job.state == PendingUpload.State.FAILED
    assert "created" not in job.outcome
    assert not Response.objects.exists()


def test_conflicting_reimport_is_refused_per_row(post_round: Round) -> None:
    key = str(uuid.uuid4())
    first = csv_bytes(["submission_id", "matching_code", "t1_knowledge"], [[key, "AA01BB", "4"]])
    changed = csv_bytes(["submission_id", "matching_code", "t1_knowledge"], [[key, "AA01BB", "2"]])
    import_confirm(
        actor=None,
        job=import_preview(
            actor=None, kind="responses", filename="a.csv", data=first, survey_round=post_round
        ),
    )
    job = import_preview(
        actor=None, kind="responses", filename="a.csv", data=changed, survey_round=post_round
    )
    assert job.preview["errors"][0]["row"] == 2
    assert "different content" in job.preview["errors"][0]["message"]


def test_unreadable_file_is_refused(post_round: Round) -> None:
    from peaceworks.core.tabular import TableError

    with pytest.raises(TableError):
        import_preview(
            actor=None, kind="responses", filename="a.pdf", data=b"%PDF", survey_round=post_round
        )


# --- XLSForm corpus, generated here ---------------------------------------------------------


def xlsform(
    survey: list[list[Any]], choices: list[list[Any]] | None = None, title: str = "Form"
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices is not None:
        choice_sheet = workbook.create_sheet("choices")
        for row in choices:
            choice_sheet.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append([title, "form"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEAD = ["type", "name", "label::English (en)", "label::French (fr)", "relevant"]
AGREE = (
    [["list_name", "name", "label::English (en)", "label::French (fr)"]]
    + [["agree", str(n), f"A{n}", f"F{n}"] for n in range(1, 6)]
    + [
        ["agree", "dk", "Don't know", "Je ne sais pas"],
        ["yn", "yes", "Yes", "Oui"],
        ["yn", "no", "No", "Non"],
        ["acts", "a", "A", "A"],
        ["acts", "b", "B", "B"],
    ]
)

#: name → (the survey sheet, the row pyxform refuses or None); the workbook (with the choices
#: ``AGREE``) is written by the test that reads it, not while the tests are collected
CORPUS: dict[str, tuple[list[list[Any]], int | None]] = {
    "groups, choices, translations": (
        [
            HEAD,
            ["start", "start", "", "", ""],
            ["begin_group", "g1", "Group", "Groupe", ""],
            ["select_one agree", "q_agree", "I agree", "Je suis d'accord", ""],
            ["select_multiple acts", "q_acts", "Acts", "Actes", ""],
            ["integer", "q_num", "How many", "Combien", ""],
            ["end_group", "", "", "", ""],
            ["note", "n1", "Thanks", "Merci", ""],
        ],
        None,
    ),
    "skip logic": (
        [
            HEAD,
            ["select_one yn", "harm", "Harm?", "Tort ?", ""],
            ["text", "harm_text", "Describe", "Décrivez", "${harm} = 'yes'"],
        ],
        None,
    ),
    "repeat": (
        [
            HEAD,
            ["text", "a", "A", "A", ""],
            ["begin_repeat", "kids", "Kids", "Enfants", ""],
            ["text", "kid", "Kid", "Enfant", ""],
            ["end_repeat", "", "", "", ""],
        ],
        None,
    ),
    "complex condition": (
        [
            HEAD,
            ["integer", "age", "Age", "Âge", ""],
            ["text", "why", "Why", "Pourquoi", "${age} > 18 and ${age} < 30"],
        ],
        None,
    ),
    "geopoint": ([HEAD, ["geopoint", "where", "Where", "Où", ""]], None),
    "missing choice list": ([HEAD, ["select_one nolist", "x", "X", "X", ""]], 2),
    "calculate": (
        [HEAD, ["integer", "n", "N", "N", ""], ["calculate", "d", "", "", ""]],
        3,
    ),
    "bad name": ([HEAD, ["text", "Bad Name!", "X", "X", ""]], 2),
    "no label": ([HEAD, ["text", "nolabel", "", "", ""]], 2),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_xlsform_of_the_corpus_imports_or_fails_with_a_named_row(name: str) -> None:
    survey, failing_row = CORPUS[name]
    parsed = parse_xlsform(filename=f"{name}.xlsx", data=xlsform(survey, AGREE))
    if failing_row is None:
        assert parsed.errors == [], parsed.errors
        assert parsed.questions
        assert all(q["text"].get("fr") for q in parsed.questions if q["kind"] != "recorded")
    else:
        assert parsed.errors, name
        assert parsed.errors[0].row == failing_row
        assert f"row {failing_row}" in parsed.errors[0].message


def test_xlsform_features_map_onto_question_kinds() -> None:
    parsed = parse_xlsform(
        filename="f.xlsx", data=xlsform(CORPUS["groups, choices, translations"][0], AGREE)
    )
    kinds = {q["code"]: q["kind"] for q in parsed.questions}
    assert kinds == {
        "start": "recorded",
        "q_agree": "agreement",
        "q_acts": "multiple",
        "q_num": "number",
        "n1": "recorded",
    }
    skip = parse_xlsform(filename="f.xlsx", data=xlsform(CORPUS["skip logic"][0], AGREE))
    assert skip.questions[1]["relevant"] == {"question": "harm", "value": "yes"}


def test_exported_instrument_is_a_valid_xlsform_that_imports_back(framework: Framework) -> None:
    instrument = framework.instruments.get(role=Instrument.Role.V_POST)
    data = export_xlsform(instrument)
    parsed = parse_xlsform(filename="export.xlsx", data=data)
    assert parsed.errors == []
    codes = {q["code"] for q in parsed.questions}
    assert set(instrument.questions.values_list("code", flat=True)) <= codes
    job = import_preview(
        actor=None,
        kind="xlsform",
        filename="export.xlsx",
        data=data,
        instrument=instrument,
    )
    assert job.preview["errors"] == []
    import_confirm(actor=None, job=job)
    draft = framework.instruments.get(role=Instrument.Role.V_POST, version=2)
    assert draft.status == Instrument.Status.DRAFT
    harm_text = draft.questions.get(code="i_harm_text")
    assert harm_text.relevant == {"question": "i_harm", "value": "yes"}
    assert draft.questions.get(code="t4_conflict").kind == Question.Kind.AGREEMENT
    assert draft.questions.get(code="t4_conflict").theme is not None
