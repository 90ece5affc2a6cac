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

import contextlib
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    models,
)
from django.db.backends.base.base import BaseDatabaseWrapper
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


def statement_cursor(*, read: bool = False) -> CursorWrapper:
    """A cursor for the hand-written statements of a hot path, used like ``connection.cursor()``.

    On PostgreSQL it binds values on the server, so each statement's text stays the same and
    psycopg prepares it once per connection after ``prepare_threshold`` runs (the database
    URL's option, 5 unless set; ``prepare_threshold=`` empty turns preparing off, for a pooler
    that cannot keep prepared statements). The cursor is wrapped as Django wraps its own, so
    errors become ``django.db`` errors. Elsewhere, and while queries are logged (DEBUG, a
    test counting queries), it is ``connection.cursor()``: Django logs a statement's text from
    the cursor's last query, which psycopg leaves unset when it runs a prepared statement.

    ``read``: the statement only reads. When it is the first of a request on a connection kept
    from an earlier one (``CONN_HEALTH_CHECKS``), it is itself the health check: it runs
    without Django's ``SELECT 1`` round trip before it, and if it finds the connection closed
    (the database restarted, or closed it while idle) it runs again, once, on a new one — what
    the health check would have done, minus a round trip on every request.
    """
    # the connection itself, not the proxy: each attribute of ``django.db.connection`` is a
    # thread-local look-up, and this runs a dozen times a submission
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.queries_logged:
        return db.cursor()
    # Django's health-check flags (4.1+), which the stubs do not know
    checks_itself = (
        read
        and db.connection is not None
        and db.health_check_enabled  # type: ignore[attr-defined]
        and not db.health_check_done  # type: ignore[attr-defined]
        and not db.in_atomic_block
    )
    if checks_itself:
        db.health_check_done = True  # type: ignore[attr-defined] # this statement is the check
    else:
        # the steps of BaseDatabaseWrapper._cursor with another cursor class
        db.close_if_health_check_failed()
    wrapper = (_CheckingCursorWrapper if checks_itself else CursorWrapper)(
        _server_binding_cursor(db), db
    )
    db.validate_thread_sharing()
    return wrapper


def _server_binding_cursor(db: BaseDatabaseWrapper) -> Any:
    # defined only when psycopg 3 is installed, which the stubs do not know
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )

    db.ensure_connection()
    with db.wrap_database_errors:
        return ServerBindingCursor(db.connection)


class _CheckingCursorWrapper(CursorWrapper):
    """A read run as the request's health check (:func:`statement_cursor`): a connection
    found closed is replaced and the read sent again, once."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        try:
            return super().execute(sql, params)
        except (OperationalError, InterfaceError):
            db = self.db
            if db.connection is None or not db.connection.closed or db.in_atomic_block:
                raise  # not a closed connection: the error is the statement's own
            with contextlib.suppress(Exception):
                self.cursor.close()
            db.close()
            self.cursor = _server_binding_cursor(db)
            return super().execute(sql, params)
