"""Bulk writes: SQLite's page cache is widened for an import, then given back."""

from __future__ import annotations

import pytest
from django.db import connection

from peaceworks.core.bulk import BULK_PAGE_CACHE_KIB, page_cache_widened

pytestmark = pytest.mark.django_db


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (size,) = cursor.fetchone()
    return int(size)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite pragma")
def test_the_page_cache_is_widened_inside_and_restored_after() -> None:
    before = _cache_size()
    with page_cache_widened():
        assert _cache_size() == -BULK_PAGE_CACHE_KIB
    assert _cache_size() == before != -BULK_PAGE_CACHE_KIB


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite pragma")
def test_the_page_cache_is_restored_when_the_block_fails() -> None:
    before = _cache_size()
    with pytest.raises(RuntimeError), page_cache_widened():
        raise RuntimeError
    assert _cache_size() == before


def test_the_block_runs_on_every_database() -> None:
    ran = []
    with page_cache_widened():
        ran.append(connection.vendor)
    assert ran == [connection.vendor]
