"""Background work of impact. Tasks take ids, are idempotent and call one service."""

from __future__ import annotations

from django_tasks import task

from peaceworks.impact.services.analytics import analytics_rebuild


@task()
def analytics_refresh(campaign_id: int, full: bool = False) -> bool:
    """Fold new answers and withdrawals into the campaign's snapshot (or rebuild it)."""
    return analytics_rebuild(campaign_id=campaign_id, full=full) is not None
