"""An organisation's figures beside the network's, where the rest of the network is a small group
(a campaign of its own: the analytics tests share theirs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from peaceworks.campaigns.models import Activity
from peaceworks.directory.models import Organisation
from peaceworks.impact.models import Framework
from peaceworks.impact.services import analytics_rebuild
from peaceworks.impact.tests.test_analytics import _answer, _rounds


@pytest.mark.parametrize("persona", ["network_coordinator", "org_coordinator"])
def test_organisation_figures_hide_when_the_rest_of_the_network_is_a_small_group(
    framework: Framework,
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    other_organisation: Organisation,
    client_for: Any,
    persona: str,
    request: Any,
) -> None:
    """12 pairs of one's own and 3 of another organisation: the network's 15 less one's own 12
    would be the other organisation's 3, so one's own figures are hidden beside the network's."""
    own = make_activity(country="KE")
    other = make_activity(country="GH", host_organisation=other_organisation)
    for activity, size in ((own, 12), (other, 3)):
        for survey_round in _rounds(activity):
            for number in range(size):
                _answer(survey_round, f"AB{number:02d}CD", before=2, after=4, gender="woman")
    analytics_rebuild(campaign_id=framework.campaign_id)
    url = reverse("impact:dashboard_organisation", args=[framework.campaign_id, organisation.pk])
    page = client_for(request.getfixturevalue(persona)).get(url).content.decode()
    assert ">15<" in page
    assert ">12<" not in page
    assert "Hidden: too few answers" in page
