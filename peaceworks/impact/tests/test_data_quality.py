"""Data-quality figures on generated data whose true rates are known: the response rate is
post answers per registered volunteer, the pairing rate the share of post respondents who also
answered before, and counts that cannot be true are named, never printed above 100 %."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peaceworks.accounts.access import viewer_for
from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.impact import demo
from peaceworks.impact.figures.selectors import quality_rows
from peaceworks.impact.models import Framework, Round
from peaceworks.impact.selectors import bounded_rate, round_stats_for_activity
from peaceworks.impact.services import respondent_withdraw, response_submit, round_open

PROBLEM = "More responses than registered volunteers"


def _rounds(activity: Activity) -> tuple[Round, Round]:
    now = timezone.now()
    return tuple(  # type: ignore[return-value]
        round_open(
            actor=None,
            activity=activity,
            kind=kind,
            opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=5),
        )
        for kind in (Round.Kind.PRE, Round.Kind.POST)
    )


def _answer(survey_round: Round, code: str) -> None:
    response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers={"t1_knowledge": 3},
        matching_code=code,
        consent_version=survey_round.instrument.consent_version,
    )


def _generate(
    activity: Activity, *, pre_only: int, paired: int, post_only: int, withdrawn: int = 0
) -> None:
    """Respondents answering the pre round only, both rounds, the post round only; the
    ``withdrawn`` last of the pairs withdraw afterwards (they leave every count)."""
    pre, post = _rounds(activity)
    codes = iter(f"Q{activity.pk:02d}{number:03d}X" for number in range(1000))
    for _ in range(pre_only):
        _answer(pre, next(codes))
    pairs = [next(codes) for _ in range(paired + withdrawn)]
    for code in pairs:
        _answer(pre, code)
        _answer(post, code)
    for _ in range(post_only):
        _answer(post, next(codes))
    for code in pairs[paired:]:
        respondent_withdraw(activity=activity, matching_code=code)


def test_bounded_rate_is_a_share_or_nothing() -> None:
    assert bounded_rate(3, 4) == 0.75
    assert bounded_rate(4, 4) == 1
    assert bounded_rate(0, 0) is None
    assert bounded_rate(5, 4) is None


def test_quality_figures_match_the_true_rates_and_name_impossible_counts(
    framework: Framework,
    make_activity: Callable[..., Activity],
    network_coordinator: User,
    client_for: Callable[[User | None], Client],
) -> None:
    # 20 volunteers: 6 pre only, 8 pairs, 2 post only, 3 pairs who withdrew -> 10 post
    # answers (50 %), 8 of 10 post respondents paired (80 %)
    ordinary = make_activity(title="Ordinary camp", international_volunteers=15, local_volunteers=5)
    _generate(ordinary, pre_only=6, paired=8, post_only=2, withdrawn=3)
    # 4 volunteers registered, 9 post answers (a group that was never registered in full)
    overfull = make_activity(title="Overfull camp", international_volunteers=3, local_volunteers=1)
    _generate(overfull, pre_only=0, paired=3, post_only=6)
    # nobody registered: no rate at all
    unregistered = make_activity(
        title="Unregistered", international_volunteers=0, local_volunteers=0
    )
    _generate(unregistered, pre_only=1, paired=1, post_only=0)

    rows = {
        row.activity.pk: row
        for row in quality_rows(campaign=framework.campaign, viewer=viewer_for(network_coordinator))
    }
    first = rows[ordinary.pk]
    assert (first.invited, first.pre, first.post, first.with_post, first.paired) == (
        20,
        14,
        10,
        10,
        8,
    )
    assert first.response_rate == 50
    assert first.pairing_rate == 80
    assert first.rate_problem is None
    second = rows[overfull.pk]
    assert (second.invited, second.post, second.paired, second.with_post) == (4, 9, 3, 9)
    assert second.response_rate is None
    assert second.rate_problem == PROBLEM
    assert round(second.pairing_rate or 0) == 33
    third = rows[unregistered.pk]
    assert third.response_rate is None
    assert third.rate_problem is None
    assert third.pairing_rate == 100

    page = client_for(network_coordinator).get(
        reverse("impact:dashboard_quality", args=[framework.campaign_id])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "50 %" in html
    assert "80 %" in html
    assert "33 %" in html
    assert html.count(PROBLEM) == 1
    assert "225 %" not in html
    assert all(int(figure) <= 100 for figure in re.findall(r"(\d+) %", html))


def test_rounds_page_names_more_responses_than_volunteers_instead_of_a_rate(
    framework: Framework,
    make_activity: Callable[..., Activity],
    org_coordinator: User,
    client_for: Callable[[User | None], Client],
) -> None:
    activity = make_activity(international_volunteers=2, local_volunteers=0)
    _generate(activity, pre_only=0, paired=1, post_only=4)
    stats = {item.round.kind: item for item in round_stats_for_activity(activity=activity)}
    assert stats[Round.Kind.POST].response_rate is None
    assert stats[Round.Kind.POST].rate_problem == PROBLEM
    assert stats[Round.Kind.PRE].response_rate == 0.5
    assert stats[Round.Kind.POST].pairing_rate == 0.2
    page = client_for(org_coordinator).get(reverse("impact:activity_rounds", args=[activity.pk]))
    html = page.content.decode()
    assert PROBLEM in html
    assert "250 %" not in html
    assert all(int(figure) <= 100 for figure in re.findall(r"(\d+) %", html))


def test_demo_rates_stay_shares_when_activities_have_many_local_participants(
    campaign: Campaign, make_activity: Callable[..., Activity], network_coordinator: User
) -> None:
    """The demo once sent the volunteer surveys to local participants too (up to 2,700 %)."""
    today = timezone.localdate()
    for number in range(6):
        start = today - timedelta(days=60 + number)
        make_activity(
            days=14,
            start_date=start,
            end_date=start + timedelta(days=13),
            international_volunteers=2,
            local_volunteers=1,
            local_participants=60,
        )
    demo.seed(random.Random(3))
    rows = quality_rows(campaign=campaign, viewer=viewer_for(network_coordinator))
    assert rows
    for row in rows:
        assert row.post <= row.invited
        assert row.rate_problem is None
    for activity in Activity.objects.filter(campaign=campaign):
        for item in round_stats_for_activity(activity=activity):
            assert item.rate_problem is None
