"""``statement_cursor``: the hot path's statements prepared on PostgreSQL, wrapped as Django
wraps its own cursors (errors, query logging), and a plain cursor elsewhere."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
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
