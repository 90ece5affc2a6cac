"""``round_get_public`` reads the round, its instrument, its activity and the activity's
theme ids in one statement; routing then reads no themes of its own."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from peaceworks.campaigns.models import Theme
from peaceworks.impact.models import Round
from peaceworks.impact.selectors import activity_theme_ids, round_get_public
from peaceworks.impact.services.responses import round_routing


def test_the_public_round_carries_its_activitys_themes_in_order(post_round: Round) -> None:
    activity = post_round.activity
    themes = list(Theme.objects.filter(campaign=activity.campaign).order_by("-pk")[:3])
    assert len(themes) >= 2
    activity.themes.set(themes)
    expected = sorted(theme.pk for theme in themes)
    # the published instrument's questions are read once per process
    round_routing(round_get_public(token=post_round.token), sensitive_consent=False)
    with CaptureQueriesContext(connection) as queries:
        survey_round = round_get_public(token=post_round.token)
        read = activity_theme_ids(survey_round.activity)
        round_routing(survey_round, sensitive_consent=False)
    assert read == expected
    assert len(queries) == 1
    # an activity read elsewhere still gets its themes by a plain read
    assert activity_theme_ids(activity) == expected


def test_an_activity_without_themes_has_none(post_round: Round) -> None:
    post_round.activity.themes.clear()
    survey_round = round_get_public(token=post_round.token)
    assert activity_theme_ids(survey_round.activity) == []
