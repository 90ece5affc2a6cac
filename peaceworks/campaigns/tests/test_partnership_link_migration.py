"""Moving the partnership ↔ campaign link to campaigns keeps every stored link.

On an empty database migrated to the exact nodes (their ancestors only), not the test database
unapplied back to them and migrated forward again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("directory", "0003_partnership_campaigns"),
    ("campaigns", "0002_partners_counts_inclusion_uploads_strategy"),
]
AFTER = [("campaigns", "0004_campaign_partnerships")]


@pytest.mark.usefixtures("empty_database")
def test_links_stored_by_the_directory_are_read_from_campaigns_after_the_move() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    programme = old.get_model("campaigns", "Programme").objects.create(name="P", code="p")
    campaign = old.get_model("campaigns", "Campaign").objects.create(
        programme=programme, name="C", code="c"
    )
    partnership = old.get_model("directory", "Partnership").objects.create(title="Pa", code="pa")
    partnership.campaigns.add(campaign)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("campaigns", "Campaign").objects.get(code="c")
    assert list(moved.partnerships.values_list("code", flat=True)) == ["pa"]
