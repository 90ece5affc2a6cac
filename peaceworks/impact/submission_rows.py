"""The statements that store one public submission, without the ORM's per-row machinery.

A submission from the JSON API, the web form or ODK Collect is checked by
:mod:`peaceworks.impact.services.responses` (the same checks for every source); what is left
is a few rows: the respondent, the response, its audit event. Building, validating and
compiling a model instance and a query per row cost more server time than the statements
themselves (about half of a submission's CPU), so these are written once per process, by
vendor, from the models' own tables and columns, and sent with plain ``cursor.execute`` in
the caller's transaction (prepared statements on PostgreSQL: ``core.rows.statement_cursor``):

- the respondent: one ``INSERT … ON CONFLICT … RETURNING``. On PostgreSQL ``DO UPDATE`` also
  locks an existing row, so two submissions of one respondent take turns, as
  ``select_for_update`` did, and ``xmax = 0`` tells a new row from an existing one. On SQLite
  (≥ 3.35, for ``RETURNING``) the write transaction already holds the database's one write
  lock: ``DO NOTHING RETURNING`` answers a new row, a plain read an existing one;
- the respondent's latest response to the round, only for a respondent seen before;
- the response: ``INSERT … RETURNING id``, or an ``UPDATE`` of every column when the latest
  answers replace earlier ones (what ``save(force_update=True)`` wrote);
- the audit event: :func:`peaceworks.core.audit.audit_record_targets` (one insert).

:func:`pre_survey_missed` is the one read of the no-JS form's code page (whether the
retrospective block is asked), in the same plain form.

Values are converted as the ORM converts them (each field's ``pre_save`` and
``get_db_prep_save``), so the rows are the ones the ORM stored; the tests compare the two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection, models

from peaceworks.core.models import AuditEvent
from peaceworks.core.rows import statement_cursor
from peaceworks.directory.models import WebhookEvent, WebhookSubscription
from peaceworks.impact.models import Respondent, Response, Round

#: the response's stored columns: every concrete field but the primary key
_RESPONSE_FIELDS: tuple[models.Field[Any, Any], ...] = tuple(
    field for field in Response._meta.concrete_fields if not field.primary_key
)


@dataclass(frozen=True)
class Person:
    """The respondent row a submission belongs to."""

    pk: int
    withdrawn: bool
    new: bool


@dataclass(frozen=True)
class Earlier:
    """The respondent's latest response to a round."""

    pk: int
    #: as the database returns it: compare with :func:`submission_id_value`
    submission_id: Any
    payload_hash: str


def _quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _table(model: type[models.Model]) -> str:
    return _quote(model._meta.db_table)


@cache
def _statements(vendor: str) -> dict[str, str]:
    """The statements of this module for one database vendor (built once per process)."""
    respondent = _table(Respondent)
    response = _table(Response)
    columns = ", ".join(_quote(field.column) for field in _RESPONSE_FIELDS)
    values = ", ".join(["%s"] * len(_RESPONSE_FIELDS))
    assignments = ", ".join(f"{_quote(field.column)} = %s" for field in _RESPONSE_FIELDS)
    insert_respondent = (
        f"INSERT INTO {respondent} "  # noqa: S608 -- names from the model
        '("activity_id", "code_hash", "created_at", "withdrawn_at") VALUES (%s, %s, %s, NULL) '
        'ON CONFLICT ("activity_id", "code_hash") '
    )
    return {
        # PostgreSQL: one statement, the existing row locked until the transaction ends
        "respondent_upsert": insert_respondent + 'DO UPDATE SET "code_hash" = EXCLUDED."code_hash" '
        'RETURNING "id", "withdrawn_at" IS NOT NULL, (xmax = 0)',
        # SQLite: the transaction holds the write lock; a row comes back only when inserted
        "respondent_insert": insert_respondent + 'DO NOTHING RETURNING "id"',
        "respondent_read": (
            f'SELECT "id", "withdrawn_at" IS NOT NULL FROM {respondent} '  # noqa: S608
            'WHERE "activity_id" = %s AND "code_hash" = %s'
        ),
        "earlier": (
            f'SELECT "id", "submission_id", "payload_hash" FROM {response} '  # noqa: S608
            'WHERE "round_id" = %s AND "respondent_id" = %s '
            'ORDER BY "submitted_at" DESC, "id" DESC LIMIT 1'
        ),
        "known": (
            f'SELECT "id", "payload_hash" FROM {response} '  # noqa: S608
            'WHERE "submission_id" = %s'
        ),
        "response_insert": (
            f'INSERT INTO {response} ({columns}) VALUES ({values}) RETURNING "id"'  # noqa: S608
        ),
        "response_update": f'UPDATE {response} SET {assignments} WHERE "id" = %s',  # noqa: S608
        # whether the activity has a pre round, and whether this code answered one
        "pre_survey": (
            f"SELECT EXISTS (SELECT 1 FROM {_table(Round)} "  # noqa: S608 -- model names
            'WHERE "activity_id" = %s AND "kind" = %s), '
            f"EXISTS (SELECT 1 FROM {response} r "
            f'JOIN {respondent} p ON p."id" = r."respondent_id" '
            f'JOIN {_table(Round)} d ON d."id" = r."round_id" '
            'WHERE p."activity_id" = %s AND p."code_hash" = %s AND d."kind" = %s)'
        ),
    }


def _typed(model: type[models.Model], column: str) -> str:
    """A placeholder cast to the column's type (a ``varchar(n)`` to ``varchar``: too long a
    value fails on the column as it would in ``VALUES`` instead of being cut short). In an
    ``INSERT … SELECT`` PostgreSQL cannot take a parameter's type from the column."""
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    kind = str(field.db_type(connection))
    return f"%s::{'varchar' if kind.startswith('varchar(') else kind}"


#: the audit event's columns written by :func:`first_response_write` besides the target's
_AUDIT_COLUMNS = ("actor_id", "actor_label", "action", "target_type", "changes", "ip_address", "at")


@cache
def _first_write_sql() -> str:
    """PostgreSQL: the known-submission check, then a new respondent's response and its audit
    event, in one statement (see :func:`first_response_write`)."""
    subscriptions = _table(WebhookSubscription)
    respondent, response = _table(Respondent), _table(Response)
    columns = ", ".join(_quote(field.column) for field in _RESPONSE_FIELDS)
    values = ", ".join(
        'p."id"' if field.column == "respondent_id" else _typed(Response, field.column)
        for field in _RESPONSE_FIELDS
    )
    audit_columns = ", ".join(_quote(column) for column in _AUDIT_COLUMNS)
    audit_values = ", ".join(_typed(AuditEvent, column) for column in _AUDIT_COLUMNS)
    return (
        f'WITH k AS (SELECT "id", "payload_hash" FROM {response} '  # noqa: S608 -- model names
        'WHERE "submission_id" = %s), '
        "s AS (SELECT EXISTS (SELECT 1 "
        f'FROM {subscriptions} w WHERE w."is_active" AND w."organisation_id" = %s '
        'AND w."events" @> %s::jsonb) AS "subscribed"), '
        f'p AS (INSERT INTO {respondent} ("activity_id", "code_hash", "created_at", '
        f'"withdrawn_at") SELECT {_typed(Respondent, "activity_id")}, '
        f"{_typed(Respondent, 'code_hash')}, {_typed(Respondent, 'created_at')}, NULL::"
        f"{Respondent._meta.get_field('withdrawn_at').db_type(connection)} "
        'FROM s WHERE NOT s."subscribed" AND NOT EXISTS (SELECT 1 FROM k) '
        'ON CONFLICT ("activity_id", "code_hash") DO UPDATE SET "code_hash" = '
        'EXCLUDED."code_hash" RETURNING "id", (xmax = 0) AS "new"), '
        f'r AS (INSERT INTO {response} ({columns}) SELECT {values} FROM p WHERE p."new" '
        'RETURNING "id"), '
        f"a AS (INSERT INTO {_table(AuditEvent)} ({audit_columns}, "
        f'"target_id", "target_label") SELECT {audit_values}, r."id"::text, '
        f"{_typed(AuditEvent, 'target_label')} FROM r) "
        'SELECT (SELECT "id" FROM r), (SELECT "id" FROM p), '
        '(SELECT "id" FROM k), (SELECT "payload_hash" FROM k)'
    )


def _sql(name: str) -> str:
    return _statements(connection.vendor)[name]


def submission_id_value(submission_id: Any) -> Any:
    """A submission id as the database stores it (a UUID on PostgreSQL, hex text on SQLite)."""
    return Response._meta.get_field("submission_id").get_db_prep_value(
        submission_id, connection, prepared=False
    )


def known_submission(submission_id: Any) -> tuple[int, str] | None:
    """(id, payload hash) of the response stored under this submission id, if any."""
    with statement_cursor() as cursor:
        cursor.execute(_sql("known"), [submission_id_value(submission_id)])
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def respondent_claim(*, activity_id: int, code_hash: str, at: datetime) -> Person:
    """The respondent of this code in the activity, inserted when new; inside a transaction.

    On PostgreSQL the row stays locked until the transaction ends.
    """
    created_at = Respondent._meta.get_field("created_at").get_db_prep_save(at, connection)
    with statement_cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_sql("respondent_upsert"), [activity_id, code_hash, created_at])
            pk, withdrawn, new = cursor.fetchone()
            return Person(pk=pk, withdrawn=bool(withdrawn), new=bool(new))
        cursor.execute(_sql("respondent_insert"), [activity_id, code_hash, created_at])
        inserted = cursor.fetchone()
        if inserted is not None:
            return Person(pk=inserted[0], withdrawn=False, new=True)
        cursor.execute(_sql("respondent_read"), [activity_id, code_hash])
        pk, withdrawn = cursor.fetchone()
        return Person(pk=pk, withdrawn=bool(withdrawn), new=False)


def pre_survey_missed(*, activity_id: int, code_hash: str) -> bool:
    """Whether the activity has a pre round that the respondent of this code hash did not
    answer (one statement: the two ``exists()`` of the ORM were two queries, each built anew)."""
    pre = Round.Kind.PRE.value
    with statement_cursor() as cursor:
        cursor.execute(_sql("pre_survey"), [activity_id, pre, activity_id, code_hash, pre])
        has_pre, answered = cursor.fetchone()
    return bool(has_pre) and not answered


def earlier_response(*, round_id: int, respondent_id: int) -> Earlier | None:
    """The respondent's latest response to the round (the one a new submission replaces)."""
    with statement_cursor() as cursor:
        cursor.execute(_sql("earlier"), [round_id, respondent_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return Earlier(pk=row[0], submission_id=row[1], payload_hash=str(row[2]))


def _values(response: Response, *, add: bool) -> list[Any]:
    """The response's columns in the database's form, as the ORM's insert or update sends them."""
    return [
        field.get_db_prep_save(field.pre_save(response, add), connection)
        for field in _RESPONSE_FIELDS
    ]


@dataclass(frozen=True)
class FirstWrite:
    """What :func:`first_response_write` did: at most one of the two is set."""

    #: (id, payload hash) of a response stored before under the submission id; nothing written
    known: tuple[int, str] | None
    #: the response, stored with its respondent and audit event
    response: Response | None


def first_response_write(
    response: Response,
    *,
    activity_id: int,
    code_hash: str,
    at: datetime,
    organisation_id: int | None,
    audit: dict[str, Any],
) -> FirstWrite:
    """PostgreSQL, outside a transaction: :func:`known_submission`, and when the submission
    id is new and its respondent seen for the first time, the respondent, the response and its
    audit event (``audit``: the columns of ``core.audit.audit_target_values``) — in one
    statement, so in one round trip and without a BEGIN and COMMIT of their own.

    Nothing is written when the submission id is known (``known``: answer it as a copy or a
    conflict), when the respondent was known (answers replaced, or withdrawn), or when the host
    organisation (``organisation_id``) subscribes to new responses, whose delivery joins the
    transaction: the caller then takes the transaction's way. A copy stored meanwhile raises
    IntegrityError (the submission id), and the whole statement is undone, the respondent's row
    with it.
    """
    created_at = Respondent._meta.get_field("created_at").get_db_prep_save(at, connection)
    values = [
        value
        for field, value in zip(_RESPONSE_FIELDS, _values(response, add=True), strict=True)
        if field.column != "respondent_id"
    ]
    with statement_cursor() as cursor:
        cursor.execute(
            _first_write_sql(),
            [
                submission_id_value(response.submission_id),
                organisation_id,
                json.dumps([WebhookEvent.RESPONSE_RECEIVED.value]),
                activity_id,
                code_hash,
                created_at,
                *values,
                *(audit[column] for column in _AUDIT_COLUMNS),
                str(response)[:255],
            ],
        )
        pk, respondent_id, known_pk, known_hash = cursor.fetchone()
    if known_pk is not None:
        return FirstWrite(known=(int(known_pk), str(known_hash)), response=None)
    if pk is None:
        return FirstWrite(known=None, response=None)
    response.pk, response.respondent_id = pk, respondent_id
    response._state.adding = False
    response._state.db = connection.alias
    return FirstWrite(known=None, response=response)


def response_write(response: Response, *, replaces: int | None) -> Response:
    """INSERT ``response`` (or, with ``replaces``, overwrite every column of that row) and
    return it with its primary key, as a saved instance."""
    with statement_cursor() as cursor:
        if replaces is None:
            cursor.execute(_sql("response_insert"), _values(response, add=True))
            response.pk = cursor.fetchone()[0]
        else:
            cursor.execute(_sql("response_update"), [*_values(response, add=False), replaces])
            response.pk = replaces
    response._state.adding = False
    response._state.db = connection.alias
    return response
