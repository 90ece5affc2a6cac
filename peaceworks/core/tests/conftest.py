"""Fixtures of the core tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture
def _migrated_back_to_the_latest() -> Iterator[None]:
    """Migrating back unapplies every later migration that depends on the target (in any
    app); put them all back, or the tests after this one meet a database without them.
    (For a target near the leaves, as in ``test_once``; a test of an earlier migration
    migrates an ``empty_database`` forward instead: cheaper than unapplying and re-applying
    every migration after it.)"""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
