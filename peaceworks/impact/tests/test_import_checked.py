"""A confirmation stores the rows its preview checked, and stores exactly what checking the
file again would have stored; a changed round or instrument is checked again."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from peaceworks.core import bulk
from peaceworks.core.exports import csv_bytes, xlsx_bytes
from peaceworks.core.models import AuditEvent, PendingUpload
from peaceworks.impact.models import Question, Respondent, Response, Round
from peaceworks.impact.services import imports, response_batches
from peaceworks.impact.services.response_batches import (
    CheckedRows,
    checked_fingerprint,
    checked_rows_load,
)
from peaceworks.impact.tests.staging import import_confirm, import_preview
from peaceworks.impact.tests.test_import_batches import GOOD_ROWS, WIDE
from peaceworks.impact.typed_answers import typed_columns

HEADERS = [*WIDE, "submitted_at"]
#: awkward values: accents, Cyrillic, Greek, Arabic, Devanagari and CJK in codes and free
#: text, "dk", "N/A", "4.0", choices with commas and repeats, times with and without a zone,
#: a time given only as a date, blank cells
AWKWARD = [
    [*GOOD_ROWS[0], "2027-05-01 10:00:00"],
    [*GOOD_ROWS[1], "2027-05-01T10:00:00+02:00"],
    [*GOOD_ROWS[2], ""],
    [*GOOD_ROWS[3], "2027-05-02"],
    ["Жу-12ёк", "", "en", "3", "dk", "", "", "no", "", "2027-05-01 10:00:00"],
    ["ΑΒ34γδ", "yes", "en", "5", "1", "economic", "", "yes", "صعب 困难 कठिन", ""],  # noqa: RUF001
    ["مم56هه", "", "fr", "2", "2", "", "woman", "", "", "2027-05-03 23:59:59"],  # noqa: RUF001
    ["कख78गघ", "", "en", "n/a", "4", "", "", "", "", ""],
    ["漢字90かな", "", "en", "1", "3", "", "", "", "", ""],
]


def _file(kind: str, rows: list[list[Any]]) -> tuple[str, bytes]:
    if kind == "csv":
        return "r.csv", csv_bytes(HEADERS, rows)
    # numbers as numbers, as a spreadsheet saves them
    cells = [[float(v) if v.isdigit() or v == "4.0" else v for v in row] for row in rows]
    return "r.xlsx", xlsx_bytes(HEADERS, cells, title="responses")


def _stored(untimed: set[str]) -> list[tuple[Any, ...]]:
    """Every stored response with its respondent's pseudonym, in a comparable form (the
    rows of ``untimed``, without a time in the file, are stored as submitted when confirmed)."""
    return sorted(
        (
            str(response.submission_id),
            response.respondent.code_hash if response.respondent else "",
            response.language,
            None if str(response.submission_id) in untimed else response.submitted_at,
            response.answers,
            response.then_answers,
            response.payload_hash,
            response.consent_version,
            response.sensitive_consent,
            response.harm_status,
            response.source,
            response.instrument_version_id,
            bytes(response.scores or b""),
            response.profile,
        )
        for response in Response.objects.select_related("respondent")
    )


def _checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times an import checks its rows from the file."""
    calls: list[int] = []
    check = response_batches.responses_check_columns

    def counted(**kwargs: Any) -> CheckedRows:
        calls.append(1)
        return check(**kwargs)

    monkeypatch.setattr(imports, "responses_check_columns", counted)
    return calls


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_kept_rows_are_stored_exactly_as_the_file_checked_again_would_be(
    post_round: Round, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _checks(monkeypatch)
    rows = [[str(uuid.uuid4()), *cells] for cells in AWKWARD]
    filename, data = _file(kind, rows)
    stored = []
    for keep in (True, False):
        Response.objects.all().delete()
        Respondent.objects.all().delete()
        calls.clear()
        job = import_preview(
            actor=None, kind="responses", filename=filename, data=data, survey_round=post_round
        )
        assert job.preview["errors"] == []
        assert job.preview["counts"] == {"rows": len(rows), "created": len(rows), "unchanged": 0}
        assert bytes(job.checked) != b""
        if not keep:  # the previous path: the confirmation reads and checks the file again
            PendingUpload.objects.filter(pk=job.pk).update(checked=b"")
            job.refresh_from_db()
        job = import_confirm(actor=None, job=job)
        assert job.state == PendingUpload.State.CONFIRMED
        assert job.outcome == {"rows": len(rows), "created": len(rows), "unchanged": 0}
        assert bytes(job.checked) == b""  # dropped once confirmed
        assert len(calls) == (1 if keep else 2)
        stored.append(_stored({row[0] for row in rows if not row[-1]}))
    assert len(stored[0]) == len(rows)
    assert stored[0] == stored[1]
    # the typed columns, computed column by column, are what the ORM's ``pre_save`` stores
    for response in Response.objects.all():
        assert (bytes(response.scores or b""), response.profile) == typed_columns(
            response.answers, response.then_answers
        )
    events = AuditEvent.objects.filter(action="impact.response_submit")
    assert events.count() == 2 * len(rows)


def test_a_changed_question_or_round_is_checked_again(
    post_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _checks(monkeypatch)
    rows = [[str(uuid.uuid4()), *cells] for cells in AWKWARD[:3]]
    filename, data = _file("csv", rows)

    def previewed() -> PendingUpload:
        job = import_preview(
            actor=None, kind="responses", filename=filename, data=data, survey_round=post_round
        )
        calls.clear()
        return job

    job = previewed()
    question = Question.objects.get(instrument=post_round.instrument, code="t1_knowledge")
    Question.objects.filter(pk=question.pk).update(hint={"en": "Changed since the preview"})
    assert import_confirm(actor=None, job=job).state == PendingUpload.State.CONFIRMED
    assert calls == [1]

    Response.objects.all().delete()
    job = previewed()
    Round.objects.filter(pk=post_round.pk).update(omitted_questions=["t4_conflict"])
    import_confirm(actor=None, job=job)
    assert calls == [1]

    Round.objects.filter(pk=post_round.pk).update(omitted_questions=[])
    Response.objects.all().delete()
    job = previewed()
    fresh = Round.objects.select_related("instrument", "activity").get(pk=post_round.pk)
    file = [job.sha256, job.importer, "csv"]
    assert checked_rows_load(bytes(job.checked), fingerprint="0" * 64) is None
    assert checked_rows_load(
        bytes(job.checked), fingerprint=checked_fingerprint(survey_round=fresh, file=file)
    )
    assert import_confirm(actor=None, job=job).state == PendingUpload.State.CONFIRMED
    assert calls == []  # nothing changed: the kept rows were stored


def test_a_preview_with_errors_keeps_no_rows(post_round: Round) -> None:
    rows = [[str(uuid.uuid4()), *AWKWARD[0]], ["", *AWKWARD[1]]]  # the second has no id
    filename, data = _file("csv", rows)
    job = import_preview(
        actor=None, kind="responses", filename=filename, data=data, survey_round=post_round
    )
    assert [error["row"] for error in job.preview["errors"]] == [3]
    assert bytes(job.checked) == b""
    job = import_confirm(actor=None, job=job)
    assert job.state == PendingUpload.State.FAILED
    assert not Response.objects.exists()


def test_rows_inserted_many_per_statement_are_those_inserted_one_by_one(
    post_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    # on SQLite wide rows (responses, audit events) go in as multi-row statements: with two
    # rows a statement the nine rows make four full statements and a remainder of one
    rows = [[str(uuid.uuid4()), *cells] for cells in AWKWARD]
    filename, data = _file("csv", rows)
    stored = []
    for per_statement in (2, 1):
        monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", per_statement)
        Response.objects.all().delete()
        Respondent.objects.all().delete()
        AuditEvent.objects.filter(action="impact.response_submit").delete()
        job = import_preview(
            actor=None, kind="responses", filename=filename, data=data, survey_round=post_round
        )
        job = import_confirm(actor=None, job=job)
        assert job.state == PendingUpload.State.CONFIRMED
        responses = list(Response.objects.order_by("pk"))
        events = AuditEvent.objects.filter(action="impact.response_submit").order_by("pk")
        stored.append(
            (
                # in file order, each with its own respondent and audit event
                [str(response.submission_id) for response in responses],
                [response.respondent_id is not None for response in responses],
                _stored({row[0] for row in rows if not row[-1]}),
                [
                    (event.target_id, event.target_label, event.changes, event.actor_label)
                    for event in events
                ],
                [(str(r.pk), str(r.submission_id)) for r in responses],
            )
        )
        # every audit event names its own response
        assert stored[-1][3] == [
            (pk, label, {"round": post_round.pk, "source": "import"}, "system")
            for pk, label in stored[-1][4]
        ]
    assert stored[0][0] == [row[0] for row in rows]
    assert stored[0][:3] == stored[1][:3]
    assert [event[1:] for event in stored[0][3]] == [event[1:] for event in stored[1][3]]
