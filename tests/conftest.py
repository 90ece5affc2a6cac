"""Hooks and fixtures for the cross-app suites under ``tests/``: browser journeys are skipped,
with one clear line in the report header, when Debian's Chromium is not installed; the API and
hostile-input suites share one small campaign (``campaign``, ``framework``, ``survey_round``: its
five themes, the default framework, one activity with an open post round)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from peaceworks.campaigns.models import Activity, Campaign, Programme, Theme
from peaceworks.directory.models import Organisation
from peaceworks.impact.models import Framework, Round
from peaceworks.impact.services import framework_install_default, round_open
from tests.browser.support import CHROMIUM_MISSING_REASON, chromium_path


def pytest_report_header(config: pytest.Config) -> str:
    path = chromium_path()
    if path is None:
        return f"browser journeys: SKIPPED — {CHROMIUM_MISSING_REASON}"
    return f"browser journeys: Chromium at {path}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_path() is None:
        skip = pytest.mark.skip(reason=CHROMIUM_MISSING_REASON)
        for item in items:
            if item.get_closest_marker("browser") is not None:
                item.add_marker(skip)


@pytest.fixture
def campaign(db: None) -> Campaign:
    return campaign_build()


def campaign_build() -> Campaign:
    """The campaign "rpc" with its five themes."""
    programme = Programme.objects.create(name="Rights", code="rights")
    campaign = Campaign.objects.create(programme=programme, name="Rights Camps", code="rpc")
    for number, code in enumerate(("migrants", "dignity", "gender", "peace", "participation"), 1):
        Theme.objects.create(campaign=campaign, number=number, code=code, name=code.title())
    return campaign


@pytest.fixture
def framework(campaign: Campaign) -> Framework:
    return framework_install_default(actor=None, campaign=campaign)


@pytest.fixture
def survey_round(framework: Framework, campaign: Campaign, organisation: Organisation) -> Round:
    return survey_round_build(campaign=campaign, organisation=organisation)


def survey_round_build(*, campaign: Campaign, organisation: Organisation) -> Round:
    """One activity of ``campaign`` hosted by ``organisation`` (themes 1 and 4), with a post
    round open since yesterday for five more days (the framework installed first)."""
    start = timezone.localdate() - timedelta(days=13)
    activity = Activity.objects.create(
        campaign=campaign,
        host_organisation=organisation,
        code="act-1",
        title="Activity 1",
        activity_type=Activity.Type.WORKCAMP,
        start_date=start,
        end_date=start + timedelta(days=13),
        country="KE",
        international_volunteers=10,
        local_volunteers=5,
    )
    activity.themes.set(Theme.objects.filter(campaign=campaign, number__in=(1, 4)))
    now = timezone.now()
    return round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.POST,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
