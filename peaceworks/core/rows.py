"""Model instances from a hand-written statement, for the few reads on a hot path.

Building a query through the ORM (resolving lookups, joins, ordering, compiling) costs far
more than running it when a request reads one row by a unique key: on the public submission
path two such reads took a third of the request's CPU. :class:`Columns` gives a model's column
list for a ``SELECT`` and turns a row of it back into an instance exactly as the ORM would
(each field's database converters, then ``Model.from_db``), so a caller can join several
models in one statement and still hand out ordinary instances.

:func:`statement_cursor` runs such statements as prepared statements on PostgreSQL: parsing
and planning a statement cost the database server more than running one of these, and the
ORM's cursors bind values in the client (the statement text changes with every value, so it
can never be prepared).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.utils import CursorWrapper

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]


class Columns(Generic[M]):
    """Every concrete column of ``model`` under the table alias ``alias``."""

    def __init__(self, model: type[M], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self._converters: dict[str, list[tuple[int, list[Converter], Any]]] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self) -> str:
        """``alias."column", …`` for a SELECT list."""
        quote = connection.ops.quote_name
        return ", ".join(f"{quote(self.alias)}.{quote(field.column)}" for field in self.fields)

    def _converters_here(self) -> list[tuple[int, list[Converter], Any]]:
        vendor = connection.vendor
        found = self._converters.get(vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                converters = [
                    *connection.ops.get_db_converters(column),
                    *column.get_db_converters(connection),
                ]
                if converters:
                    found.append((index, converters, column))
            self._converters[vendor] = found
        return found

    def instance(self, values: Sequence[Any]) -> M:
        """The instance of one row's values (in this object's column order)."""
        row = list(values)
        for index, converters, column in self._converters_here():
            value = row[index]
            for converter in converters:
                value = converter(value, column, connection)
            row[index] = value
        return self.model.from_db(connection.alias, self.names, row)


def statement_cursor() -> CursorWrapper:
    """A cursor for the hand-written statements of a hot path, used like ``connection.cursor()``.

    On PostgreSQL it binds values on the server, so each statement's text stays the same and
    psycopg prepares it once per connection after ``prepare_threshold`` runs (the database
    URL's option, 5 unless set; ``prepare_threshold=`` empty turns preparing off, for a pooler
    that cannot keep prepared statements). The cursor is wrapped as Django wraps its own, so
    errors become ``django.db`` errors. Elsewhere, and while queries are logged (DEBUG, a
    test counting queries), it is ``connection.cursor()``: Django logs a statement's text from
    the cursor's last query, which psycopg leaves unset when it runs a prepared statement.
    """
    # the connection itself, not the proxy: each attribute of ``django.db.connection`` is a
    # thread-local look-up, and this runs a dozen times a submission
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.queries_logged:
        return db.cursor()
    # defined only when psycopg 3 is installed, which the stubs do not know
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )

    # the steps of BaseDatabaseWrapper._cursor with another cursor class
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        cursor = ServerBindingCursor(db.connection)
    db.validate_thread_sharing()
    return db.make_cursor(cursor)
