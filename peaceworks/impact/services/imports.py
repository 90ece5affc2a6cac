"""The importers of impact: survey answers (CSV/XLSX), Kobo/ODK exports and XLSForms.

They run on the one upload mechanism, ``core.uploads`` (kinds ``impact.responses``,
``impact.kobo`` with the target ``{"round": pk}``, ``impact.xlsform`` with
``{"instrument": pk}``). A check runs the whole import inside a transaction that is always
rolled back, so it finds exactly the errors the real import would meet; applying runs it again
and raises ImportRefused when any row fails, so nothing is kept. Each response row is keyed by
its submission id (``_uuid`` or ``meta/instanceID`` for Kobo/ODK), so importing the same file
again changes nothing. A responses check keeps its checked rows with the upload
(``PendingUpload.checked``, under a fingerprint of the stored file, the round and its
instrument): applying stores those without reading the file again while the fingerprint holds,
and redoes only what depends on the database (known submissions, respondents, the inserts).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.core.bulk import cycle_collection_paused, page_cache_widened
from peaceworks.core.errors import NotFound
from peaceworks.core.models import PendingUpload
from peaceworks.core.tabular import RowError, Table, read_table
from peaceworks.core.uploads import ImportRefused, Preview
from peaceworks.directory.models import WebhookEvent
from peaceworks.directory.services.webhooks import webhook_emit
from peaceworks.impact.models import Instrument, Question, Response, Round
from peaceworks.impact.pseudonyms import build_code
from peaceworks.impact.routing import instrument_questions, routed_questions
from peaceworks.impact.selectors import instrument_get_for_user
from peaceworks.impact.services.frameworks import instrument_edit
from peaceworks.impact.services.response_batches import (
    SubmissionColumns,
    checked_fingerprint,
    checked_rows_dump,
    checked_rows_load,
    responses_check_columns,
    responses_submit_columns,
)
from peaceworks.impact.xlsform import check_xlsform_file, form_questions, parse_xlsform

TRUE = {"1", "true", "yes", "oui", "sí", "si", "y"}
KOBO_KEYS = ("_uuid", "meta/instanceID", "instanceID", "meta/instanceid", "KEY")
PARTS = ("parent_letters", "birth_day", "place_letters")  # the matching code's three facts
#: a UUID written as ``str(UUID)`` writes it (lower case, hyphens where they belong)
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class _Rollback(Exception):
    """Raised inside the import transaction to undo it (preview, or a failed row)."""


def _as_uuid(value: str) -> uuid.UUID:
    text = value.strip().removeprefix("uuid:")
    try:
        return uuid.UUID(text)
    except ValueError:
        # ODK instance ids are not always UUIDs; a stable name-based one keeps re-imports keyed
        return uuid.uuid5(uuid.NAMESPACE_URL, f"peaceworks-import:{text}")


def _submission_id(value: str) -> str:
    """The canonical text of :func:`_as_uuid` of ``value`` (what ``str`` of it gives); a
    cell that is written so already, as most are, is taken as it is (no UUID is built)."""
    text = value.strip().removeprefix("uuid:")
    return text if _CANONICAL_UUID.fullmatch(text) else str(_as_uuid(value))


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


def responses_template_columns(survey_round: Round) -> list[str]:
    """The header of the import template of ``survey_round``: what the responses importer
    reads (the submission's facts, the three facts of the personal code) and one column per
    question the round asks, with a ``then.`` column per retrospective question when the round
    asks that block."""
    questions = instrument_questions(survey_round.instrument)
    asked = routed_questions(
        questions,
        theme_ids=[theme.pk for theme in survey_round.activity.themes.all()],
        sensitive_consent=survey_round.asks_sensitive_items,
        omitted=survey_round.omitted_questions,
    )
    facts = ["submission_id", "submitted_at", "language", "consent_version"]
    if survey_round.asks_sensitive_items:
        facts.append("sensitive_consent")
    if survey_round.kind != Round.Kind.PARTNER:
        facts += list(PARTS)
    then = (
        [f"then.{q.code}" for q in asked if q.in_retrospective]
        if survey_round.uses_retrospective
        else []
    )
    return [*facts, *(q.code for q in asked), *then]


def _parse_time(raw: str) -> datetime | None:
    """The moment a cell names (naive times are in the server's zone), or None."""
    try:
        at = parse_datetime(raw.replace(" ", "T", 1))
    except ValueError:  # well formed but impossible, like 2027-02-30
        return None
    return at if at is None or not timezone.is_naive(at) else timezone.make_aware(at)


def _submissions(
    *, kobo: bool, table: Table, survey_round: Round
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

    if kobo:
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
            submission_ids=list(map(_submission_id, rows(keys))),
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


def _run_responses(upload: PendingUpload, *, keep: bool) -> tuple[list[RowError], dict[str, int]]:
    """The rows refused and, when none is, the counts; writes only with ``keep`` and no error.

    Without ``keep`` (the preview) the checked rows are kept in ``upload.checked`` when every
    row passed the checks; with it, they are used instead of reading the file again when they
    were kept for this file, round and instrument. Counts of created rows are reported only for
    an import without errors: a refused import wrote nothing."""
    tables: list[Table] = []
    if not keep:
        # the preview reads the file in any case: first, so that a file that is not a table
        # is refused before the round and its questions are read
        tables.append(read_table(filename=upload.filename, data=bytes(upload.data)))
    survey_round = (
        Round.objects.select_related("instrument", "activity")
        .prefetch_related("instrument__questions", "activity__themes")
        .get(pk=upload.target.get("round") or 0)
    )
    kobo = upload.importer == KOBO
    fingerprint = checked_fingerprint(
        survey_round=survey_round,
        file=[upload.sha256, upload.importer, upload.filename.lower().rsplit(".", 1)[-1]],
    )

    def submissions() -> tuple[SubmissionColumns, list[RowError]]:
        if not tables:
            tables.append(read_table(filename=upload.filename, data=bytes(upload.data)))
        return _submissions(kobo=kobo, table=tables[0], survey_round=survey_round)

    errors: list[RowError] = []
    checked = checked_rows_load(bytes(upload.checked), fingerprint=fingerprint) if keep else None
    if checked is None:
        data, errors = submissions()
        checked = responses_check_columns(survey_round=survey_round, data=data)
        rows = len(tables[0].cells)
        if not keep:
            upload.checked = b"" if errors else checked_rows_dump(checked, fingerprint=fingerprint)
    else:
        rows = len(checked.ready)
    counts = {"rows": rows}
    try:
        with transaction.atomic():
            result = responses_submit_columns(
                survey_round=survey_round,
                data=lambda: submissions()[0],
                checked=checked,
                source=Response.Source.KOBO if kobo else Response.Source.IMPORT,
                actor=upload.uploaded_by,
                write=keep,
            )
            errors += [
                RowError(number, error.field or "", error.message)
                for number, error in result.errors
            ]
            if errors or not keep:
                if not errors:
                    counts |= {"created": result.created, "unchanged": result.unchanged}
                raise _Rollback
            counts |= {"created": result.created, "unchanged": result.unchanged}
    except _Rollback:
        pass
    return sorted(errors, key=lambda e: e.row), counts


def _run_xlsform(
    upload: PendingUpload, *, keep: bool, actor: Actor
) -> tuple[list[RowError], list[RowError], dict[str, int]]:
    """The form's errors, its warnings (kept but not enforced by the web form) and counts;
    with ``keep``, the questions become a new draft version of the instrument."""
    check_xlsform_file(filename=upload.filename, data=bytes(upload.data))
    parsed = parse_xlsform(filename=upload.filename, data=bytes(upload.data))
    counts = {"questions": len(parsed.questions)}
    if parsed.errors or not keep:
        return parsed.errors, list(parsed.warnings), counts
    instrument = Instrument.objects.get(pk=upload.target["instrument"])
    draft = instrument_edit(actor=actor, instrument=instrument)
    themes = {t.number: t for t in draft.framework.campaign.themes.all()}
    draft.questions.all().delete()
    Question.objects.bulk_create(form_questions(parsed, instrument=draft, themes=themes))
    if parsed.title:
        draft.title = parsed.title | {k: v for k, v in draft.title.items() if k != "en"}
    draft.languages = sorted(set(parsed.languages) | {"en"})
    draft.save(update_fields=["title", "languages", "updated_at"])
    counts["version"] = draft.version
    return [], list(parsed.warnings), counts


RESPONSES = "impact.responses"
KOBO = "impact.kobo"
XLSFORM = "impact.xlsform"


class _ImpactImporter:
    def authorize(self, *, actor: Actor, upload: PendingUpload, write: bool) -> None:
        if actor is None:
            return  # a command, a task or the bench, acting for the system
        if "round" in upload.target:
            found = (
                Round.objects.select_related("activity").filter(pk=upload.target["round"]).first()
            )
            if found is None:
                raise NotFound
            viewer_for(actor).require_org(found.activity.host_organisation_id, write=write)
        else:
            instrument_get_for_user(user=actor, pk=upload.target.get("instrument", 0), write=write)

    def done_url(self, upload: PendingUpload) -> str:
        return reverse("impact:import_preview", args=[upload.pk])

    def upload_url(self, upload: PendingUpload) -> str:
        if "round" in upload.target:
            return reverse("impact:round_import", args=[upload.target["round"]])
        return reverse("impact:instrument_import", args=[upload.target.get("instrument", 0)])


class ResponsesImporter(_ImpactImporter):
    """Answers to one round, from our own template (``impact.responses``) or a Kobo/ODK
    submissions export (``impact.kobo``)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def check(self, *, actor: Actor, upload: PendingUpload) -> Preview:
        with cycle_collection_paused():
            errors, counts = _run_responses(upload, keep=False)
        return Preview(rows=counts["rows"], errors=errors, counts=counts)

    def apply(self, *, actor: Actor, upload: PendingUpload) -> dict[str, int]:
        with cycle_collection_paused(), page_cache_widened():
            errors, counts = _run_responses(upload, keep=True)
        if errors:
            raise ImportRefused(errors)
        survey_round = Round.objects.select_related("activity").get(pk=upload.target["round"])
        webhook_emit(
            event=WebhookEvent.IMPORT_FINISHED,
            organisation_ids=[survey_round.activity.host_organisation_id],
            payload={
                "upload_id": upload.pk,
                "kind": self.kind,
                "round_id": survey_round.pk,
                "activity_id": survey_round.activity_id,
                "counts": dict(counts),
            },
        )
        return counts


class XLSFormImporter(_ImpactImporter):
    """An XLSForm that becomes a new draft version of an instrument (``impact.xlsform``)."""

    kind = XLSFORM

    def check(self, *, actor: Actor, upload: PendingUpload) -> Preview:
        errors, warnings, counts = _run_xlsform(upload, keep=False, actor=actor)
        return Preview(
            rows=counts["questions"] + len(errors), errors=errors, counts=counts, warnings=warnings
        )

    def apply(self, *, actor: Actor, upload: PendingUpload) -> dict[str, int]:
        errors, _warnings, counts = _run_xlsform(upload, keep=True, actor=actor)
        if errors:
            raise ImportRefused(errors)
        return counts


IMPORTERS = (ResponsesImporter(RESPONSES), ResponsesImporter(KOBO), XLSFormImporter())
