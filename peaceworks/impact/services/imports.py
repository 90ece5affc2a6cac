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
from peaceworks.core.bulk import cycle_collection_paused
from peaceworks.core.errors import DomainError
from peaceworks.core.tabular import RowError, Table, TableError, read_table
from peaceworks.impact.models import ImportJob, Instrument, Question, Response, Round
from peaceworks.impact.pseudonyms import build_code
from peaceworks.impact.services.frameworks import instrument_edit
from peaceworks.impact.services.response_batches import (
    SubmissionColumns,
    responses_submit_columns,
)
from peaceworks.impact.xlsform import parse_xlsform

TRUE = {"1", "true", "yes", "oui", "sí", "si", "y"}
KOBO_KEYS = ("_uuid", "meta/instanceID", "instanceID", "meta/instanceid", "KEY")
PARTS = ("parent_letters", "birth_day", "place_letters")  # the matching code's three facts


class _Rollback(Exception):
    """Raised inside the import transaction to undo it (preview, or a failed row)."""


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


def _first_filled(columns: list[list[str]], count: int) -> list[str]:
    """Per row, the first non-blank cell of ``columns`` ("" when all are blank)."""
    found = [""] * count
    for column in columns:
        found = [have or cell for have, cell in zip(found, column, strict=True)]
    return found


def _answer_columns(
    table: Table, questions: dict[str, Question]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The answer and retrospective ("then.") columns, by question code; columns that name
    no question of the instrument are ignored. Two columns for one question (``t1`` and
    ``group/t1``) make one: per row, the later non-blank cell."""
    answers: dict[str, list[str]] = {}
    then: dict[str, list[str]] = {}
    for header, cells in table.columns.items():
        code = _column_code(header)
        target = answers
        if code.startswith("then."):
            code = code.removeprefix("then.")
            target = then
        if code not in questions:
            continue
        earlier = target.get(code)
        target[code] = (
            cells
            if earlier is None
            else [cell or old for old, cell in zip(earlier, cells, strict=True)]
        )
    return answers, then


def _parse_time(raw: str) -> datetime | None:
    """The moment a cell names (naive times are in the server's zone), or None."""
    try:
        at = parse_datetime(raw.replace(" ", "T", 1))
    except ValueError:  # well formed but impossible, like 2027-02-30
        return None
    return at if at is None or not timezone.is_naive(at) else timezone.make_aware(at)


def _submissions(
    job: ImportJob, table: Table, survey_round: Round
) -> tuple[SubmissionColumns, list[RowError]]:
    """The table's rows as submissions, column by column, and the rows refused on the way
    (no submission id, an unreadable date)."""
    instrument = survey_round.instrument
    questions = {q.code: q for q in instrument.questions.all()}
    count = len(table.cells)
    blank = [""] * count
    columns = table.columns

    def column(*names: str) -> list[str]:
        return _first_filled([columns[name] for name in names if name in columns], count)

    if job.kind == ImportJob.Kind.KOBO:
        keys, key_column = column(*KOBO_KEYS), "_uuid"
    else:
        keys, key_column = columns.get("submission_id", blank), "submission_id"
    codes = column("matching_code", "code")
    if "parent_letters" in columns:
        parents, days, places = (columns.get(name, blank) for name in PARTS)
        codes = [
            code
            or (
                build_code(parent_letters=parent, birth_day=day, place_letters=place)
                if parent
                else ""
            )
            for code, parent, day, place in zip(codes, parents, days, places, strict=True)
        ]
    times: dict[str, datetime | None] = {"": None}
    errors: list[RowError] = []
    kept: list[int] = []
    submitted: list[datetime | None] = []
    for index, (key, raw) in enumerate(
        zip(keys, column("submitted_at", "_submission_time", "end"), strict=True)
    ):
        number = table.row_numbers[index]
        if not key:
            errors.append(RowError(number, key_column, _("The submission id is missing.")))
            continue
        if raw not in times:
            times[raw] = _parse_time(raw)
        at = times[raw]
        if raw and at is None:
            errors.append(RowError(number, "submitted_at", _("This is not a date and time.")))
            continue
        kept.append(index)
        submitted.append(at)

    def rows(values: list[Any]) -> list[Any]:
        return values if len(kept) == count else [values[i] for i in kept]

    default_language = instrument.languages[0]
    answers, then = _answer_columns(table, questions)
    return (
        SubmissionColumns(
            numbers=rows(table.row_numbers),
            submission_ids=[_as_uuid(key) for key in rows(keys)],
            languages=[
                (language or default_language).lower()[:8]
                for language in rows(columns.get("language", blank))
            ],
            consent_versions=[
                version or instrument.consent_version
                for version in rows(columns.get("consent_version", blank))
            ],
            sensitive_consents=[
                flag.lower() in TRUE for flag in rows(columns.get("sensitive_consent", blank))
            ],
            matching_codes=rows(codes),
            submitted_at=submitted,
            answers={code: rows(cells) for code, cells in answers.items()},
            then_answers={code: rows(cells) for code, cells in then.items()},
        ),
        errors,
    )


def _run_responses(
    job: ImportJob, *, keep: bool, table: Table | None = None
) -> tuple[list[RowError], dict[str, int]]:
    survey_round = (
        Round.objects.select_related("instrument", "activity")
        .prefetch_related("instrument__questions", "activity__themes")
        .get(pk=job.round_id or 0)
    )
    if table is None:
        table = read_table(filename=job.filename, data=bytes(job.data))
    data, errors = _submissions(job, table, survey_round)
    counts = {"rows": len(table.cells), "created": 0, "unchanged": 0}
    source = Response.Source.KOBO if job.kind == ImportJob.Kind.KOBO else Response.Source.IMPORT
    try:
        with transaction.atomic():
            result = responses_submit_columns(
                survey_round=survey_round,
                data=data,
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
    with cycle_collection_paused():
        # size, zip bombs, XML entities, encodings: a file refused here is not stored
        table = read_table(filename=filename, data=data)
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
        errors, counts = _run(job, keep=False, actor=actor, table=table)
    job.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
    job.summary = counts
    job.save(update_fields=["errors", "summary", "updated_at"])
    audit_record(actor=actor, action="impact.import_preview", target=job, changes=counts)
    return job


def _run(
    job: ImportJob, *, keep: bool, actor: Any, table: Table | None = None
) -> tuple[list[RowError], dict[str, int]]:
    """Check (and with ``keep`` write) the job's file; ``table`` is the file already read."""
    try:
        if job.kind == ImportJob.Kind.XLSFORM:
            return _run_xlsform(job, keep=keep, actor=actor)
        return _run_responses(job, keep=keep, table=table)
    except TableError as error:
        return [RowError(1, "", error.message)], {}


@transaction.atomic
def import_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """Write the previewed import: every row, or none when any row fails."""
    if job.status != ImportJob.Status.PREVIEWED:
        raise DomainError(_("This import was already confirmed."))
    with cycle_collection_paused():
        errors, counts = _run(job, keep=True, actor=actor)
    job.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
    job.summary = counts
    job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.IMPORTED
    job.save(update_fields=["errors", "summary", "status", "updated_at"])
    audit_record(actor=actor, action="impact.import_confirm", target=job, changes=counts)
    return job
