"""The batched import path gives each row the outcome a one-by-one submission would."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from peaceworks.core.errors import DomainError
from peaceworks.core.exports import csv_bytes
from peaceworks.core.models import AuditEvent, PendingUpload
from peaceworks.impact.models import AnalyticsSnapshot, Respondent, Response, Round
from peaceworks.impact.services import respondent_withdraw, response_batches
from peaceworks.impact.services import responses as response_services
from peaceworks.impact.tests.staging import import_confirm, import_preview

HEADERS = ["submission_id", "matching_code", "t1_knowledge"]


def _preview(survey_round: Round, rows: list[list[str]]) -> PendingUpload:
    return import_preview(
        actor=None,
        kind="responses",
        filename="r.csv",
        data=csv_bytes(HEADERS, rows),
        survey_round=survey_round,
    )


def test_rows_across_batches_share_respondents_and_each_get_an_audit_event(
    post_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(response_batches, "BATCH_SIZE", 2)
    same = str(uuid.uuid4())
    rows = [[str(uuid.uuid4()), f"AA{n:02d}BB", "4"] for n in range(5)]
    rows += [[same, "AA05BB", "3"], [same, "AA05BB", "3"]]  # a row, then a copy of it
    job = _preview(post_round, rows)
    assert job.preview["errors"] == []
    assert job.preview["counts"] == {"rows": 7, "created": 6, "unchanged": 1}
    assert not Response.objects.exists()
    assert not Respondent.objects.exists()
    import_confirm(actor=None, job=job)
    assert Response.objects.count() == 6
    assert Respondent.objects.count() == 6
    assert Response.objects.filter(respondent__isnull=True).count() == 0
    events = AuditEvent.objects.filter(action="impact.response_submit")
    assert sorted(events.values_list("target_id", flat=True)) == sorted(
        str(pk) for pk in Response.objects.values_list("pk", flat=True)
    )


def test_a_second_response_of_one_respondent_to_a_round_is_refused_per_row(
    post_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(response_batches, "BATCH_SIZE", 2)
    earlier = _preview(post_round, [[str(uuid.uuid4()), "CC01DD", "4"]])
    import_confirm(actor=None, job=earlier)
    rows = [
        [str(uuid.uuid4()), "AA01BB", "4"],
        [str(uuid.uuid4()), "EE01FF", "4"],
        [str(uuid.uuid4()), "aa-01 bb", "2"],  # the same respondent again, in a later batch
        [str(uuid.uuid4()), "CC01DD", "5"],  # answered the round in an earlier import
    ]
    job = _preview(post_round, rows)
    assert [e["row"] for e in job.preview["errors"]] == [4, 5]
    assert all("already answered this round" in e["message"] for e in job.preview["errors"])
    import_confirm(actor=None, job=job)
    assert Response.objects.filter(round=post_round).count() == 1


def test_a_changed_copy_in_the_same_file_and_a_withdrawn_code_are_refused_per_row(
    post_round: Round,
) -> None:
    first = _preview(post_round, [[str(uuid.uuid4()), "ZZ09YY", "4"]])
    import_confirm(actor=None, job=first)
    respondent_withdraw(activity=post_round.activity, matching_code="ZZ09YY")
    key = str(uuid.uuid4())
    job = _preview(
        post_round,
        [[key, "AA01BB", "4"], [key, "AA01BB", "2"], [str(uuid.uuid4()), "ZZ09YY", "5"]],
    )
    assert [(e["row"], e["column"]) for e in job.preview["errors"]] == [
        (3, ""),
        (4, "matching_code"),
    ]
    assert "different content" in job.preview["errors"][0]["message"]
    assert "withdrawn" in job.preview["errors"][1]["message"]
    import_confirm(actor=None, job=job)
    assert Response.objects.count() == 1


WIDE = [
    "submission_id",
    "matching_code",
    "sensitive_consent",
    "language",
    "t1_knowledge",
    "group/t4_conflict",
    "fewer_opportunities",
    "gender",
    "i_harm",
    "i_harm_text",
]
GOOD_ROWS = [
    ["AA01BB", "yes", "en", "4", "dk", "economic disability", "woman", "yes", "Un souci, là."],
    ["Jé-07xy", "no", "fr", "4.0", "5", "disability health", "man", "no", "Not asked now"],
    ["CC02DD", "", "", "N/A", "", "", "", "", ""],
    ["EE03FF", "oui", "es", "1", "3", "economic, economic", "", "yes", ""],
]
BAD_ROWS = [
    ["GG04HH", "", "en", "7", "2", "", "", "", ""],  # out of range
    ["II05JJ", "", "en", "2", "2", "flying", "", "", ""],  # not a choice
    ["KK06LL", "", "de", "2", "", "", "", "", ""],  # a language the survey lacks
    ["X", "", "en", "2", "", "", "", "", ""],  # too short a code
]


def _expected(survey_round: Round, cells: list[str]) -> response_services._Prepared:
    """What one submission of the row gives: the reference the column checks must match."""
    questions = {q.code: q for q in survey_round.instrument.questions.all()}
    codes = [header.rsplit("/", 1)[-1] for header in WIDE[4:]]
    return response_services._prepare(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language=(cells[2] or "en").lower(),
        answers={
            code: response_batches.parse_answer(questions[code], raw)
            for code, raw in zip(codes, cells[3:], strict=True)
            if raw
        },
        then_answers=None,
        matching_code=cells[0],
        consent_version=survey_round.instrument.consent_version,
        sensitive_consent=cells[1] in {"yes", "oui"},
    )


def test_rows_checked_by_column_are_stored_as_one_submission_each_would_be(
    post_round: Round,
) -> None:
    ids = [str(uuid.uuid4()) for _ in GOOD_ROWS]
    data = csv_bytes(WIDE, [[key, *cells] for key, cells in zip(ids, GOOD_ROWS, strict=True)])
    job = import_preview(
        actor=None, kind="responses", filename="w.csv", data=data, survey_round=post_round
    )
    assert job.preview["errors"] == []
    import_confirm(actor=None, job=job)
    for key, cells in zip(ids, GOOD_ROWS, strict=True):
        stored = Response.objects.select_related("respondent").get(submission_id=key)
        expected = _expected(post_round, cells)
        assert stored.answers == expected.cleaned
        assert stored.payload_hash == expected.payload_hash
        assert stored.sensitive_consent is expected.sensitive_consent
        assert stored.respondent is not None
        assert stored.respondent.code_hash == expected.hashed
        assert (stored.harm_status == Response.HarmStatus.PENDING) is response_services._is_harm(
            expected
        )
    assert Response.objects.filter(harm_status=Response.HarmStatus.PENDING).count() == 1
    events = AuditEvent.objects.filter(action="impact.response_submit")
    assert sorted(events.values_list("target_label", flat=True)) == sorted(ids)


def test_refused_rows_get_the_error_one_submission_would_get(post_round: Round) -> None:
    rows = [[str(uuid.uuid4()), *cells] for cells in GOOD_ROWS + BAD_ROWS]
    job = import_preview(
        actor=None,
        kind="responses",
        filename="w.csv",
        data=csv_bytes(WIDE, rows),
        survey_round=post_round,
    )
    expected = []
    for number, cells in enumerate(BAD_ROWS, start=2 + len(GOOD_ROWS)):
        with pytest.raises(DomainError) as refused:
            _expected(post_round, cells)
        expected.append(
            {"row": number, "column": refused.value.field, "message": refused.value.message}
        )
    assert job.preview["errors"] == expected
    # a preview with refused rows reports no created count: nothing would be written
    assert job.preview["counts"] == {"rows": len(GOOD_ROWS) + len(BAD_ROWS)}
    import_confirm(actor=None, job=job)
    assert not Response.objects.exists()
    assert not Respondent.objects.exists()
    assert not AuditEvent.objects.filter(action="impact.response_submit").exists()


def test_a_confirmed_import_refreshes_the_snapshot_after_commit_and_a_preview_does_not(
    post_round: Round, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as previewed:
        job = _preview(post_round, [[str(uuid.uuid4()), "AA01BB", "4"]])
    assert previewed == []
    with django_capture_on_commit_callbacks(execute=True) as confirmed:
        import_confirm(actor=None, job=job)
    assert len(confirmed) == 1
    assert AnalyticsSnapshot.objects.filter(campaign=post_round.activity.campaign).exists()
