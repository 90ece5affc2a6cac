"""Background work of impact. Tasks take ids, are idempotent and call one service."""

from __future__ import annotations

from django_tasks import task

from peaceworks.impact.figures.overview import overview_charts_draw
from peaceworks.impact.services.analytics import analytics_rebuild
from peaceworks.impact.services.reminders import follow_up_reminders_send


@task()
def analytics_refresh(campaign_id: int, full: bool = False) -> bool:
    """Fold new answers and withdrawals into the campaign's snapshot (or rebuild it), then draw
    the overview's charts of the new figures into the chart cache, so that no page waits for
    the chart engine (``figures.overview``)."""
    if analytics_rebuild(campaign_id=campaign_id, full=full) is None:
        return False
    overview_charts_draw(campaign_id=campaign_id)
    return True


@task()
def follow_up_reminders(round_id: int) -> int:
    """Send the round's follow-up reminders, each person's once (``core.once``): a second run
    sends none twice, and one after a killed worker sends the lapsed claim."""
    return follow_up_reminders_send(round_id=round_id)
