"""Fixtures of the web tests: the impact tests' campaign with its framework and activities,
and the meetings tests' network (the home page and the search read every app)."""

from peaceworks.impact.tests.conftest import campaign, framework, make_activity  # noqa: F401
from peaceworks.meetings.tests.conftest import network  # noqa: F401
