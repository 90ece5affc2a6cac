"""Fixtures of the web tests: the impact tests' campaign with its framework and activities,
and the meetings tests' network (the home page and the search read every app)."""

from collections.abc import Callable
from datetime import date

import pytest

from peaceworks.campaigns.models import Activity
from peaceworks.impact.tests.conftest import campaign, framework, make_activity  # noqa: F401
from peaceworks.meetings.tests.conftest import network  # noqa: F401
from peaceworks.web.tests.needs import TODAY, Needs, build_needs


@pytest.fixture
def needs_on(
    network_coordinator,
    org_coordinator,
    org_member,
    outsider,
    organisation,
    other_organisation,
    campaign,  # noqa: F811  # the impact tests' fixture, imported above
    framework,  # noqa: F811
    make_activity,  # noqa: F811
) -> Callable[[date], Needs]:
    """``needs_on(day)``: :func:`build_needs` on ``day``, with an activity of the
    organisation and a planned one of another organisation."""

    def build(day: date) -> Needs:
        return build_needs(
            today=day,
            coordinator=network_coordinator,
            org_coordinator=org_coordinator,
            organisation=organisation,
            campaign=campaign,
            own_activity=make_activity(title="Workcamp by the river"),
            other_activity=make_activity(
                host_organisation=other_organisation,
                title="Planned camp of another organisation",
                status=Activity.Status.PLANNED,
            ),
        )

    return build


@pytest.fixture
def needs(needs_on: Callable[[date], Needs]) -> Needs:
    """The needs on :data:`TODAY`."""
    return needs_on(TODAY)
