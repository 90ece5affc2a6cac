"""The figures stored with the snapshot serve a fresh process exactly as computing them would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
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
from peaceworks.impact.figures.prepared import (
    PAGE_GROUPINGS,
    prepared_from_bytes,
    prepared_to_bytes,
)
from peaceworks.impact.models import AnalyticsSnapshot, Framework, Indicator, Round
from peaceworks.impact.services import analytics_rebuild, indicator_save
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


def _values(client: Any, campaign: Any, code: str) -> list[dict[str, Any]]:
    url = f"/api/v1/impact/indicators/{code}/values?campaign={campaign.code}&by=country"
    response = client.get(url)
    assert response.status_code == 200
    return [
        {name: value for name, value in cell.items() if name != "indicator"}
        for cell in response.json()["cells"]
    ]


def test_a_request_on_a_read_snapshot_makes_one_query_and_builds_no_indicator_map(
    warm_campaign: Any, django_assert_num_queries: Any
) -> None:
    _fresh_process()
    selectors.snapshot_view(campaign=warm_campaign)  # the process reads the snapshot once
    with django_assert_num_queries(1):  # the row, to see whether it was refreshed since
        view = selectors.snapshot_view(campaign=warm_campaign)
    assert view.engine_name["i1_knowledge"] == "t1_knowledge"


def test_the_figures_use_the_indicator_map_stored_with_their_snapshot_until_the_next_refresh(
    warm_campaign: Any, network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    teamwork = _values(client, warm_campaign, "ic_teamwork")
    assert teamwork
    framework = Framework.objects.get(campaign=warm_campaign)
    indicator_save(
        actor=network_coordinator,
        framework=framework,
        code="i_extra",
        name={"en": "Extra"},
        kind=Indicator.Kind.OUTCOME,
        aggregation=Indicator.Aggregation.MEAN_CHANGE,
        source_questions=["c_teamwork"],
    )
    # the snapshot was built before the indicator: every host shows it from the next refresh
    assert _values(client, warm_campaign, "i_extra") == []
    _fresh_process()
    assert _values(client, warm_campaign, "i_extra") == []
    assert analytics_rebuild(campaign_id=warm_campaign.pk) is not None
    assert _values(client, warm_campaign, "i_extra") == teamwork


def test_prepared_figures_stored_before_the_indicator_map_was_kept_are_read_as_before(
    warm_campaign: Any, network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    _fresh_process()
    pages = [_page(client, url) for url in _urls(warm_campaign)]
    values = _values(client, warm_campaign, "i1_knowledge")
    snapshot = AnalyticsSnapshot.objects.get(campaign=warm_campaign)
    stored = prepared_from_bytes(bytes(snapshot.prepared))
    assert stored.engine_name is not None
    assert stored.engine_name["i1_knowledge"] == "t1_knowledge"
    older = prepared_to_bytes(replace(stored, engine_name=None))
    AnalyticsSnapshot.objects.filter(pk=snapshot.pk).update(prepared=older)
    assert prepared_from_bytes(older).engine_name is None
    _fresh_process()
    assert [_page(client, url) for url in _urls(warm_campaign)] == pages
    assert _values(client, warm_campaign, "i1_knowledge") == values
