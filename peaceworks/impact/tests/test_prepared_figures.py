"""The figures stored with the snapshot serve a fresh process exactly as computing them would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.urls import reverse

from peaceworks.campaigns.models import Activity
from peaceworks.impact.analytics import COORDINATOR_MIN_N, PUBLISHED_MIN_N
from peaceworks.impact.analytics.family import build_family
from peaceworks.impact.analytics.frame import MULTI_VALUED_DIMENSIONS
from peaceworks.impact.figures import selectors
from peaceworks.impact.figures.load import frame_from_bytes
from peaceworks.impact.figures.prepared import PAGE_GROUPINGS, prepared_from_bytes
from peaceworks.impact.models import AnalyticsSnapshot, Round
from peaceworks.impact.services import analytics_rebuild
from peaceworks.impact.tests.test_analytics import _answer
from peaceworks.impact.tests.test_dashboard_warm_up import _page, warm_campaign

__all__ = ["warm_campaign"]  # the fixture, shared with the warm-up tests


def _fresh_process() -> None:
    """What a restarted server holds: nothing."""
    selectors._CACHE.clear()
    selectors._FAMILIES.clear()


def _urls(campaign: Any) -> list[str]:
    return [
        reverse("impact:dashboard", args=[campaign.pk]),
        reverse("impact:dashboard_indicator", args=[campaign.pk, "i1_knowledge"]),
    ]


def _computed_pages(campaign: Any, client: Any) -> list[str]:
    """The pages of a fresh process computing from the frame (a snapshot stored without its
    prepared figures, as before they existed)."""
    AnalyticsSnapshot.objects.filter(campaign=campaign).update(prepared=b"")
    _fresh_process()
    return [_page(client, url) for url in _urls(campaign)]


def _frame_decoded(campaign: Any) -> bool:
    snapshot = AnalyticsSnapshot.objects.get(campaign=campaign)
    return selectors._CACHE[(snapshot.pk, snapshot.refreshed_at)]._frame is not None


def test_a_fresh_process_serves_the_pages_from_the_prepared_figures(
    warm_campaign: Any, network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    _fresh_process()
    prepared = [_page(client, url) for url in _urls(warm_campaign)]
    assert not _frame_decoded(warm_campaign)  # nothing but the stored figures was read
    assert prepared == _computed_pages(warm_campaign, client)
    assert "i1_knowledge" in prepared[1]


def test_prepared_figures_equal_the_computed_ones_at_both_floors(warm_campaign: Any) -> None:
    snapshot = AnalyticsSnapshot.objects.get(campaign=warm_campaign)
    prepared = prepared_from_bytes(bytes(snapshot.prepared))
    frame = frame_from_bytes(bytes(snapshot.frame))
    assert prepared.head.size == frame.size == 12
    assert set(prepared.sums) == set(PAGE_GROUPINGS)
    coordinators = build_family(frame, COORDINATOR_MIN_N, multi_valued=MULTI_VALUED_DIMENSIONS)
    published = build_family(
        frame, PUBLISHED_MIN_N, start=coordinators, multi_valued=MULTI_VALUED_DIMENSIONS
    )
    for computed in (coordinators, published):
        stored = prepared.families[computed.floor]
        assert set(stored.tables) == set(computed.tables)
        for key, table in computed.tables.items():
            assert np.array_equal(stored.tables[key].cells, table.cells)
            assert np.array_equal(stored.tables[key].counts, table.counts)
            assert np.array_equal(stored.tables[key].hidden, table.hidden)
    # the published floor hides something the coordinators see: the test tells them apart
    assert any(
        (published.tables[key].hidden & ~coordinators.tables[key].hidden).any()
        for key in published.tables
    )


@pytest.fixture
def more_pairs(warm_campaign: Any) -> Callable[[], None]:
    """Six more pairs in Ghana, labels the snapshot knows already (so they are folded in)."""

    def add() -> None:
        activity = Activity.objects.get(campaign=warm_campaign, country="GH")
        pre = Round.objects.get(activity=activity, kind=Round.Kind.PRE)
        post = Round.objects.get(activity=activity, kind=Round.Kind.POST)
        for number in range(6):
            for survey_round in (pre, post):
                _answer(survey_round, f"GH{number:02d}XY", before=1, after=5, gender="woman")

    return add


def test_after_a_fold_the_pages_never_show_the_old_prepared_figures(
    warm_campaign: Any, more_pairs: Callable[[], None], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    _fresh_process()
    before = [_page(client, url) for url in _urls(warm_campaign)]
    more_pairs()
    snapshot = analytics_rebuild(campaign_id=warm_campaign.pk)
    assert snapshot is not None
    assert snapshot.folds == 1  # folded in, not rebuilt
    assert prepared_from_bytes(bytes(snapshot.prepared)).head.size == 18
    # the same process, its caches holding the old snapshot, then a fresh one
    after = [_page(client, url) for url in _urls(warm_campaign)]
    _fresh_process()
    assert [_page(client, url) for url in _urls(warm_campaign)] == after
    assert after != before
    assert after == _computed_pages(warm_campaign, client)
