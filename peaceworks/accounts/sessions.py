"""The session engine (``SESSION_ENGINE``): Django's database sessions, the row read by hand.

Every request that carries a session cookie reads its row. Building that query through the
ORM (``Session.objects.get(session_key=…, expire_date__gt=now)``) cost several times what
running it did; the same statement is written out here once (``core.rows``). Rows, cookies,
expiry, saving and deleting are Django's own: only the read differs.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from peaceworks.core.rows import statement_cursor


@cache
def _session_sql(vendor: str) -> str:
    """The data of the session ``%s`` unless it expired before ``%s``."""
    quote = connection.ops.quote_name
    meta = Session._meta
    return (
        f"SELECT {quote(meta.get_field('session_data').column)} "  # noqa: S608 -- model names
        f"FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.get_field('session_key').column)} = %s "
        f"AND {quote(meta.get_field('expire_date').column)} > %s"
    )


class SessionStore(DatabaseSessionStore):
    """Django's database session store; ``load`` reads the row with one written statement."""

    def load(self) -> dict[str, Any]:
        """The session's data, as Django's ``load``: ``{}`` (and no key any more) for a key
        without a row, or whose row has expired."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with statement_cursor() as cursor:
            cursor.execute(_session_sql(connection.vendor), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data
