"""Issue 21: the API's rate counts are shared by every process and host — they live in the
database and are incremented by one atomic upsert, so two servers counting one token's
requests see the sum, and old minutes are purged by ``peaceworks retention``."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.db import connections

from peaceworks.core.models import RateCount
from peaceworks.core.ratelimit import purge_rate_counts, rate_hit

MINUTE = 30_000_000


@pytest.mark.django_db(transaction=True)
def test_two_connections_share_one_count():
    """Two database connections, as two server processes on two hosts would hold."""
    first = connections["default"]
    second = connections.create_connection("default")
    try:
        counts = [
            rate_hit("token-a", MINUTE, connection=connection)
            for connection in (first, second, first, second, second)
        ]
    finally:
        second.close()
    assert counts == [1, 2, 3, 4, 5]
    assert RateCount.objects.get(bucket="token-a", minute=MINUTE).hits == 5


@pytest.mark.django_db
def test_each_client_and_minute_is_counted_apart():
    assert [rate_hit("a", MINUTE), rate_hit("a", MINUTE), rate_hit("b", MINUTE)] == [1, 2, 1]
    assert rate_hit("a", MINUTE + 1) == 1


@pytest.mark.django_db
def test_past_minutes_are_purged_and_the_current_ones_kept():
    now = datetime(2027, 1, 15, 12, 0, 30, tzinfo=UTC)
    current = int(now.timestamp() // 60)
    for minute in (current - 10, current - 3, current - 1, current):
        rate_hit("a", minute)
    with mock.patch("peaceworks.core.ratelimit.timezone.now", return_value=now):
        assert purge_rate_counts(now, dry_run=True) == 2
        assert purge_rate_counts(now, dry_run=False) == 2
    assert sorted(RateCount.objects.values_list("minute", flat=True)) == [current - 1, current]
