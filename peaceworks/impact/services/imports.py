"""Imports with preview and all-or-nothing confirmation: responses, Kobo/ODK exports, XLSForms.

A preview runs the whole import inside a transaction that is always rolled back, so it finds
exactly the errors the real import would meet. Confirming runs it again and keeps it only when
no row fails. Each response row is keyed by its submission id (``_uuid`` or
``meta/instanceID`` for Kobo/ODK), so importing the same file again changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.core.tabular import RowError, Table, TableError, read_table
from peaceworks.impact.models import ImportJob, Instrument, Question, Response, Round
from peaceworks.impact.pseudonyms import build_code
from peaceworks.impact.services.frameworks import instrument_edit
from peaceworks.impact.services.responses import responses_submit_many
from peaceworks.impact.xlsform import parse_xlsform

TRUE = {"1", "true", "yes", "oui", "sí", "si", "y"}
KOBO_KEYS = ("_uuid", "meta/instanceID", "instanceID", "meta/instanceid", "KEY")


class _Rollback(Exception):
    """Raised inside the import transaction to undo it (preview, or a failed row)."""


def _submission_key(row: dict[str, str], kind: str) -> str:
    if kind == ImportJob.Kind.KOBO:
        for key in KOBO_KEYS:
            if row.get(key):
                return row[key]
        return ""
    return row.get("submission_id", "")


def _as_uuid(value: str) -> uuid.UUID:
    text = value.strip().removeprefix("uuid:")
    try:
        return uuid.UUID(text)
    except ValueError:
        # ODK instance ids are not always UUIDs; a stable name-based one keeps re-imports keyed
        return uuid.uuid5(uuid.NAMESPACE_URL, f"peaceworks-import:{text}")


def _column_code(header: str) -> str:
    """Kobo/ODK group paths (``group_a/t1_knowledge``) become the question code."""
    return header.rsplit("/", 1)[-1].strip().lower()


def _value(question: Question, raw: str) -> Any:
    raw = raw.strip()
    if raw == "":
        return None
    if question.kind == Question.Kind.MULTIPLE:
        return [part for part in raw.replace(",", " ").split() if part]
    if question.kind in {Question.Kind.AGREEMENT, Question.Kind.NUMBER}:
        if raw.lower() in {"dk", "na", "n/a"}:
            return None
        try:
            return int(float(raw))
        except ValueError:
            return raw
    return raw


def _submissions(
    job: ImportJob, table: Table, survey_round: Round
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    questions = {q.code: q for q in survey_round.instrument.questions.all()}
    errors: list[RowError] = []
    out: list[tuple[int, dict[str, Any]]] = []
    header_codes = {h: _column_code(h) for h in table.headers}
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        key = _submission_key(row, job.kind)
        if not key:
            column = "_uuid" if job.kind == ImportJob.Kind.KOBO else "submission_id"
            errors.append(RowError(number, column, _("The submission id is missing.")))
            continue
        answers: dict[str, Any] = {}
        then: dict[str, Any] = {}
        for header, raw in row.items():
            code = header_codes.get(header, header)
            target = answers
            if code.startswith("then."):
                code = code.removeprefix("then.")
                target = then
            question = questions.get(code)
            if question is not None and raw.strip() != "":
                target[code] = _value(question, raw)
        code = row.get("matching_code", "") or row.get("code", "")
        if not code and row.get("parent_letters"):
            code = build_code(
                parent_letters=row.get("parent_letters", ""),
                birth_day=row.get("birth_day", ""),
                place_letters=row.get("place_letters", ""),
            )
        submitted_raw = (
            row.get("submitted_at") or row.get("_submission_time") or row.get("end") or ""
        )
        submitted_at: datetime | None = None
        if submitted_raw:
            submitted_at = parse_datetime(submitted_raw.replace(" ", "T", 1))
            if submitted_at is None:
                errors.append(RowError(number, "submitted_at", _("This is not a date and time.")))
                continue
            if timezone.is_naive(submitted_at):
                submitted_at = timezone.make_aware(submitted_at)
        instrument = survey_round.instrument
        out.append(
            (
                number,
                {
                    "submission_id": _as_uuid(key),
                    "language": (row.get("language") or instrument.languages[0]).lower()[:8],
                    "answers": answers,
                    "then_answers": then or None,
                    "matching_code": code,
                    "consent_version": row.get("consent_version") or instrument.consent_version,
                    "sensitive_consent": row.get("sensitive_consent", "").lower() in TRUE,
                    "submitted_at": submitted_at,
                },
            )
        )
    return out, errors


def _run_responses(job: ImportJob, *, keep: bool) -> tuple[list[RowError], dict[str, int]]:
    survey_round = (
        Round.objects.select_related("instrument", "activity")
        .prefetch_related("instrument__questions", "activity__themes")
        .get(pk=job.round_id or 0)
    )
    table = read_table(filename=job.filename, data=bytes(job.data))
    rows, errors = _submissions(job, table, survey_round)
    counts = {"rows": len(table.rows), "created": 0, "unchanged": 0}
    source = Response.Source.KOBO if job.kind == ImportJob.Kind.KOBO else Response.Source.IMPORT
    try:
        with transaction.atomic():
            result = responses_submit_many(
                survey_round=survey_round,
                rows=rows,
                source=source,
                actor=job.created_by,
                write=keep,
            )
            errors += [
                RowError(number, error.field or "", error.message)
                for number, error in result.errors
            ]
            counts["created"], counts["unchanged"] = result.created, result.unchanged
            if errors or not keep:
                raise _Rollback
    except _Rollback:
        pass
    return sorted(errors, key=lambda e: e.row), counts


def _run_xlsform(
    job: ImportJob, *, keep: bool, actor: Any
) -> tuple[list[RowError], dict[str, int]]:
    parsed = parse_xlsform(filename=job.filename, data=bytes(job.data))
    counts = {"questions": len(parsed.questions)}
    if parsed.errors or not keep:
        return parsed.errors, counts
    assert job.instrument is not None  # noqa: S101 -- XLSForm jobs always name their instrument
    draft = instrument_edit(actor=actor, instrument=job.instrument)
    themes = {t.number: t for t in draft.framework.campaign.themes.all()}
    draft.questions.all().delete()
    Question.objects.bulk_create(
        [
            Question(
                instrument=draft,
                code=spec["code"],
                order=index * 10,
                block=spec["block"]
                if spec["block"] in Question.Block.values
                else Question.Block.COMPETENCE,
                theme=themes.get(spec["theme_number"]) if spec["theme_number"] else None,
                kind=spec["kind"],
                text=spec["text"],
                choices=spec.get("choices", []),
                relevant=spec.get("relevant", {}),
            )
            for index, spec in enumerate(parsed.questions)
        ]
    )
    if parsed.title:
        draft.title = parsed.title | {k: v for k, v in draft.title.items() if k != "en"}
    draft.languages = sorted(set(parsed.languages) | {"en"})
    draft.save(update_fields=["title", "languages", "updated_at"])
    counts["version"] = draft.version
    return [], counts


@transaction.atomic
def import_preview(
    *,
    actor: Any,
    kind: str,
    filename: str,
    data: bytes,
    survey_round: Round | None = None,
    instrument: Instrument | None = None,
) -> ImportJob:
    """Store the file and check every row without writing anything else.

    Raises TableError (the whole file is unreadable) before storing anything.
    """
    if kind == ImportJob.Kind.XLSFORM:
        if instrument is None:
            raise DomainError(_("Choose the instrument the form becomes a new version of."))
    elif survey_round is None:
        raise DomainError(_("Choose the round the answers belong to."))
    if kind == ImportJob.Kind.XLSFORM and not filename.lower().endswith(".xlsx"):
        raise TableError(_("The file is not a readable XLSForm workbook."))
    # size, zip bombs, XML entities, encodings: a file refused here is not stored
    read_table(filename=filename, data=data)
    job = ImportJob(
        kind=kind,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        round=survey_round,
        instrument=instrument,
        filename=filename[:200],
        data=data,
    )
    job.full_clean(exclude=["data"])
    job.save()
    errors, counts = _run(job, keep=False, actor=actor)
    job.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
    job.summary = counts
    job.save(update_fields=["errors", "summary", "updated_at"])
    audit_record(actor=actor, action="impact.import_preview", target=job, changes=counts)
    return job


def _run(job: ImportJob, *, keep: bool, actor: Any) -> tuple[list[RowError], dict[str, int]]:
    try:
        if job.kind == ImportJob.Kind.XLSFORM:
            return _run_xlsform(job, keep=keep, actor=actor)
        return _run_responses(job, keep=keep)
    except TableError as error:
        return [RowError(1, "", error.message)], {}


@transaction.atomic
def import_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """Write the previewed import: every row, or none when any row fails."""
    if job.status != ImportJob.Status.PREVIEWED:
        raise DomainError(_("This import was already confirmed."))
    errors, counts = _run(job, keep=True, actor=actor)
    job.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
    job.summary = counts
    job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.IMPORTED
    job.save(update_fields=["errors", "summary", "status", "updated_at"])
    audit_record(actor=actor, action="impact.import_confirm", target=job, changes=counts)
    return job
