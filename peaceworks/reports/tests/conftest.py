"""Fixtures of the reports tests: the impact tests' campaign, framework and activities, and a
population whose figures have hidden cells (fewer than 10 people) beside shown ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from peaceworks.campaigns.models import Activity
from peaceworks.directory.models import Organisation
from peaceworks.impact.models import Framework
from peaceworks.impact.tests.conftest import campaign, framework, make_activity
from peaceworks.impact.tests.test_analytics import population_build

__all__ = ["campaign", "framework", "make_activity"]


@pytest.fixture
def population(
    framework: Framework,
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    other_organisation: Organisation,
) -> dict[str, Any]:
    """``population_build`` for one test."""
    return population_build(
        campaign=framework.campaign,
        make_activity=make_activity,
        other_organisation=other_organisation,
    )
