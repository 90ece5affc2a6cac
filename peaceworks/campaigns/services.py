"""Writes for campaigns, activities and strategy: atomic, validated, audited.

Every function checks the actor's rights itself (pages, API and imports share these rules)
and raises :class:`~peaceworks.core.errors.DomainError` with the field concerned for bad
input, so forms and the API show a clear message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns.models import (
    Action,
    Activity,
    Campaign,
    Goal,
    InclusionTarget,
    Objective,
    Plan,
    Programme,
    Reflection,
    Theme,
)
from peaceworks.campaigns.selectors import can_update_action
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.directory.models import Organisation

MIN_THEMES = 1
MAX_THEMES = 5


def _clean(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """``full_clean`` that turns Django's ValidationError into a DomainError naming a field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            name, problems = next(iter(error.error_dict.items()))
            message = " ".join(str(message) for problem in problems for message in problem)
            raise DomainError(message, field=None if name == "__all__" else name) from None
        raise DomainError(" ".join(error.messages)) from None


def _require_staff(actor: Any) -> None:
    viewer = viewer_for(actor)
    if not viewer.is_network_staff:
        raise Forbidden


# Programmes, campaigns, themes -------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    name: str,
    code: str,
    description: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> Programme:
    _require_staff(actor)
    programme = Programme(
        name=name, code=code, description=description, start_date=start_date, end_date=end_date
    )
    _clean(programme)
    programme.save()
    audit_record(actor=actor, action="programme.create", target=programme)
    return programme


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    programme: Programme,
    name: str,
    code: str,
    kind: str = Campaign.Kind.CAMPAIGN,
    description: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    lead_organisation: Organisation | None = None,
    partner_organisations: Iterable[Organisation] = (),
) -> Campaign:
    _require_staff(actor)
    campaign = Campaign(
        programme=programme,
        name=name,
        code=code,
        kind=kind,
        description=description,
        start_date=start_date,
        end_date=end_date,
        lead_organisation=lead_organisation,
    )
    _clean(campaign)
    if start_date and end_date and end_date < start_date:
        raise DomainError(_("The end date is before the start date."), field="end_date")
    campaign.save()
    campaign.partner_organisations.set(list(partner_organisations))
    audit_record(actor=actor, action="campaign.create", target=campaign)
    return campaign


@transaction.atomic
def campaign_publish(
    *, actor: Any, campaign: Campaign, is_published: bool, published_summary: str
) -> Campaign:
    """Publish (or withdraw) the public campaign page with its summary."""
    _require_staff(actor)
    if is_published and not published_summary.strip():
        raise DomainError(
            _("Write a summary before publishing the campaign."), field="published_summary"
        )
    campaign.is_published = is_published
    campaign.published_summary = published_summary.strip()
    _clean(campaign)
    campaign.save(update_fields=["is_published", "published_summary", "updated_at"])
    audit_record(
        actor=actor,
        action="campaign.publish" if is_published else "campaign.unpublish",
        target=campaign,
    )
    return campaign


@transaction.atomic
def theme_create(
    *, actor: Any, campaign: Campaign, number: int, code: str, name: str, description: str = ""
) -> Theme:
    _require_staff(actor)
    theme = Theme(campaign=campaign, number=number, code=code, name=name, description=description)
    _clean(theme)
    theme.save()
    audit_record(actor=actor, action="theme.create", target=theme)
    return theme


@transaction.atomic
def inclusion_target_set(
    *, actor: Any, campaign: Campaign, year: int, share_fewer_opportunities: Decimal
) -> InclusionTarget:
    """Create or change a project's inclusion target for one year."""
    _require_staff(actor)
    target = InclusionTarget.objects.filter(campaign=campaign, year=year).first()
    if target is None:
        target = InclusionTarget(campaign=campaign, year=year)
    target.share_fewer_opportunities = share_fewer_opportunities
    _clean(target)
    target.save()
    audit_record(
        actor=actor,
        action="inclusion_target.set",
        target=target,
        changes={"year": year, "share": share_fewer_opportunities},
    )
    return target


# Activities --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityData:
    """Everything an activity is registered with (pages, API and imports build one)."""

    code: str
    title: str
    activity_type: str
    start_date: date
    end_date: date
    country: str
    theme_ids: tuple[int, ...]
    status: str = Activity.Status.PLANNED
    place: str = ""
    language: str = "en"
    co_organiser_ids: tuple[int, ...] = ()
    international_volunteers: int = 0
    local_volunteers: int = 0
    local_participants: int = 0
    hours_per_day: Decimal | None = None
    fewer_opportunities_total: int = 0
    fo_disability: int = 0
    fo_health: int = 0
    fo_education: int = 0
    fo_cultural: int = 0
    fo_social: int = 0
    fo_economic: int = 0
    fo_discrimination: int = 0
    fo_geographical: int = 0

    @classmethod
    def from_activity(cls, activity: Activity) -> ActivityData:
        values = {
            spec.name: getattr(activity, spec.name)
            for spec in fields(cls)
            if spec.name not in {"theme_ids", "co_organiser_ids"}
        }
        return cls(
            **values,
            theme_ids=tuple(theme.pk for theme in activity.themes.all()),
            co_organiser_ids=tuple(org.pk for org in activity.co_organisers.all()),
        )

    def with_changes(self, **changes: Any) -> ActivityData:
        return replace(self, **changes)


_SCALARS = tuple(
    spec.name for spec in fields(ActivityData) if spec.name not in {"theme_ids", "co_organiser_ids"}
)


def activity_check_themes(*, campaign: Campaign, theme_ids: Iterable[int]) -> list[Theme]:
    """The themes, or DomainError(field="themes") unless 1-5 themes of the campaign."""
    wanted = set(theme_ids)
    if not MIN_THEMES <= len(wanted) <= MAX_THEMES:
        raise DomainError(
            _("Choose between %(min)s and %(max)s themes of the campaign.")
            % {"min": MIN_THEMES, "max": MAX_THEMES},
            field="themes",
        )
    themes = list(Theme.objects.filter(campaign=campaign, pk__in=wanted))
    if len(themes) != len(wanted):
        raise DomainError(
            _("Every theme must belong to the campaign %(campaign)s.") % {"campaign": campaign},
            field="themes",
        )
    return themes


def _fill(activity: Activity, data: ActivityData) -> None:
    for name in _SCALARS:
        setattr(activity, name, getattr(data, name))
    activity.country = data.country.upper()
    # Workcamps without hours get the network's default, flagged so reports can say so.
    if data.hours_per_day is None and data.activity_type == Activity.Type.WORKCAMP:
        activity.hours_per_day = Decimal(Activity.DEFAULT_WORKCAMP_HOURS)
        activity.hours_per_day_defaulted = True
    else:
        activity.hours_per_day_defaulted = False


def _validate(activity: Activity, data: ActivityData) -> tuple[list[Theme], list[Organisation]]:
    themes = activity_check_themes(campaign=activity.campaign, theme_ids=data.theme_ids)
    co_organisers = list(Organisation.objects.filter(pk__in=set(data.co_organiser_ids)))
    if len(co_organisers) != len(set(data.co_organiser_ids)):
        raise DomainError(_("A co-organiser does not exist."), field="co_organisers")
    if activity.host_organisation_id in data.co_organiser_ids:
        raise DomainError(
            _("The hosting organisation cannot also be a co-organiser."), field="co_organisers"
        )
    _clean(activity)
    return themes, co_organisers


def activity_validate(*, activity: Activity, data: ActivityData) -> None:
    """Apply ``data`` to an unsaved copy of ``activity`` and validate it, without saving
    (imports use it for their previews); raises DomainError naming the field."""
    _fill(activity, data)
    _validate(activity, data)


def activity_prepare(
    *, actor: Any, campaign: Campaign, host_organisation: Organisation, data: ActivityData
) -> tuple[Activity, list[Theme], list[Organisation]]:
    """Build and validate a new activity without saving (used by imports' previews)."""
    viewer_for(actor).require_org(host_organisation.pk, write=True)
    activity = Activity(campaign=campaign, host_organisation=host_organisation)
    _fill(activity, data)
    themes, co_organisers = _validate(activity, data)
    return activity, themes, co_organisers


@transaction.atomic
def activity_create(
    *, actor: Any, campaign: Campaign, host_organisation: Organisation, data: ActivityData
) -> Activity:
    """Register an activity for ``host_organisation``.

    Raises NotFound/Forbidden unless the actor is network staff or a coordinator of the
    hosting organisation, and DomainError (with a field) for invalid data: 1-5 themes of the
    campaign, dates in order, counts consistent. Workcamps without hours per day get 6,
    flagged as defaulted.
    """
    activity, themes, co_organisers = activity_prepare(
        actor=actor, campaign=campaign, host_organisation=host_organisation, data=data
    )
    activity.save()
    activity.themes.set(themes)
    activity.co_organisers.set(co_organisers)
    audit_record(actor=actor, action="activity.create", target=activity)
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, data: ActivityData) -> Activity:
    """Change an activity (same rights and rules as :func:`activity_create`)."""
    viewer_for(actor).require_org(activity.host_organisation_id, write=True)
    before = {name: getattr(activity, name) for name in _SCALARS}
    _fill(activity, data)
    themes, co_organisers = _validate(activity, data)
    activity.save()
    activity.themes.set(themes)
    activity.co_organisers.set(co_organisers)
    changes = {
        name: [before[name], getattr(activity, name)]
        for name in _SCALARS
        if before[name] != getattr(activity, name)
    }
    audit_record(actor=actor, action="activity.update", target=activity, changes=changes)
    return activity


# Strategy ----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, actor: Any, campaign: Campaign, title: str, start_year: int, end_year: int
) -> Plan:
    _require_staff(actor)
    plan = Plan(campaign=campaign, title=title, start_year=start_year, end_year=end_year)
    _clean(plan)
    plan.save()
    audit_record(actor=actor, action="plan.create", target=plan)
    return plan


@transaction.atomic
def reflection_add(
    *, actor: Any, plan: Plan, kind: str, text: str, source_reference: str = ""
) -> Reflection:
    _require_staff(actor)
    reflection = Reflection(plan=plan, kind=kind, text=text, source_reference=source_reference)
    _clean(reflection)
    reflection.save()
    audit_record(actor=actor, action="reflection.add", target=reflection)
    return reflection


@transaction.atomic
def goal_create(*, actor: Any, plan: Plan, number: int, title: str, description: str = "") -> Goal:
    _require_staff(actor)
    goal = Goal(plan=plan, number=number, title=title, description=description)
    _clean(goal)
    goal.save()
    audit_record(actor=actor, action="goal.create", target=goal)
    return goal


@transaction.atomic
def objective_create(*, actor: Any, goal: Goal, number: int, title: str) -> Objective:
    _require_staff(actor)
    objective = Objective(goal=goal, number=number, title=title)
    _clean(objective)
    objective.save()
    audit_record(actor=actor, action="objective.create", target=objective)
    return objective


@transaction.atomic
def action_create(
    *,
    actor: Any,
    objective: Objective,
    title: str,
    start_date: date,
    due_date: date,
    owner_organisation: Organisation | None = None,
    owner_user: Any = None,
    status: str = Action.Status.NOT_STARTED,
    progress: int = 0,
    indicator: str = "",
    target: Decimal | None = None,
) -> Action:
    _require_staff(actor)
    if owner_organisation is None and owner_user is None:
        raise DomainError(
            _("Give the action an owner organisation or an owner."), field="owner_organisation"
        )
    action = Action(
        objective=objective,
        title=title,
        start_date=start_date,
        due_date=due_date,
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        status=status,
        progress=progress,
        indicator=indicator,
        target=target,
    )
    _clean(action)
    action.save()
    audit_record(actor=actor, action="action.create", target=action)
    return action


@transaction.atomic
def action_progress_update(*, actor: Any, action: Action, progress: int, status: str) -> Action:
    """Record an action's progress and status (owners, their coordinators, network staff).

    Reaching 100 % with an open status marks the action done.
    """
    if not can_update_action(viewer_for(actor), action):
        raise Forbidden
    if not 0 <= progress <= 100:
        raise DomainError(_("Progress is a percentage between 0 and 100."), field="progress")
    if status not in Action.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    before = {"progress": action.progress, "status": action.status}
    if progress == 100 and status in {Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS}:
        status = Action.Status.DONE
    action.progress = progress
    action.status = status
    _clean(action)
    action.save(update_fields=["progress", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="action.progress",
        target=action,
        changes={"before": before, "after": {"progress": progress, "status": status}},
    )
    return action
