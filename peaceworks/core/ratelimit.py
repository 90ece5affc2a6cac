"""Counting requests per client and minute in a store every host shares: the database.

The count of a client's minute is one row, incremented by a single atomic upsert
(``INSERT … ON CONFLICT … DO UPDATE … RETURNING``, SQLite 3.35+ and PostgreSQL), so two
processes on two hosts counting at once both see the sum, and no request is lost between a
read and a write. The per-process cache would count each process apart (a client spread over
four workers would get four times its allowance); the database is already shared, needs no
new server, and one small write per request is cheap next to the request itself. Old minutes
are purged by ``peaceworks retention``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from peaceworks.core.models import RateCount

_TABLE = RateCount._meta.db_table


def rate_hit(bucket: str, minute: int, *, connection: BaseDatabaseWrapper | None = None) -> int:
    """Count one request of ``bucket`` in ``minute`` and return the minute's count so far."""
    connection = connection or connections["default"]
    table = connection.ops.quote_name(_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, minute, hits) VALUES (%s, %s, 1) "  # noqa: S608  # the table name is ours
            f"ON CONFLICT (bucket, minute) DO UPDATE SET hits = {table}.hits + 1 "
            "RETURNING hits",
            [bucket, minute],
        )
        row = cursor.fetchone()
    return int(row[0])


def purge_rate_counts(cutoff: datetime, dry_run: bool) -> int:
    """Forget counts of minutes more than two minutes old (whatever the retention cut-off:
    a past minute never counts again)."""
    del cutoff  # counts are useless once their minute has passed
    current = int(timezone.now().timestamp() // 60)
    old = RateCount.objects.filter(minute__lt=current - 2)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted
