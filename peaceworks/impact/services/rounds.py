"""Opening survey rounds for an activity, with the design rule as the default."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor
from peaceworks.campaigns.models import Activity
from peaceworks.campaigns.selectors import Purpose, activity_check
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.core.records import validate
from peaceworks.impact.models import Framework, Instrument, Round

#: activities at least this long get a pre survey; shorter ones a retrospective block
PRE_POST_MIN_DAYS = 7

ROLE_FOR_KIND = {
    Round.Kind.PRE: Instrument.Role.V_PRE,
    Round.Kind.POST: Instrument.Role.V_POST,
    Round.Kind.FOLLOW_UP: Instrument.Role.V_FU,
    Round.Kind.PARTNER: Instrument.Role.P_POST,
}


def design_rule(activity: Activity) -> list[tuple[str, bool]]:
    """The rounds an activity gets by default: ``(kind, uses_retrospective)`` pairs.

    7+ days → pre and post; 1-6 days → post with the retrospective block; partner form
    post only, always.
    """
    if activity.duration_days >= PRE_POST_MIN_DAYS:
        return [(Round.Kind.PRE, False), (Round.Kind.POST, False), (Round.Kind.PARTNER, False)]
    return [(Round.Kind.POST, True), (Round.Kind.PARTNER, False)]


def default_window(activity: Activity, kind: str) -> tuple[datetime, datetime]:
    """When a round of ``kind`` is open by default, around the activity's dates."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(activity.start_date, time.min, tzinfo=tz)
    end = datetime.combine(activity.end_date, time.max, tzinfo=tz)
    if kind == Round.Kind.PRE:
        return start - timedelta(days=14), start + timedelta(days=2)
    if kind == Round.Kind.FOLLOW_UP:
        return end + timedelta(days=90), end + timedelta(days=180)
    return end - timedelta(days=1), end + timedelta(days=21)


def _instrument_for(activity: Activity, kind: str) -> Instrument:
    instrument = (
        Instrument.objects.filter(
            framework__campaign_id=activity.campaign_id,
            role=ROLE_FOR_KIND[Round.Kind(kind)],
            status=Instrument.Status.PUBLISHED,
        )
        .order_by("-version")
        .first()
    )
    if instrument is not None:
        return instrument
    if not Framework.objects.filter(campaign_id=activity.campaign_id).exists():
        raise DomainError(
            _("The campaign of this activity has no indicator framework yet; install one first.")
        )
    raise DomainError(_("No published instrument exists for this kind of round."))


#: the constraints of Round that :func:`round_open` checks before it validates the round:
#: one round of a kind per activity, closing after it opens
ROUND_CHECKED = frozenset({"impact_round_kind", "impact_round_dates_ordered"})


@transaction.atomic
def round_open(
    *,
    actor: Actor,
    activity: Activity,
    kind: str,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    uses_retrospective: bool | None = None,
    instrument: Instrument | None = None,
    omitted_questions: list[str] | None = None,
) -> Round:
    """Open a round of ``kind`` for ``activity`` with the latest published instrument.

    Raises DomainError when the activity already has such a round, when the campaign has no
    framework, or when the dates are out of order.
    """
    activity_check(user=actor, activity=activity, purpose=Purpose.WRITE)
    if kind not in Round.Kind.values:
        raise DomainError(_("Unknown kind of round."), field="kind")
    if Round.objects.filter(activity=activity, kind=kind).exists():
        raise DomainError(_("This activity already has a round of this kind."), field="kind")
    instrument = instrument or _instrument_for(activity, kind)
    default_opens, default_closes = default_window(activity, kind)
    if uses_retrospective is None:
        uses_retrospective = kind == Round.Kind.POST and activity.duration_days < PRE_POST_MIN_DAYS
    survey_round = Round(
        activity=activity,
        instrument=instrument,
        kind=kind,
        opens_at=opens_at or default_opens,
        closes_at=closes_at or default_closes,
        token=secrets.token_urlsafe(12),
        uses_retrospective=uses_retrospective and kind == Round.Kind.POST,
        omitted_questions=sorted(set(omitted_questions or [])),
    )
    unknown = set(survey_round.omitted_questions) - {Round.NO_SENSITIVE_ITEMS}
    if unknown:
        unknown -= set(instrument.questions.values_list("code", flat=True))
    if unknown:
        raise DomainError(
            _("This instrument has no question %(code)s.") % {"code": ", ".join(sorted(unknown))},
            field="omitted_questions",
        )
    if survey_round.closes_at <= survey_round.opens_at:
        raise DomainError(_("A round must close after it opens."), field="closes_at")
    validate(survey_round, checked=ROUND_CHECKED)
    survey_round.save()
    audit_record(
        actor=actor,
        action="impact.round_open",
        target=survey_round,
        changes={
            "kind": kind,
            "instrument": instrument.pk,
            "retrospective": uses_retrospective,
            "omitted": survey_round.omitted_questions,
        },
    )
    return survey_round


@transaction.atomic
def rounds_open_default(*, actor: Actor, activity: Activity) -> list[Round]:
    """Open the rounds the design rule gives ``activity``; kinds it already has are kept."""
    activity_check(user=actor, activity=activity, purpose=Purpose.WRITE)
    opened = []
    for kind, retrospective in design_rule(activity):
        if Round.objects.filter(activity=activity, kind=kind).exists():
            continue
        opened.append(
            round_open(actor=actor, activity=activity, kind=kind, uses_retrospective=retrospective)
        )
    return opened


@transaction.atomic
def round_update_dates(
    *, actor: Actor, survey_round: Round, opens_at: datetime, closes_at: datetime
) -> Round:
    activity_check(user=actor, activity=survey_round.activity, purpose=Purpose.WRITE)
    if closes_at <= opens_at:
        raise DomainError(_("A round must close after it opens."), field="closes_at")
    survey_round.opens_at = opens_at
    survey_round.closes_at = closes_at
    survey_round.full_clean()
    survey_round.save(update_fields=["opens_at", "closes_at", "updated_at"])
    audit_record(
        actor=actor,
        action="impact.round_update_dates",
        target=survey_round,
        changes={"opens_at": opens_at, "closes_at": closes_at},
    )
    return survey_round
