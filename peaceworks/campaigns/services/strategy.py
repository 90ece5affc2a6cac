"""Writes for the strategy: plans, reflections, goals, objectives and actions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from peaceworks.accounts.access import viewer_for
from peaceworks.accounts.models import Membership
from peaceworks.campaigns.models import (
    Action,
    Campaign,
    Goal,
    Objective,
    Plan,
    Reflection,
)
from peaceworks.campaigns.selectors import can_update_action
from peaceworks.campaigns.services.base import require_staff, validate
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.directory.models import Organisation

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
    validate(instance)
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
    require_staff(actor)
    plan = Plan(campaign=campaign, title=title, start_year=start_year, end_year=end_year)
    validate(plan)
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
    require_staff(actor)
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
    require_staff(actor)
    reflection = Reflection(plan=plan, kind=kind, text=text, source_reference=source_reference)
    validate(reflection)
    reflection.save()
    audit_record(actor=actor, action="reflection.add", target=reflection)
    return reflection


@transaction.atomic
def reflection_update(
    *, actor: Any, reflection: Reflection, kind: str, text: str, source_reference: str = ""
) -> Reflection:
    require_staff(actor)
    _apply(
        reflection,
        actor=actor,
        action="reflection.update",
        values={"kind": kind, "text": text, "source_reference": source_reference},
    )
    return reflection


@transaction.atomic
def reflection_delete(*, actor: Any, reflection: Reflection) -> None:
    require_staff(actor)
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
    require_staff(actor)
    if number is None:
        number = _next_number(plan.goals.values_list("number", flat=True))
    goal = Goal(plan=plan, number=number, title=title, description=description)
    _check_goal_number(goal, number)
    validate(goal)
    goal.save()
    audit_record(actor=actor, action="goal.create", target=goal)
    return goal


@transaction.atomic
def goal_update(*, actor: Any, goal: Goal, number: int, title: str, description: str = "") -> Goal:
    require_staff(actor)
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
    require_staff(actor)
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
    require_staff(actor)
    if number is None:
        number = _next_number(goal.objectives.values_list("number", flat=True))
    objective = Objective(goal=goal, number=number, title=title)
    _check_objective_number(objective, number)
    validate(objective)
    objective.save()
    audit_record(actor=actor, action="objective.create", target=objective)
    return objective


@transaction.atomic
def objective_update(*, actor: Any, objective: Objective, number: int, title: str) -> Objective:
    require_staff(actor)
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
    require_staff(actor)
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
    require_staff(actor)
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
    validate(action)
    action.save()
    audit_record(actor=actor, action="action.create", target=action)
    return action


@transaction.atomic
def action_update(*, actor: Any, action: Action, data: ActionData) -> Action:
    """Change an action (network staff; same rules as :func:`action_create`)."""
    require_staff(actor)
    _apply(action, actor=actor, action="action.update", values=_action_values(data))
    return action


@transaction.atomic
def action_delete(*, actor: Any, action: Action) -> None:
    """Delete an action (network staff). Setting its status to cancelled keeps the record and
    leaves it out of the progress; deleting is for actions entered by mistake."""
    require_staff(actor)
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
    validate(action)
    action.save(update_fields=["progress", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="action.progress",
        target=action,
        changes={"before": before, "after": {"progress": progress, "status": status}},
    )
    return action
