"""The refresh draws the overview's charts: a fresh process's first overview draws none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from peaceworks.core import charts
from peaceworks.directory import maps
from peaceworks.impact.figures.overview import overview_charts_draw
from peaceworks.impact.models import AnalyticsSnapshot
from peaceworks.impact.tasks import analytics_refresh
from peaceworks.impact.tests.test_dashboard_warm_up import _page
from peaceworks.impact.tests.test_prepared_figures import _fresh_process, more_pairs, warm_campaign

__all__ = ["more_pairs", "warm_campaign"]  # the fixtures

LANGUAGES = [code for code, _name in settings.LANGUAGES]
#: the change chart's title in each language: the chart drawn for the reader's language
TITLES = {"en": "Change per theme", "fr": "Changement par thème", "es": "Cambio por tema"}


@pytest.fixture
def no_chart_cache() -> Iterator[None]:
    caches[charts.CACHE_ALIAS].clear()
    yield
    caches[charts.CACHE_ALIAS].clear()


@contextmanager
def engine_stopped() -> Iterator[None]:
    """Any drawing fails: a page shows only charts drawn before."""

    def draw(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the page drew a chart")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "draw_svg", draw)
        patch.setattr(maps, "draw_svg", draw)
        yield


def _overviews(client: Any, campaign: Any) -> dict[str, str]:
    """The overview in every language, as a fresh process serves it."""
    _fresh_process()
    url = reverse("impact:dashboard", args=[campaign.pk])
    pages = {}
    for language in LANGUAGES:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = _page(client, url)
    return pages


def _computed(client: Any, campaign: Any) -> dict[str, str]:
    """The overviews of a process that draws its charts and computes its figures."""
    caches[charts.CACHE_ALIAS].clear()
    AnalyticsSnapshot.objects.filter(campaign=campaign).update(prepared=b"")
    return _overviews(client, campaign)


def test_after_a_refresh_the_first_overview_draws_no_chart(
    warm_campaign: Any, network_coordinator: Any, client_for: Any, no_chart_cache: None
) -> None:
    client = client_for(network_coordinator)
    assert analytics_refresh.call(warm_campaign.pk)
    with engine_stopped():
        prepared = _overviews(client, warm_campaign)
    for language, page in prepared.items():
        assert TITLES[language] in page  # the chart of the reader's language
    assert prepared == _computed(client, warm_campaign)


def test_the_refresh_draws_each_language_at_both_floors(
    warm_campaign: Any, no_chart_cache: None
) -> None:
    # the change per theme at two floors and the two maps, in three languages
    assert overview_charts_draw(campaign_id=warm_campaign.pk) == len(LANGUAGES) * 4


def test_after_a_fold_the_first_overview_shows_the_new_charts(
    warm_campaign: Any,
    more_pairs: Callable[[], None],
    network_coordinator: Any,
    client_for: Any,
    no_chart_cache: None,
) -> None:
    client = client_for(network_coordinator)
    assert analytics_refresh.call(warm_campaign.pk)
    with engine_stopped():
        before = _overviews(client, warm_campaign)
    more_pairs()
    assert analytics_refresh.call(warm_campaign.pk)
    assert AnalyticsSnapshot.objects.get(campaign=warm_campaign).respondents == 18  # folded in
    with engine_stopped():
        after = _overviews(client, warm_campaign)
    for language in LANGUAGES:
        assert after[language] != before[language]
    assert after == _computed(client, warm_campaign)
