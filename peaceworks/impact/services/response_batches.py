"""Many submissions to one round at once (imports): checked column by column, stored raw.

An import hands over its rows as columns of text (:class:`SubmissionColumns`). Each answer
column is checked once per distinct cell value, not once per row: the answers of a column
repeat (1 to 5, a few choices, blanks), so a lookup table from raw text to cleaned value, or to
a refusal, decides the whole column. Rows that pass every check are turned into their stored
JSON, payload hash and typed columns (``scores``, ``profile``: each distinct fragment of a
column decoded once) without building dictionaries or model instances; a row that any check
refuses is checked again alone by ``_prepare`` — the code ``response_submit`` runs — so its
error (field and message) is exactly the one a single submission gets. Rows are written with
raw ``executemany`` inserts (respondents, responses, one audit event per response) inside the
caller's transaction.

The check (:func:`responses_check_columns`) depends only on the rows, the round, its
instrument's questions, the activity's themes and the pseudonym key, never on what is stored:
an import keeps its result (:func:`checked_rows_dump`, keyed by :func:`checked_fingerprint`)
with the pending upload, and its confirmation stores those rows without checking the file
again when the fingerprint still matches.
"""

from __future__ import annotations

import hashlib
import json
import sys
import uuid
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate
from typing import Any, NamedTuple

import orjson
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from peaceworks.accounts.access import Actor
from peaceworks.campaigns.selectors import Purpose, activity_check
from peaceworks.core.audit import audit_record_targets
from peaceworks.core.bulk import db_value, insert_rows, rows_where_in
from peaceworks.core.errors import DomainError
from peaceworks.impact.analytics.frame import LIKERT_MAX
from peaceworks.impact.models import Question, Respondent, Response, Round
from peaceworks.impact.pseudonyms import (
    MIN_CODE_LENGTH,
    code_hasher,
    normalise_code,
    normalised_code_hasher,
)
from peaceworks.impact.routing import instrument_questions
from peaceworks.impact.selectors import activity_theme_ids
from peaceworks.impact.services.analytics import analytics_refresh_soon
from peaceworks.impact.services.responses import (
    _conflict,
    _is_harm,
    _prepare,
    _withdrawn,
    answered_already,
    clean_value,
    response_submit,
    round_routing,
)
from peaceworks.impact.typed_answers import MARK, PERSON, score_key, typed_columns

#: rows looked up and written per batch by :func:`responses_submit_columns` (each batch
#: costs a few statements: larger batches only hold more in memory)
BATCH_SIZE = 10_000
_EMPTY = object()  # a cell left blank: the question was not answered
_BAD = object()  # a cell whose answer is refused
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


def parse_answer(question: Question, raw: str) -> Any:
    """The answer a cell of text stands for, before checking ("dk" → None, "4.0" → 4)."""
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


@dataclass
class SubmissionColumns:
    """The rows of an import, column by column: every list has one entry per row."""

    numbers: list[int]
    #: in their canonical text (``str`` of the UUID): the form the audit log records
    submission_ids: list[str]
    languages: list[str]
    consent_versions: list[str]
    sensitive_consents: list[bool]
    matching_codes: list[str]
    submitted_at: list[datetime | None]
    #: question code → the raw text of each row's answer ("" when blank), in file order
    answers: dict[str, list[str]]
    #: the same for the retrospective ("then.") columns
    then_answers: dict[str, list[str]]

    def row_values(self, index: int) -> dict[str, Any]:
        """Row ``index`` as the keyword arguments of ``response_submit``."""
        questions = self.questions
        answers = {
            code: parse_answer(questions[code], cells[index])
            for code, cells in self.answers.items()
            if cells[index] != ""
        }
        then = {
            code: parse_answer(questions[code], cells[index])
            for code, cells in self.then_answers.items()
            if cells[index] != ""
        }
        return {
            "submission_id": uuid.UUID(self.submission_ids[index]),
            "language": self.languages[index],
            "answers": answers,
            "then_answers": then or None,
            "matching_code": self.matching_codes[index],
            "consent_version": self.consent_versions[index],
            "sensitive_consent": self.sensitive_consents[index],
            "submitted_at": self.submitted_at[index],
        }

    #: every question of the instrument by code (set by :func:`responses_submit_columns`)
    questions: dict[str, Question] = field(default_factory=dict)


@dataclass
class BulkResult:
    created: int = 0
    unchanged: int = 0
    #: ``(row number, error)`` of every refused row
    errors: list[tuple[int, DomainError]] = field(default_factory=list)


class _Ready(NamedTuple):
    """One row checked and cleaned, in the form it is stored."""

    row: int  # its position in the columns
    submission_id: str  # canonical text (``str`` of the UUID)
    payload_hash: str
    hashed: str
    language: str
    answers: str  # JSON text
    then_answers: str  # JSON text
    consent_version: str
    sensitive_consent: bool
    is_harm: bool
    number: int  # its row number in the file
    submitted_at: datetime | None
    scores: bytes  # the typed columns (``typed_answers.typed_columns``) of its answers
    profile: str


@dataclass
class CheckedRows:
    """Every row of an import checked, before anything stored is looked at: the rows ready to
    store (in row order) and the refused ones (row number, error)."""

    ready: list[_Ready]
    refused: list[tuple[int, DomainError]]
    #: rows the column checks refused, checked again alone by ``_prepare`` (passed or not)
    alone: int = 0
    #: per routing (sensitive consent or not): its number of rows and the fragments of each
    #: answer column its rows' ``answers`` were joined from (:func:`_joined`), for
    #: :func:`checked_rows_dump` to keep column by column
    answer_columns: list[tuple[bool, int, dict[str, list[str | None]]]] = field(
        default_factory=list
    )


@dataclass
class _Block:
    """The answers or the retrospective block of one routing (one sensitive consent)."""

    questions: list[Question]
    #: codes refused silently rather than as "not asked" (sensitive, without consent)
    skipped: set[str]


def _clean_block(
    block: _Block,
    columns: dict[str, list[str]],
    *,
    sensitive_consent: bool,
    refused: set[int],
) -> tuple[dict[str, list[str | None]], set[int]]:
    """Check a block's columns for the rows given; returns each column's JSON fragments
    (``"code": value``, or None when blank) by code in key order, and the rows with a harm
    report.

    Rows with a refused cell are added to ``refused``. Skip logic (``relevant``) follows
    ``clean_answers``: in the order questions are asked, a question whose condition fails
    is stored as null.
    """
    by_code = {question.code: question for question in block.questions}
    values: dict[str, list[Any]] = {}
    fragments: dict[str, list[str | None]] = {}
    for code, cells in columns.items():
        question = by_code.get(code)
        if question is None:
            if code not in block.skipped:
                refused.update(i for i, raw in enumerate(cells) if raw != "")
            continue
        cleaned: dict[str, Any] = {"": _EMPTY}
        key = _JSON(code)
        fragment: dict[str, str | None] = {"": None}
        for raw in set(cells):
            if raw == "":
                continue
            try:
                value = clean_value(
                    question, parse_answer(question, raw), sensitive_consent=sensitive_consent
                )
            except DomainError:
                cleaned[raw], fragment[raw] = _BAD, None
                continue
            cleaned[raw], fragment[raw] = value, f"{key}: {_JSON(value)}"
        column = list(map(cleaned.__getitem__, cells))
        if any(value is _BAD for value in cleaned.values()):
            refused.update(i for i, value in enumerate(column) if value is _BAD)
        values[code] = column
        fragments[code] = list(map(fragment.__getitem__, cells))
    for question in block.questions:
        condition = question.relevant
        if not condition or question.code not in values:
            continue
        wanted = condition.get("value")
        on = values.get(condition.get("question", ""))
        column, texts = values[question.code], fragments[question.code]
        null = f"{_JSON(question.code)}: null"
        for i, value in enumerate(column):
            if value is _EMPTY or value is None:
                continue
            other = None if on is None or on[i] is _EMPTY else on[i]
            if other != wanted:
                column[i], texts[i] = None, null
    harm: set[int] = set()
    for question in block.questions:
        if question.is_harm_report and question.kind == Question.Kind.TEXT:
            column = values.get(question.code, [])
            harm.update(i for i, value in enumerate(column) if value is not _EMPTY and value)
    return {code: fragments[code] for code in sorted(fragments)}, harm


def _joined(fragments: dict[str, list[str | None]], count: int) -> list[str]:
    """Each row's JSON object from its columns' fragments (keys already in order)."""
    if not fragments:
        return ["{}"] * count
    return [
        "{" + ", ".join(filter(None, row)) + "}" for row in zip(*fragments.values(), strict=True)
    ]


def _typed(
    answers: dict[str, list[str | None]], then: dict[str, list[str | None]], count: int
) -> tuple[list[bytes], list[str]] | None:
    """Each row's ``scores`` and ``profile`` (:func:`typed_answers.typed_columns` of its
    answers) from its columns' fragments, column by column: each distinct fragment is decoded
    once, as the stored JSON text would be. A score entry's key names its column, so the
    columns in key order give each row's entries in the ascending order ``scores_of`` sorts
    them into. None when two columns share a key (the order would then depend on values)."""
    entries: list[tuple[int, list[bytes]]] = []
    for is_then, block in ((False, answers), (True, then)):
        for code, column in block.items():
            key = score_key(code, then=is_then)
            start = len(_JSON(code)) + 2  # the value's JSON after ``"code": ``
            scored: dict[str | None, bytes] = {None: b""}
            for fragment in {text for text in column if text is not None}:
                value = orjson.loads(fragment[start:])
                good = type(value) is int and 0 < value <= LIKERT_MAX
                scored[fragment] = (key | value).to_bytes(8, "little") if good else b""
            entries.append((key, list(map(scored.__getitem__, column))))
    keys = [key for key, _column in entries]
    if len(set(keys)) < len(keys):
        return None
    entries.sort(key=lambda entry: entry[0])
    scores = (
        [b"".join(row) for row in zip(*(column for _key, column in entries), strict=True)]
        if entries
        else [b""] * count
    )
    people: list[list[str]] = []
    for code in PERSON:
        given = answers.get(code)
        if given is None:
            people.append(["null"] * count)
            continue
        start = len(_JSON(code)) + 2
        texts: dict[str | None, str] = {None: "null"}
        for fragment in {text for text in given if text is not None}:
            texts[fragment] = orjson.dumps(orjson.loads(fragment[start:])).decode()
        people.append(list(map(texts.__getitem__, given)))
    profiles = [MARK + "[" + ",".join(row) + "]" for row in zip(*people, strict=True)]
    return scores, profiles


def _subset(columns: dict[str, list[str]], rows: list[int], total: int) -> dict[str, list[str]]:
    if len(rows) == total:
        return columns
    return {code: [cells[i] for i in rows] for code, cells in columns.items()}


def responses_check_columns(*, survey_round: Round, data: SubmissionColumns) -> CheckedRows:
    """Every row checked, writing and reading nothing stored: what
    :func:`responses_submit_columns` stores, given as its ``checked``."""
    data.questions = {q.code: q for q in instrument_questions(survey_round.instrument)}
    hashed_of = normalised_code_hasher(activity_id=survey_round.activity_id)
    instrument = survey_round.instrument
    total = len(data.numbers)
    is_partner = survey_round.kind == Round.Kind.PARTNER
    languages = set(instrument.languages or ["en"])
    asks_sensitive = survey_round.asks_sensitive_items
    consent_version = instrument.consent_version
    refused = {
        i
        for i, (version, language) in enumerate(
            zip(data.consent_versions, data.languages, strict=True)
        )
        if version != consent_version or language not in languages
    }
    # each code normalised once: for its length here and for its pseudonym below
    codes = [] if is_partner else list(map(normalise_code, data.matching_codes))
    refused.update(i for i, code in enumerate(codes) if len(code) < MIN_CODE_LENGTH)
    as_json = {text: _JSON(text) for text in {*data.consent_versions, *data.languages}}
    ready: list[_Ready] = []
    answer_columns: list[tuple[bool, int, dict[str, list[str | None]]]] = []
    for sensitive in (False, True):
        rows = [
            i for i in range(total) if (data.sensitive_consents[i] and asks_sensitive) is sensitive
        ]
        if not rows:
            continue
        all_questions, asked = round_routing(survey_round, sensitive_consent=sensitive)
        skipped = set() if sensitive else {q.code for q in all_questions if q.is_sensitive}
        found: set[int] = set()
        fragments, harm = _clean_block(
            _Block(asked, skipped),
            _subset(data.answers, rows, total),
            sensitive_consent=sensitive,
            refused=found,
        )
        answers = _joined(fragments, len(rows))
        answer_columns.append((sensitive, len(rows), fragments))
        then_columns = _subset(data.then_answers, rows, total)
        has_then = [any(cells) for cells in zip(*then_columns.values(), strict=True)] or [
            False
        ] * len(rows)
        then_fragments, _harm = _clean_block(
            _Block([q for q in asked if q.in_retrospective], set()),
            then_columns,
            sensitive_consent=sensitive,
            refused=found,
        )
        thens = _joined(then_fragments, len(rows))
        typed = _typed(
            fragments,
            {
                code: [text if then else None for text, then in zip(cells, has_then, strict=True)]
                for code, cells in then_fragments.items()
            },
            len(rows),
        )
        if not survey_round.uses_retrospective:
            # whether the round asks this respondent the block needs a query: checked alone
            found.update(position for position, then in enumerate(has_then) if then)
        refused.update(rows[position] for position in found)
        round_id, flag = survey_round.pk, "true" if sensitive else "false"
        for position, i in enumerate(rows):
            if i in refused:
                continue
            hashed = "" if is_partner else hashed_of(codes[i])
            then = thens[position] if has_then[position] else "{}"
            scores, profile = (
                (typed[0][position], typed[1][position])
                if typed is not None
                else _typed_row(answers[position], then)
            )
            payload = (
                f'{{"answers": {answers[position]}, '
                f'"consent": {as_json[data.consent_versions[i]]}, '
                f'"language": {as_json[data.languages[i]]}, "respondent": "{hashed}", '
                f'"round": {round_id}, "sensitive": {flag}, "then": {then}}}'
            )
            ready.append(
                _Ready(
                    i,
                    data.submission_ids[i],
                    hashlib.sha256(payload.encode()).hexdigest(),
                    hashed,
                    data.languages[i],
                    answers[position],
                    then,
                    data.consent_versions[i],
                    sensitive,
                    position in harm,
                    data.numbers[i],
                    data.submitted_at[i],
                    scores,
                    profile,
                )
            )
    errors: list[tuple[int, DomainError]] = []
    for i in sorted(refused):
        try:
            ready.append(_prepared_alone(survey_round, data, i))
        except DomainError as error:
            errors.append((data.numbers[i], error))
    ready.sort()
    return CheckedRows(ready, errors, alone=len(refused), answer_columns=answer_columns)


def _typed_row(answers: str, then_answers: str) -> tuple[bytes, str]:
    """``typed_columns`` of one row's stored JSON texts."""
    return typed_columns(
        orjson.loads(answers), {} if then_answers == "{}" else orjson.loads(then_answers)
    )


def _prepared_alone(survey_round: Round, data: SubmissionColumns, index: int) -> _Ready:
    """Row ``index`` checked by ``_prepare``, as one submission: raises its DomainError."""
    values = data.row_values(index)
    values.pop("submitted_at")
    prepared = _prepare(survey_round=survey_round, **values)
    answers, then = _JSON(prepared.cleaned), _JSON(prepared.then_cleaned)
    return _Ready(
        index,
        str(prepared.submission_id),
        prepared.payload_hash,
        prepared.hashed,
        prepared.language,
        answers,
        then,
        prepared.consent_version,
        prepared.sensitive_consent,
        _is_harm(prepared),
        data.numbers[index],
        data.submitted_at[index],
        *_typed_row(answers, then),
    )


RESPONSE_FIELDS = [
    "round",
    "respondent",
    "instrument_version",
    "source",
    "submission_id",
    "language",
    "submitted_at",
    "answers",
    "then_answers",
    "payload_hash",
    "consent_version",
    "sensitive_consent",
    "harm_status",
    "scores",  # derived from the answers (``typed_answers``): what ``pre_save`` would store
    "profile",
]


def responses_submit_columns(
    *,
    survey_round: Round,
    data: SubmissionColumns | Callable[[], SubmissionColumns],
    source: str,
    actor: Actor,
    write: bool = True,
    checked: CheckedRows | None = None,
) -> BulkResult:
    """Store many submissions to one round, with the outcome ``response_submit`` gives each.

    Dates are not enforced (imports load past surveys). Runs inside the caller's transaction:
    the caller rolls back when any row is refused. Per batch: one query for the batch's known
    submission ids, one for its respondents, and raw inserts of the new respondents, the
    responses and one ``impact.response_submit`` audit event per response. ``full_clean`` of a
    response runs once per distinct language, consent version and sensitive consent: every
    other field is built or checked here. A batch that meets a concurrent writer
    (IntegrityError) is stored again row by row through ``response_submit``. Queues a refresh
    of the campaign's analytics snapshot on commit when pre or post answers were stored.

    With ``write=False`` (an import preview, rolled back anyway) nothing is inserted: every
    refusal is decided before the inserts, so the result is the same. ``actor`` must be
    allowed to write to the round's activity (``activity_check``); ``None`` is the system.

    ``checked``: the rows as :func:`responses_check_columns` found them for this round (an
    import's preview, kept with its upload); ``data`` is then needed only when a batch meets a
    concurrent writer, and may be given as a function that reads it.
    """
    activity_check(user=actor, activity=survey_round.activity, purpose=Purpose.WRITE)
    read: dict[str, SubmissionColumns] = {}

    def rows_of() -> SubmissionColumns:
        if "data" not in read:
            read["data"] = data if isinstance(data, SubmissionColumns) else data()
            read["data"].questions = {
                q.code: q for q in instrument_questions(survey_round.instrument)
            }
        return read["data"]

    result = BulkResult()
    if checked is None:
        checked = responses_check_columns(survey_round=survey_round, data=rows_of())
    ready = checked.ready
    result.errors += checked.refused
    # submission id (in its stored form) -> payload hash, written by this call
    stored_here: dict[Any, str] = {}
    respondents: dict[str, tuple[int | None, bool]] = {}  # code hash -> (id, withdrawn)
    answered: set[str] = set()  # code hashes with a response to the round, stored or here
    cleaned_kinds: set[tuple[str, str, bool]] = set()  # (language, consent, sensitive)
    is_partner = survey_round.kind == Round.Kind.PARTNER
    when: dict[datetime | None, Any] = {}
    for start in range(0, len(ready), BATCH_SIZE):
        batch = ready[start : start + BATCH_SIZE]
        errors: list[tuple[int, DomainError]] = []
        ids = _stored_ids(batch)  # once: hex text on SQLite
        known = dict(
            rows_where_in(Response, ["submission_id", "payload_hash"], "submission_id", ids)
        )
        wanted = {item.hashed for item in batch if item.hashed and item.hashed not in respondents}
        if wanted and not is_partner:
            for pk, code_hash, withdrawn_at in rows_where_in(
                Respondent,
                ["id", "code_hash", "withdrawn_at"],
                "code_hash",
                sorted(wanted),
                also={"activity": survey_round.activity_id},
            ):
                respondents[code_hash] = (pk, withdrawn_at is not None)
            known_ids = {
                respondents[hashed][0]: hashed for hashed in wanted if hashed in respondents
            }
            for (respondent_id,) in rows_where_in(
                Response,
                ["respondent"],
                "respondent",
                sorted(pk for pk in known_ids if pk is not None),
                also={"round": survey_round.pk},
            ):
                answered.add(known_ids[respondent_id])
        new_respondents: list[str] = []
        keep: list[_Ready] = []
        keep_ids: list[Any] = []  # their submission ids in the stored form
        in_batch: dict[Any, str] = {}
        unchanged = 0
        for item, sid in zip(batch, ids, strict=True):
            # membership first: most rows are new, and ``in`` costs less than three ``get``
            if sid in in_batch or sid in stored_here or sid in known:
                earlier = in_batch.get(sid) or stored_here.get(sid) or known.get(sid)
                if earlier != item.payload_hash:
                    errors.append((item.number, _conflict()))
                else:
                    unchanged += 1
                continue
            if not is_partner:
                hashed = item.hashed
                person = respondents.get(hashed)
                if person is None:
                    respondents[hashed] = (None, False)
                    new_respondents.append(hashed)
                elif person[1]:
                    errors.append((item.number, _withdrawn()))
                    continue
                if hashed in answered:
                    errors.append((item.number, answered_already()))
                    continue
                answered.add(hashed)
            kind = (item.language, item.consent_version, item.sensitive_consent)
            if kind not in cleaned_kinds:
                _response_of(survey_round, item, source).full_clean(
                    exclude=["round", "respondent", "instrument_version"], validate_unique=False
                )
                cleaned_kinds.add(kind)
            in_batch[sid] = item.payload_hash
            keep.append(item)
            keep_ids.append(sid)
        if write:
            try:
                with transaction.atomic():
                    audit_record_targets(
                        actor=actor,
                        action="impact.response_submit",
                        target_type=Response._meta.label_lower,
                        targets=_insert(
                            survey_round, keep, keep_ids, new_respondents, respondents, when, source
                        ),
                        changes={"round": survey_round.pk, "source": source},
                    )
            except IntegrityError:
                # someone else stored one of these meanwhile: the careful path, row by row
                respondents.clear()
                _submit_one_by_one(survey_round, rows_of(), batch, source, actor, result)
                continue
        stored_here.update(in_batch)
        result.created += len(keep)
        result.unchanged += unchanged
        result.errors += errors
    if write and result.created and not is_partner and survey_round.kind in ("pre", "post"):
        analytics_refresh_soon(campaign_id=survey_round.activity.campaign_id)
    return result


def _stored_ids(rows: Sequence[_Ready]) -> list[Any]:
    """The rows' submission ids (canonical text) in the form the database stores and returns
    them: UUIDs where the database has a UUID type, their 32 hex digits elsewhere (SQLite)."""
    if connection.features.has_native_uuid_field:
        return [uuid.UUID(item.submission_id) for item in rows]
    return [item.submission_id.replace("-", "") for item in rows]


def _response_of(survey_round: Round, item: _Ready, source: str) -> Response:
    """The model instance of a row, for ``full_clean`` (the insert does not use it)."""
    return Response(
        round=survey_round,
        submission_id=uuid.UUID(item.submission_id),
        instrument_version=survey_round.instrument,
        language=item.language,
        answers=json.loads(item.answers),
        then_answers=json.loads(item.then_answers),
        payload_hash=item.payload_hash,
        consent_version=item.consent_version,
        sensitive_consent=item.sensitive_consent,
        source=source,
    )


def _insert(
    survey_round: Round,
    rows: list[_Ready],
    ids: list[Any],
    new_respondents: list[str],
    respondents: dict[str, tuple[int | None, bool]],
    when: dict[datetime | None, Any],
    source: str,
) -> list[tuple[Any, str]]:
    """Insert a batch's new respondents and its responses (``ids``: their submission ids in
    the stored form): (primary key, label) of each response, for their audit events."""
    activity_id = survey_round.activity_id
    created = insert_rows(
        Respondent, ["activity", "code_hash"], [(activity_id, hashed) for hashed in new_respondents]
    )
    # where executemany gives no ids, reading them back costs less than a RETURNING statement
    found = (
        zip(new_respondents, created, strict=True)
        if created is not None
        else rows_where_in(
            Respondent,
            ["code_hash", "id"],
            "code_hash",
            new_respondents,
            also={"activity": activity_id},
        )
    )
    for code_hash, pk in found:
        respondents[code_hash] = (pk, False)
    fixed = (survey_round.instrument_id, source)
    round_id = survey_round.pk
    pending, none = Response.HarmStatus.PENDING.value, Response.HarmStatus.NONE.value
    table = []
    for item, sid in zip(rows, ids, strict=True):
        at = item.submitted_at
        if at not in when:  # a row without a time is stored as submitted now
            when[at] = db_value(Response, "submitted_at", at or timezone.now())
        table.append(
            (
                round_id,
                respondents[item.hashed][0] if item.hashed else None,
                *fixed,
                sid,
                item.language,
                when[at],
                item.answers,
                item.then_answers,
                item.payload_hash,
                item.consent_version,
                item.sensitive_consent,
                pending if item.is_harm else none,
                item.scores,
                item.profile,
            )
        )
    pks = insert_rows(Response, RESPONSE_FIELDS, table)
    if pks is None:
        pk_of = dict(rows_where_in(Response, ["submission_id", "id"], "submission_id", ids))
        pks = [pk_of[sid] for sid in ids]
    return [(pk, item.submission_id) for pk, item in zip(pks, rows, strict=True)]


def _submit_one_by_one(
    survey_round: Round,
    data: SubmissionColumns,
    rows: Sequence[_Ready],
    source: str,
    actor: Actor,
    result: BulkResult,
) -> None:
    for item in rows:
        try:
            with transaction.atomic():
                submission = response_submit(
                    survey_round=survey_round,
                    source=source,
                    enforce_dates=False,
                    actor=actor,
                    replaces=False,
                    **data.row_values(item.row),
                )
        except DomainError as error:
            result.errors.append((data.numbers[item.row], error))
            continue
        if submission.created:
            result.created += 1
        else:
            result.unchanged += 1


#: the version of what :func:`checked_rows_dump` writes (a change of format or of the checks
#: changes it, so that rows kept by older code are checked again)
CHECKED_FORMAT = b"peaceworks-checked-rows/3\n"


def _fields(instance: models.Model) -> list[Any]:
    return [getattr(instance, f.attname) for f in instance._meta.concrete_fields]


def checked_fingerprint(*, survey_round: Round, file: Sequence[Any]) -> str:
    """What :func:`responses_check_columns` depends on, as a digest: ``file`` (the stored
    bytes' digest and how they are read), every field of the round, of its instrument and of
    the instrument's questions, the activity's themes, and the pseudonym key (through the
    pseudonym of a fixed code, so the key itself is not in the digest)."""
    instrument = survey_round.instrument
    described = [
        CHECKED_FORMAT.decode(),
        list(file),
        _fields(survey_round),
        _fields(instrument),
        [_fields(question) for question in instrument.questions.all()],
        sorted(activity_theme_ids(survey_round.activity)),
        code_hasher(activity_id=survey_round.activity_id)("fingerprint"),
    ]
    text = json.dumps(described, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


#: the columns of :class:`_Ready` kept as raw digests (submission id, payload hash, pseudonym:
#: 16, 32 and 32 bytes), as lines of text (JSON texts and profiles, in which no line break can
#: occur), as bytes (scores) and as moments (the submission time); the answers (JSON texts) are
#: kept as the fragments of their columns (:func:`_answers_dump`)
_DIGESTS = {1: 16, 2: 32, 3: 32}
_ANSWERS = 5
_TEXTS = (6, 13)
_SENSITIVE = 8
_BYTES = 12
_MOMENTS = 11
#: the array type codes of the positions of a column's fragments, by their size in bytes
_POSITIONS = {1: "B", 2: "H", 4: "I"}


def _section(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def _sections(kept: bytes, start: int, count: int) -> tuple[list[bytes], int]:
    """``count`` sections of :func:`_section` from ``start``: their data and where they end."""
    found = []
    for _section_number in range(count):
        end = start + 8 + int.from_bytes(kept[start : start + 8], "big")
        found.append(kept[start + 8 : end])
        start = end
    return found, start


def _answers_dump(checked: CheckedRows) -> bytes | None:
    """The answers of every row as their columns' distinct fragments and each row's position
    among them (1, 2 or 4 bytes, little-endian): a few bytes a cell instead of the row's JSON
    text, which would cost more to compress and to read back. None unless the columns kept by
    the check are those of every ready row."""
    described: list[Any] = []
    positions: list[bytes] = []
    for sensitive, count, fragments in checked.answer_columns:
        columns = []
        for column in fragments.values():
            if len(column) != count:
                return None
            distinct = list(dict.fromkeys(column))
            width = 1 if len(distinct) <= 0x100 else 2 if len(distinct) <= 0x10000 else 4
            numbers = dict(zip(distinct, range(len(distinct)), strict=True))
            at = array(_POSITIONS[width], map(numbers.__getitem__, column))
            if width > 1 and sys.byteorder != "little":
                at.byteswap()
            positions.append(at.tobytes())
            columns.append([distinct, width])
        described.append([sensitive, count, columns])
    flags = [item.sensitive_consent for item in checked.ready]
    if any(flags.count(sensitive) != count for sensitive, count, _columns in described):
        return None
    return orjson.dumps(described) + b"\0" + b"".join(positions)


def _answers_load(kept: bytes, flags: list[bool]) -> list[str]:
    """The rows' answers (JSON texts) from :func:`_answers_dump`, the rows' sensitive consents
    telling which routing's columns each row's are in."""
    end = kept.index(b"\0")
    positions, start = kept[end + 1 :], 0
    answers: dict[bool, Iterator[str]] = {}
    for sensitive, count, columns in orjson.loads(kept[:end]):
        fragments: dict[str, list[str | None]] = {}
        for number, (distinct, width) in enumerate(columns):
            at = array(_POSITIONS[width], positions[start : start + count * width])
            if width > 1 and sys.byteorder != "little":
                at.byteswap()
            fragments[str(number)] = list(map(distinct.__getitem__, at))
            start += count * width
        answers[sensitive] = iter(_joined(fragments, count))
    return [next(answers[sensitive]) for sensitive in flags]


def checked_rows_dump(checked: CheckedRows, *, fingerprint: str) -> bytes:
    """Rows every check passed, kept for the confirmation: the format, the fingerprint, then
    the rows column by column (digests as bytes, the rest compressed). Empty when a row was
    refused or checked alone (those are checked again when confirming, for their errors)."""
    if checked.refused or checked.alone or not checked.ready:
        return b""
    answers = _answers_dump(checked)
    if answers is None:
        return b""
    columns: list[list[Any]] = [list(column) for column in zip(*checked.ready, strict=True)]
    columns[1] = ["".join(columns[1]).replace("-", "")]  # the ids' hex digits
    if set(map(len, columns[3])) != {64}:  # a partner round's rows have no pseudonym
        return b""
    moments: dict[datetime | None, str | None] = {None: None}
    for at in set(columns[_MOMENTS]) - {None}:
        moments[at] = at.isoformat()
    columns[_MOMENTS] = list(map(moments.__getitem__, columns[_MOMENTS]))
    scores = columns[_BYTES]
    columns[_BYTES] = [len(entry) for entry in scores]
    others = [
        column
        for i, column in enumerate(columns)
        if i not in _DIGESTS and i not in _TEXTS and i != _ANSWERS
    ]
    texts = b"\0".join("\n".join(columns[i]).encode() for i in _TEXTS)
    packed = zlib.compress(orjson.dumps(others) + b"\0" + texts, 1)
    digests = bytes.fromhex("".join("".join(columns[i]) for i in _DIGESTS))
    return (
        CHECKED_FORMAT
        + fingerprint.encode()
        + b"\n"
        + _section(packed)
        + _section(zlib.compress(b"".join(scores), 1))
        + _section(zlib.compress(answers, 1))
        + digests
    )


def checked_rows_load(kept: bytes, *, fingerprint: str) -> CheckedRows | None:
    """The rows :func:`checked_rows_dump` kept, or None unless they were kept under this
    fingerprint (the file, the round, its instrument or the key changed: check again)."""
    head = CHECKED_FORMAT + fingerprint.encode() + b"\n"
    if not kept.startswith(head):
        return None
    (packed, packed_scores, packed_answers), end = _sections(kept, len(head), 3)
    others, *texts = zlib.decompress(packed).split(b"\0")
    all_scores = zlib.decompress(packed_scores)
    values = iter(orjson.loads(others))
    columns: list[list[Any]] = [[] for _field in _Ready._fields]
    for i in range(len(columns)):
        if i not in _DIGESTS and i != _ANSWERS:
            columns[i] = (
                texts[_TEXTS.index(i)].decode().split("\n") if i in _TEXTS else next(values)
            )
    columns[_ANSWERS] = _answers_load(zlib.decompress(packed_answers), columns[_SENSITIVE])
    count, digits = len(columns[0]), kept[end:].hex()
    for i, size in _DIGESTS.items():
        width = 2 * size
        columns[i] = [digits[k : k + width] for k in range(0, count * width, width)]
        digits = digits[count * width :]
    columns[1] = [f"{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:]}" for d in columns[1]]
    moments: dict[str | None, datetime | None] = {None: None}
    for at in set(columns[_MOMENTS]) - {None}:
        moments[at] = datetime.fromisoformat(at)
    columns[_MOMENTS] = list(map(moments.__getitem__, columns[_MOMENTS]))
    ends = list(accumulate(columns[_BYTES]))
    columns[_BYTES] = [
        all_scores[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)
    ]
    return CheckedRows(list(map(_Ready._make, zip(*columns, strict=True))), [])
