"""What a server computes before its first request gives the pages the same figures."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from peaceworks.campaigns.models import Activity
from peaceworks.impact.figures.selectors import (
    PAGE_GROUPINGS,
    respondent_counts,
    snapshot_view,
    snapshots_warm,
)
from peaceworks.impact.models import Framework
from peaceworks.impact.services import analytics_rebuild
from peaceworks.impact.tests.test_analytics import _answer, _rounds


@pytest.fixture
def warm_campaign(framework: Framework, make_activity: Callable[..., Activity]) -> Any:
    """Seven pairs in Kenya, five in Ghana."""
    for country, size in (("KE", 7), ("GH", 5)):
        pre, post = _rounds(make_activity(country=country))
        for number in range(size):
            for survey_round in (pre, post):
                _answer(survey_round, f"CD{number:02d}EF", before=2, after=4, gender="woman")
    analytics_rebuild(campaign_id=framework.campaign_id)
    return framework.campaign


def test_warm_up_computes_the_groupings_the_dashboards_open_with(warm_campaign: Any) -> None:
    assert snapshots_warm() == 1
    view = snapshot_view(campaign=warm_campaign)
    assert set(PAGE_GROUPINGS) <= set(view.sums)


def test_respondents_are_counted_per_hosting_country(warm_campaign: Any) -> None:
    counts = respondent_counts(snapshot_view(campaign=warm_campaign), "country")
    assert {label: n for label, n in counts.items() if n} == {"KE": 7, "GH": 5}


def _page(client: Any, url: str) -> str:
    """The page without its per-request CSRF tokens."""
    return re.sub(r"[A-Za-z0-9]{64}", "", client.get(url).content.decode())


def test_a_warmed_overview_and_indicator_page_read_the_same(
    warm_campaign: Any, network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    urls = [
        reverse("impact:dashboard", args=[warm_campaign.pk]),
        reverse("impact:dashboard_indicator", args=[warm_campaign.pk, "i1_knowledge"]),
    ]
    snapshots_warm()
    warmed = [_page(client, url) for url in urls]
    # a new snapshot, read by pages that compute their sums themselves
    analytics_rebuild(campaign_id=warm_campaign.pk, full=True)
    assert [_page(client, url) for url in urls] == warmed
    assert "i1_knowledge" in warmed[1]
