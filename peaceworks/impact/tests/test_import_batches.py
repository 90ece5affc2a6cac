"""The batched import path gives each row the outcome a one-by-one submission would."""

from __future__ import annotations

import uuid

import pytest

from peaceworks.core.exports import csv_bytes
from peaceworks.core.models import AuditEvent
from peaceworks.impact.models import ImportJob, Respondent, Response, Round
from peaceworks.impact.services import import_confirm, import_preview, respondent_withdraw
from peaceworks.impact.services import responses as response_services

HEADERS = ["submission_id", "matching_code", "t1_knowledge"]


def _preview(survey_round: Round, rows: list[list[str]]) -> ImportJob:
    return import_preview(
        actor=None,
        kind=ImportJob.Kind.RESPONSES,
        filename="r.csv",
        data=csv_bytes(HEADERS, rows),
        survey_round=survey_round,
    )


def test_rows_across_batches_share_respondents_and_each_get_an_audit_event(
    post_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(response_services, "BATCH_SIZE", 2)
    same = str(uuid.uuid4())
    rows = [[str(uuid.uuid4()), f"AA{n:02d}BB", "4"] for n in range(5)]
    rows += [[same, "AA00BB", "3"], [same, "AA00BB", "3"]]  # the same code again, then a copy
    job = _preview(post_round, rows)
    assert job.errors == []
    assert job.summary == {"rows": 7, "created": 6, "unchanged": 1}
    assert not Response.objects.exists()
    assert not Respondent.objects.exists()
    import_confirm(actor=None, job=job)
    assert Response.objects.count() == 6
    assert Respondent.objects.count() == 5
    assert Response.objects.filter(respondent__isnull=True).count() == 0
    events = AuditEvent.objects.filter(action="impact.response_submit")
    assert sorted(events.values_list("target_id", flat=True)) == sorted(
        str(pk) for pk in Response.objects.values_list("pk", flat=True)
    )


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
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, ""), (4, "matching_code")]
    assert "different content" in job.errors[0]["message"]
    assert "withdrawn" in job.errors[1]["message"]
    import_confirm(actor=None, job=job)
    assert Response.objects.count() == 1
