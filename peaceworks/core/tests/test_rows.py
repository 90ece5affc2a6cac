"""``statement_cursor``: the hot path's statements prepared on PostgreSQL, wrapped as Django
wraps its own cursors (errors, query logging), and a plain cursor elsewhere."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import (
    DataError,
    IntegrityError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.test.utils import CaptureQueriesContext

from peaceworks.core.rows import statement_cursor

SQL = "SELECT %s + 1"


def _prepared_here() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_a_statement_run_more_than_five_times_is_prepared_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    before = _prepared_here()
    for number in range(7):
        with statement_cursor() as cursor:
            cursor.execute(SQL, [number])
            assert cursor.fetchone()[0] == number + 1
    assert _prepared_here() == before + 1
    # the ORM's cursors bind values in the client: nothing of theirs is prepared
    for number in range(7):
        with connection.cursor() as cursor:
            cursor.execute(SQL, [number])
    assert _prepared_here() == before + 1


def _insert_twice() -> None:
    for _ in range(2):
        with statement_cursor() as cursor:
            cursor.execute("INSERT INTO rows_probe (id) VALUES (%s)", [1])


@pytest.mark.django_db(transaction=True)
def test_errors_are_djangos_and_the_transaction_rolls_back() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE rows_probe (id integer PRIMARY KEY)")
    try:
        with pytest.raises(IntegrityError), transaction.atomic():
            _insert_twice()
        with statement_cursor() as cursor:
            cursor.execute("SELECT count(*) FROM rows_probe")
            assert cursor.fetchone()[0] == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE rows_probe")


@pytest.mark.django_db
def test_counted_queries_show_the_statement_with_its_values() -> None:
    with CaptureQueriesContext(connection) as queries:
        for number in range(7):
            with statement_cursor() as cursor:
                cursor.execute(SQL, [number])
    assert len(queries.captured_queries) == 7
    assert queries.captured_queries[-1]["sql"] == "SELECT 6 + 1"


# --- a read as the request's health check (CONN_HEALTH_CHECKS without its round trip) ---


def _backend_pid() -> int:
    with statement_cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _end_of_request() -> None:
    """What Django does between two requests: the next one must check a kept connection."""
    close_old_connections()
    assert connection.connection is not None  # kept (CONN_MAX_AGE)


def _terminate(pid: int) -> None:
    """The server process of that connection ends, as in a database restart."""
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


@pytest.fixture
def postgresql_kept_connection() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the health check runs on PostgreSQL's kept connections")
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    # a connection opened now, so the end of a request keeps it (CONN_MAX_AGE counts from
    # the opening, and the tests before this one may have run longer than that)
    connection.close()
    connection.ensure_connection()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql_kept_connection")
def test_the_first_read_of_a_request_is_its_health_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pid = _backend_pid()
    _end_of_request()
    checks: list[bool] = []
    real = connection.is_usable

    def checked() -> bool:
        checks.append(True)
        return real()

    monkeypatch.setattr(connection, "is_usable", checked)
    with statement_cursor(read=True) as cursor:
        cursor.execute(SQL, [1])
        assert cursor.fetchone()[0] == 2
    with statement_cursor() as cursor:  # later statements of the request: no check either
        cursor.execute(SQL, [2])
    assert checks == []  # no SELECT 1 before the read
    assert _backend_pid() == pid  # the kept connection
    # a statement that may write still gets Django's check when it comes first
    _end_of_request()
    with statement_cursor() as cursor:
        cursor.execute(SQL, [3])
    assert checks == [True]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql_kept_connection")
def test_a_read_that_finds_the_connection_closed_runs_again_on_a_new_one() -> None:
    pid = _backend_pid()
    _end_of_request()
    _terminate(pid)
    with statement_cursor(read=True) as cursor:
        cursor.execute("SELECT pg_backend_pid(), %s + 1", [1])
        new_pid, two = cursor.fetchone()
    assert (two, connection.connection is not None) == (2, True)
    assert new_pid != pid
    # the same as Django's own check did: a statement that may write, on a closed connection
    _end_of_request()
    _terminate(new_pid)
    with statement_cursor() as cursor:
        cursor.execute(SQL, [1])
        assert cursor.fetchone()[0] == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql_kept_connection")
def test_a_reads_own_error_is_not_sent_again(monkeypatch: pytest.MonkeyPatch) -> None:
    _backend_pid()
    _end_of_request()
    sent: list[str] = []
    real = psycopg.Cursor.execute

    def counted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(str(query))
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    with pytest.raises(DataError), statement_cursor(read=True) as cursor:
        cursor.execute("SELECT 1 / %s", [0])
    assert sent == ["SELECT 1 / %s"]
    # and outside a request's first statement a closed connection is the caller's error
    monkeypatch.undo()
    pid = _backend_pid()
    _terminate(pid)
    with pytest.raises(OperationalError), statement_cursor(read=True) as cursor:
        cursor.execute(SQL, [1])
    connection.close()  # as Django does at the end of a request that met a closed connection
