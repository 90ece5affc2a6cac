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
from peaceworks.accounts.models import Membership
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
#
# Network staff write the strategy (plans, reflections, goals, objectives, actions); owners of
# an action and coordinators of its owner organisation only record its progress. Callers fetch
# the objects through the access functions first (404 for outsiders, 403 for readers); these
# services check again that the actor is network staff.


def _apply(
    instance: models.Model, *, actor: Any, action: str, values: dict[str, Any]
) -> dict[str, list[Any]]:
    """Set ``values`` on an existing row, validate, save those fields and audit the change."""
    before = {name: getattr(instance, name) for name in values}
    for name, value in values.items():
        setattr(instance, name, value)
    _clean(instance)
    instance.save(update_fields=[*values, "updated_at"])
    changes = {
        name: [before[name], value] for name, value in values.items() if before[name] != value
    }
    audit_record(actor=actor, action=action, target=instance, changes=changes)
    return changes


@transaction.atomic
def plan_create(
    *, actor: Any, campaign: Campaign, title: str, start_year: int, end_year: int
) -> Plan:
    """Start a strategy plan of ``campaign`` for the years ``start_year``-``end_year``."""
    _require_staff(actor)
    plan = Plan(campaign=campaign, title=title, start_year=start_year, end_year=end_year)
    _clean(plan)
    plan.save()
    audit_record(actor=actor, action="plan.create", target=plan)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: Plan,
    title: str,
    start_year: int,
    end_year: int,
    is_published: bool,
) -> Plan:
    """Change a plan's title, period and publication (network staff); DomainError naming the
    field for bad input, e.g. a last year before the first."""
    _require_staff(actor)
    if end_year < start_year:
        raise DomainError(_("The last year is before the first year."), field="end_year")
    _apply(
        plan,
        actor=actor,
        action="plan.update",
        values={
            "title": title,
            "start_year": start_year,
            "end_year": end_year,
            "is_published": is_published,
        },
    )
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
def reflection_update(
    *, actor: Any, reflection: Reflection, kind: str, text: str, source_reference: str = ""
) -> Reflection:
    _require_staff(actor)
    _apply(
        reflection,
        actor=actor,
        action="reflection.update",
        values={"kind": kind, "text": text, "source_reference": source_reference},
    )
    return reflection


@transaction.atomic
def reflection_delete(*, actor: Any, reflection: Reflection) -> None:
    _require_staff(actor)
    audit_record(actor=actor, action="reflection.delete", target=reflection)
    reflection.delete()


def _next_number(numbers: Iterable[int]) -> int:
    return max(numbers, default=0) + 1


def _check_goal_number(goal: Goal, number: int) -> None:
    if Goal.objects.filter(plan_id=goal.plan_id, number=number).exclude(pk=goal.pk).exists():
        raise DomainError(
            _("The plan already has a goal number %(number)s.") % {"number": number},
            field="number",
        )


@transaction.atomic
def goal_create(
    *, actor: Any, plan: Plan, title: str, number: int | None = None, description: str = ""
) -> Goal:
    """Add a goal to ``plan``; without a number it comes after the plan's last goal."""
    _require_staff(actor)
    if number is None:
        number = _next_number(plan.goals.values_list("number", flat=True))
    goal = Goal(plan=plan, number=number, title=title, description=description)
    _check_goal_number(goal, number)
    _clean(goal)
    goal.save()
    audit_record(actor=actor, action="goal.create", target=goal)
    return goal


@transaction.atomic
def goal_update(*, actor: Any, goal: Goal, number: int, title: str, description: str = "") -> Goal:
    _require_staff(actor)
    _check_goal_number(goal, number)
    _apply(
        goal,
        actor=actor,
        action="goal.update",
        values={"number": number, "title": title, "description": description},
    )
    return goal


@transaction.atomic
def goal_delete(*, actor: Any, goal: Goal) -> None:
    """Delete a goal with its objectives and their actions (the audit log keeps the counts)."""
    _require_staff(actor)
    audit_record(
        actor=actor,
        action="goal.delete",
        target=goal,
        changes={
            "objectives": goal.objectives.count(),
            "actions": Action.objects.filter(objective__goal=goal).count(),
        },
    )
    goal.delete()


def _check_objective_number(objective: Objective, number: int) -> None:
    taken = (
        Objective.objects.filter(goal_id=objective.goal_id, number=number)
        .exclude(pk=objective.pk)
        .exists()
    )
    if taken:
        raise DomainError(
            _("The goal already has an objective number %(number)s.") % {"number": number},
            field="number",
        )


@transaction.atomic
def objective_create(*, actor: Any, goal: Goal, title: str, number: int | None = None) -> Objective:
    """Add an objective to ``goal``; without a number it comes after the goal's last one."""
    _require_staff(actor)
    if number is None:
        number = _next_number(goal.objectives.values_list("number", flat=True))
    objective = Objective(goal=goal, number=number, title=title)
    _check_objective_number(objective, number)
    _clean(objective)
    objective.save()
    audit_record(actor=actor, action="objective.create", target=objective)
    return objective


@transaction.atomic
def objective_update(*, actor: Any, objective: Objective, number: int, title: str) -> Objective:
    _require_staff(actor)
    _check_objective_number(objective, number)
    _apply(
        objective,
        actor=actor,
        action="objective.update",
        values={"number": number, "title": title},
    )
    return objective


@transaction.atomic
def objective_delete(*, actor: Any, objective: Objective) -> None:
    """Delete an objective with its actions (the audit log keeps the count)."""
    _require_staff(actor)
    audit_record(
        actor=actor,
        action="objective.delete",
        target=objective,
        changes={"actions": objective.actions.count()},
    )
    objective.delete()


@dataclass(frozen=True)
class ActionData:
    """Everything an action is planned with (pages and the API build one)."""

    title: str
    start_date: date
    due_date: date
    owner_organisation: Organisation | None = None
    owner_user: Any = None
    status: str = Action.Status.NOT_STARTED
    progress: int = 0
    indicator: str = ""
    target: Decimal | None = None

    @classmethod
    def from_action(cls, action: Action) -> ActionData:
        return cls(**{spec.name: getattr(action, spec.name) for spec in fields(cls)})

    def with_changes(self, **changes: Any) -> ActionData:
        return replace(self, **changes)


def _action_values(data: ActionData) -> dict[str, Any]:
    """The action's fields from ``data``, checked: an owner (organisation and/or person, the
    person a member of the organisation), progress 0-100, a valid status. Reaching 100 % with
    an open status marks the action done."""
    if data.owner_organisation is None and data.owner_user is None:
        raise DomainError(
            _("Give the action an owner organisation or an owner."), field="owner_organisation"
        )
    if (
        data.owner_organisation is not None
        and data.owner_user is not None
        and not Membership.objects.filter(
            user=data.owner_user, organisation=data.owner_organisation
        ).exists()
    ):
        raise DomainError(
            _("%(person)s is not a member of %(organisation)s.")
            % {"person": data.owner_user, "organisation": data.owner_organisation},
            field="owner_user",
        )
    if not 0 <= data.progress <= 100:
        raise DomainError(_("Progress is a percentage between 0 and 100."), field="progress")
    if data.status not in Action.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    values = {spec.name: getattr(data, spec.name) for spec in fields(data)}
    if data.progress == 100 and data.status in {
        Action.Status.NOT_STARTED,
        Action.Status.IN_PROGRESS,
    }:
        values["status"] = Action.Status.DONE
    return values


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
    """Plan an action under ``objective`` (network staff).

    Raises DomainError naming the field: no owner, an owner person who is not a member of the
    owner organisation, a due date before the start date, progress outside 0-100, a target
    without an indicator, a done action below 100 %.
    """
    _require_staff(actor)
    data = ActionData(
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
    action = Action(objective=objective, **_action_values(data))
    _clean(action)
    action.save()
    audit_record(actor=actor, action="action.create", target=action)
    return action


@transaction.atomic
def action_update(*, actor: Any, action: Action, data: ActionData) -> Action:
    """Change an action (network staff; same rules as :func:`action_create`)."""
    _require_staff(actor)
    _apply(action, actor=actor, action="action.update", values=_action_values(data))
    return action


@transaction.atomic
def action_delete(*, actor: Any, action: Action) -> None:
    """Delete an action (network staff). Setting its status to cancelled keeps the record and
    leaves it out of the progress; deleting is for actions entered by mistake."""
    _require_staff(actor)
    audit_record(
        actor=actor,
        action="action.delete",
        target=action,
        changes={"progress": action.progress, "status": action.status},
    )
    action.delete()


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
