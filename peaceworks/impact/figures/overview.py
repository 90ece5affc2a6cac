"""The campaign overview's charts: drawn by the page, and by the refresh before any page asks.

Drawing is what a fresh process's first overview waits for (the chart engine starts in 0.5 to
1.5 s, a world map takes 0.1 to 0.3 s), not the figures, which the refresh stores with the
snapshot (``figures.prepared``). So after storing a snapshot the refresh task calls
:func:`overview_charts_draw`, which draws the overview's charts as the page would — the change
per theme at every floor a viewer reads at, the two maps — in every language of the site, into
the shared chart cache (``core.charts``). The cache is keyed by what a chart is drawn from, so a
page can only find a chart of the figures it shows: a fold that changes a figure changes the
key, and the page finds the new chart (or draws it, if the refresh could not).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from peaceworks.campaigns.models import Campaign
from peaceworks.campaigns.selectors import activity_country_counts
from peaceworks.core.charts import render_svg
from peaceworks.directory.maps import choropleth_svg
from peaceworks.impact.analytics import Cell
from peaceworks.impact.charts import change_with_ci
from peaceworks.impact.figures.prepared import PREPARED_FLOORS
from peaceworks.impact.figures.selectors import (
    SnapshotView,
    headline,
    outcome_indicators,
    respondent_counts,
    snapshot_view,
)
from peaceworks.impact.models import Indicator

logger = logging.getLogger(__name__)


def headline_rows(
    indicators: Sequence[Indicator], cells: dict[str, Cell], *, theme: str | None = None
) -> list[tuple[Indicator, Cell]]:
    """The overview's rows: each indicator with its headline cell; filtered by ``theme``, that
    theme's indicators and those across themes, not the other themes' (their pairs come only
    from activities that also have this theme)."""
    return [
        (ind, cells[ind.code])
        for ind in indicators
        if ind.code in cells
        and not (
            theme
            and ind.outcome is not None
            and ind.outcome.theme is not None
            and ind.outcome.theme.code != theme
        )
    ]


def change_chart(rows: Sequence[tuple[Indicator, Cell]]) -> str:
    """The change per theme (the indicators that belong to a theme), or "" when none does."""
    themed = [
        (f"{ind.outcome.theme.number}. {ind}", cell)
        for ind, cell in rows
        if ind.outcome is not None and ind.outcome.theme is not None
    ]
    if not themed:
        return ""
    return render_svg(
        change_with_ci(
            themed,
            title=_("Change per theme"),
            axis=_("mean change, points on a scale of 1 to 5"),
        )
    )


def respondents_per_country(view: SnapshotView) -> dict[str, float]:
    """The snapshot's respondents per hosting country (countries without any left out)."""
    return {
        str(label): float(n) for label, n in respondent_counts(view, "country").items() if label
    }


def activity_map(campaign: Campaign) -> str:
    return choropleth_svg(
        {c: float(n) for c, n in activity_country_counts(campaign=campaign)},
        title=_("Activities per hosting country"),
        value_label=_("activities"),
    )


def response_map(coverage: dict[str, float]) -> str:
    return choropleth_svg(
        coverage, title=_("Respondents per hosting country"), value_label=_("respondents")
    )


def overview_charts_draw(*, campaign_id: int) -> int:
    """Draw the campaign overview's charts (unfiltered, as the page opens) into the chart cache,
    in every language and at every floor of ``PREPARED_FLOORS``. Best effort: the page draws
    what it does not find, so a failure is logged, never raised. Returns the charts drawn or
    found."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    try:
        view = snapshot_view(campaign=campaign)
        if view.head is None:
            return 0
        indicators = outcome_indicators(campaign=campaign)
        coverage = respondents_per_country(view)
        floors = {floor: headline(view, floor=floor) for floor in PREPARED_FLOORS}
        drawn = 0
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for cells in floors.values():
                    drawn += bool(change_chart(headline_rows(indicators, cells)))
                activity_map(campaign)
                response_map(coverage)
                drawn += 2
    except Exception:
        logger.exception("Drawing the overview's charts of campaign %s failed.", campaign_id)
        return 0
    return drawn
