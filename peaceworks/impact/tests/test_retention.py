"""Withdrawn respondents are erased, with their responses, once the grace period is over."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from peaceworks.impact.models import Respondent, Response, Round
from peaceworks.impact.services import respondent_withdraw
from peaceworks.impact.tests.test_services import submit


def test_withdrawn_respondent_is_purged_after_the_grace_period(post_round: Round) -> None:
    submit(post_round)
    submit(post_round, matching_code="ZZ12QQ")
    respondent_withdraw(activity=post_round.activity, matching_code="ma-07 ly")
    out = StringIO()
    call_command("retention", stdout=out)
    assert "impact.withdrawn_respondents: purged 0" in out.getvalue()  # still in grace
    assert Respondent.objects.count() == 2
    Respondent.objects.exclude(withdrawn_at=None).update(
        withdrawn_at=timezone.now() - timedelta(days=400)
    )
    call_command("retention", stdout=out)
    assert "impact.withdrawn_respondents: purged 1" in out.getvalue()
    assert Respondent.objects.count() == 1
    assert Response.objects.count() == 1
