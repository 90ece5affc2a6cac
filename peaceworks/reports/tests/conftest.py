"""Fixtures of the reports tests: the impact tests' campaign, framework and activities, and a
population whose figures have hidden cells (fewer than 10 people) beside shown ones."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.directory.models import Organisation
from peaceworks.impact.models import Framework
from peaceworks.impact.services import analytics_rebuild, response_submit
from peaceworks.impact.tests.conftest import campaign, framework, make_activity
from peaceworks.impact.tests.test_analytics import _answer, _rounds

__all__ = ["campaign", "framework", "make_activity"]


def population_build(
    *,
    campaign: Campaign,
    make_activity: Callable[..., Activity],
    other_organisation: Organisation,
) -> dict[str, Any]:
    """Kenya (own organisation): 15 pairs, 3 of them men. Peru (other organisation): 20
    pairs, 10 men. Ghana (other organisation, theme 2): 6 women answering the teamwork item.
    The campaign's framework is installed."""
    kenya = make_activity(country="KE", themes=(1, 4))
    peru = make_activity(country="PE", themes=(1,), host_organisation=other_organisation)
    ghana = make_activity(country="GH", themes=(2,), host_organisation=other_organisation)
    pre, post = _rounds(kenya)
    for number in range(15):
        for survey_round in (pre, post):
            _answer(
                survey_round,
                f"KE{number:02d}XY",
                before=1 + number % 2,
                after=3 + number % 3,
                gender="man" if number < 3 else "woman",
            )
    pre, post = _rounds(peru)
    for number in range(20):
        for survey_round in (pre, post):
            _answer(
                survey_round,
                f"PE{number:02d}XY",
                before=2,
                after=4,
                gender="man" if number < 10 else "woman",
            )
    for survey_round in _rounds(ghana):
        for number in range(6):
            response_submit(
                survey_round=survey_round,
                submission_id=uuid.uuid4(),
                language="en",
                answers={"c_teamwork": 3, "gender": "woman", "fewer_opportunities": ["economic"]},
                matching_code=f"GH{number:02d}XY",
                consent_version=survey_round.instrument.consent_version,
            )
    analytics_rebuild(campaign_id=campaign.pk)
    return {"campaign": campaign, "kenya": kenya, "peru": peru, "ghana": ghana}


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
