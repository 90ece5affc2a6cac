"""Writing many rows at once, for the few services that need it (imports).

:func:`insert_rows` inserts rows without building model instances, and
:func:`cycle_collection_paused` keeps Python's cycle collector from walking the large
structures a big import holds while it builds them.

``bulk_create`` builds, validates and compiles one model instance per row; for an import of
100,000 responses that costs more than reading, checking and storing them. :func:`insert_rows`
sends plain tuples in one ``executemany`` instead, in the caller's transaction. Values must be
in the database's form already (:func:`db_value`); every column the caller leaves out gets the
field's default (``auto_now``/``auto_now_add`` fields the current time), prepared once.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

from django.db import connection, models
from django.utils import timezone

from peaceworks.core.rows import statement_cursor


def db_value(model: type[models.Model], name: str, value: Any) -> Any:
    """``value`` of the field ``name`` as the database adapter receives it."""
    return _field(model, name).get_db_prep_save(value, connection)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int] | None:
    """INSERT ``rows`` (values of ``fields``, in the database's form) into ``model``'s table.

    Runs no model validation, no ``save()`` and no signal: the caller has checked every value.
    Returns the rows' primary keys, in order, where they are known without a query per row:
    on SQLite, one ``executemany`` inside the caller's transaction holds the database's write
    lock, so its rows take consecutive ids ending at ``last_insert_rowid()``; that is checked
    (as many rows with those ids as were inserted, none there before) and None is returned
    otherwise. Elsewhere None: read them back with :func:`rows_where_in` by a unique key (on
    SQLite that costs more than the check, and less than ``INSERT ... RETURNING``).
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    named = set(fields)
    columns = [_column(model, name) for name in fields]
    rest: list[Any] = []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in named:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        else:
            default = field.get_default()
        columns.append(str(field.column))
        rest.append(field.get_db_prep_save(default, connection))
    tail = tuple(rest)
    values = [tuple(row) + tail for row in rows] if tail else rows
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 -- names from the model
        f"({', '.join(quote(column) for column in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if len(rows) == 1:
        # one row (a submission's audit event): a prepared statement on PostgreSQL, and no
        # pipeline, which psycopg's executemany opens and closes even for one row
        with statement_cursor() as cursor:
            cursor.execute(sql, (*rows[0], *tail))
        return None
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite" or not connection.in_atomic_block:
            # outside a transaction each row commits alone (and a failing row keeps the
            # ones before it), as one row a statement does
            cursor.executemany(sql, values)
            return None
        table, key = quote(model._meta.db_table), quote(str(model._meta.pk.column))
        cursor.execute(f"SELECT max({key}) FROM {table}")  # noqa: S608 -- names from the model
        (before,) = cursor.fetchone()
        _insert_sqlite(cursor, sql, len(columns), values)
        cursor.execute("SELECT last_insert_rowid()")
        (last,) = cursor.fetchone()
        first = last - len(rows) + 1
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE {key} BETWEEN %s AND %s",  # noqa: S608 -- names from the model
            [first, last],
        )
        (count,) = cursor.fetchone()
    if count != len(rows) or (before is not None and first <= before):
        return None
    return list(range(first, last + 1))


#: rows per INSERT statement on SQLite for rows of at least :data:`MULTI_ROW_COLUMNS` columns
ROWS_PER_STATEMENT = 100
#: narrower rows are inserted one per statement: a multi-row ``VALUES`` of a few columns
#: measured slower than ``executemany`` of one row (respondents: 4 columns), wider ones
#: faster (audit events 0.7 -> 0.35 s, responses 1.25 -> 0.9 s of CPU for 100,000 rows)
MULTI_ROW_COLUMNS = 8


def _insert_sqlite(cursor: Any, sql: str, width: int, values: Sequence[Sequence[Any]]) -> None:
    """``executemany(sql, values)`` on SQLite inside a transaction, as statements of up to
    :data:`ROWS_PER_STATEMENT` rows each when the rows are wide (``width`` columns): the same
    rows in the same order, so the same ids, with SQLite's and the driver's per-statement work
    (bind, step, reset) done once per statement instead of once per row."""
    count = min(ROWS_PER_STATEMENT, _parameter_limit() // width)
    if width < MULTI_ROW_COLUMNS or count < 2 or len(values) < count:
        cursor.executemany(sql, values)
        return
    head, row = sql.rsplit(" VALUES ", 1)
    whole = len(values) - len(values) % count
    flat = chain.from_iterable
    cursor.executemany(
        f"{head} VALUES {', '.join([row] * count)}",
        [tuple(flat(values[start : start + count])) for start in range(0, whole, count)],
    )
    if whole < len(values):
        rest = values[whole:]
        cursor.execute(f"{head} VALUES {', '.join([row] * len(rest))}", tuple(flat(rest)))


def rows_where_in(
    model: type[models.Model],
    fields: Sequence[str],
    key: str,
    values: Sequence[Any],
    *,
    also: dict[str, Any] | None = None,
) -> list[tuple[Any, ...]]:
    """``fields`` of the rows whose ``key`` is one of ``values`` (in the database's form, as
    :func:`db_value` gives them) and whose other fields equal ``also`` (likewise), as the
    database returns them, in no order. The query builder's per-value work, which a lookup
    of thousands of ids spends most of its time in, is left out."""
    if not values:
        return []
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(_column(model, name))

    conditions = [f"{column(name)} = %s" for name in also or {}]
    fixed = list((also or {}).values())
    head = (
        f"SELECT {', '.join(column(name) for name in fields)} "  # noqa: S608 -- model names
        f"FROM {quote(model._meta.db_table)} WHERE "
        + "".join(f"{condition} AND " for condition in conditions)
        + f"{column(key)} IN "
    )
    chunk = max(1, _parameter_limit() - len(fixed))
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), chunk):
            part = list(values[start : start + chunk])
            cursor.execute(head + "(" + ", ".join(["%s"] * len(part)) + ")", fixed + part)
            found += cursor.fetchall()
    return found


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def _column(model: type[models.Model], name: str) -> str:
    return str(_field(model, name).column)


def _parameter_limit() -> int:
    """How many parameters one statement may carry on this database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit: int = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return limit
    return int(connection.features.max_query_params or 32767)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (reference counting still frees memory).

    An import of 100,000 rows allocates millions of lists and tuples that live until it ends;
    the collector would walk all of them again and again (a quarter of the import's time).
    The few cycles such a block makes (caught exceptions and their frames) are collected once
    it resumes. Only the caller that paused it resumes it, so nested or concurrent uses are
    harmless.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


#: the page cache of a connection while it writes a large import (KiB; SQLite's default is 2 MB)
IMPORT_PAGE_CACHE_KIB = 64 * 1024


@contextmanager
def page_cache_widened() -> Iterator[None]:
    """On SQLite, a page cache of :data:`IMPORT_PAGE_CACHE_KIB` for this connection during the
    block, set back after it (elsewhere nothing).

    With the default 2 MB the random keys of an import's unique indexes (pseudonyms,
    submission ids) miss the cache on most rows, and the transaction's changed pages are
    spilled to the WAL and read back again before it commits: for 100,000 rows ~0.3 s of
    CPU. The cache only grows as pages are read, and shrinks back when the size is reset.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    # on the driver's connection: a pragma of this connection, not a statement of the
    # transaction, so it is set back even when the block leaves the transaction broken
    database = connection.connection
    (size,) = database.execute("PRAGMA cache_size").fetchone()
    database.execute(f"PRAGMA cache_size = {-IMPORT_PAGE_CACHE_KIB:d}")
    try:
        yield
    finally:
        database.execute(f"PRAGMA cache_size = {int(size):d}")
