from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.impact import demo
from peaceworks.impact.models import Framework, Respondent, Response, Round


def test_demo_does_nothing_without_the_campaign(db: None) -> None:
    assert demo.seed(random.Random(1)).responses == 0
    assert not Framework.objects.exists()


def test_demo_fills_rounds_with_realistic_rates_and_is_idempotent(
    campaign: Campaign, make_activity: Callable[..., Activity]
) -> None:
    today = timezone.localdate()
    for number in range(12):
        days = 14 if number % 3 else 4
        start = today - timedelta(days=60 + number)
        make_activity(
            days=days,
            themes=(1 + number % 5, 1 + (number + 2) % 5),
            start_date=start,
            end_date=start + timedelta(days=days - 1),
            international_volunteers=14,
            local_volunteers=4,
        )
    result = demo.seed(random.Random(7))
    assert result.responses > 150
    volunteers = 12 * 18
    pre = Response.objects.filter(round__kind=Round.Kind.PRE).count()
    post = Response.objects.filter(round__kind=Round.Kind.POST).count()
    long_volunteers = 8 * 18
    assert 0.25 < pre / long_volunteers < 0.65
    assert 0.55 < post / volunteers < 0.95
    paired = (
        Respondent.objects.annotate(
            pre=Count("responses", filter=Q(responses__round__kind="pre")),
            post=Count("responses", filter=Q(responses__round__kind="post")),
        )
        .filter(pre__gt=0, post__gt=0)
        .count()
    )
    assert 0.3 < paired / post < 0.8
    # modules of themes an activity lacks are never answered
    for response in Response.objects.select_related("round__activity")[:200]:
        numbers = {t.number for t in response.round.activity.themes.all()}
        for code in response.answers:
            if code.startswith("t") and code[1].isdigit():
                assert int(code[1]) in numbers
    again = demo.seed(random.Random(7))
    assert again.responses == 0
    assert Response.objects.count() == result.responses
