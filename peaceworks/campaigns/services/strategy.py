"""Writes for the strategy: plans, reflections, goals, objectives and actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.accounts.models import Membership, User
from peaceworks.campaigns.models import (
    NOTE_MAX_LENGTH,
    Action,
    ActionProgressEntry,
    Campaign,
    Goal,
    Objective,
    Plan,
    Reflection,
)
from peaceworks.campaigns.selectors import can_update_action
from peaceworks.campaigns.services.base import require_staff, write_record
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.core.records import assign_changes, save_validated
from peaceworks.directory.models import Organisation

# Strategy ----------------------------------------------------------------------------------
#
# Network staff write the strategy (plans, reflections, goals, objectives, actions); owners of
# an action and coordinators of its owner organisation only record its progress. Callers fetch
# the objects through the access functions first (404 for outsiders, 403 for readers); these
# services check again that the actor is network staff.


PLAN_FIELDS = frozenset({"title", "start_year", "end_year", "is_published", "translations"})
REFLECTION_FIELDS = frozenset({"kind", "text", "source_reference", "translations"})
GOAL_FIELDS = frozenset({"number", "title", "description", "translations"})
OBJECTIVE_FIELDS = frozenset({"number", "title", "translations"})
ACTION_FIELDS = frozenset(
    {
        "title",
        "start_date",
        "due_date",
        "owner_organisation",
        "owner_user",
        "status",
        "progress",
        "indicator",
        "target",
        "translations",
    }
)


#: per-language versions of a record's texts: ``{"fr": {"title": "…"}}``
Translations = Mapping[str, Mapping[str, str]]


def _check_plan(plan: Plan) -> None:
    if plan.end_year < plan.start_year:
        raise DomainError(_("The last year is before the first year."), field="end_year")


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    campaign: Campaign,
    title: str,
    start_year: int,
    end_year: int,
    translations: Translations | None = None,
) -> Plan:
    """Start a strategy plan of ``campaign`` for the years ``start_year``-``end_year``."""
    require_staff(actor)
    return write_record(
        Plan(campaign=campaign),
        actor=actor,
        action="plan.create",
        changes={
            "title": title,
            "start_year": start_year,
            "end_year": end_year,
            "translations": translations or {},
        },
        allowed=PLAN_FIELDS,
        check=_check_plan,
    )


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, changes: Mapping[str, Any]) -> Plan:
    """Change any of a plan's title, period and publication (network staff); DomainError
    naming the field for bad input, e.g. a last year before the first."""
    require_staff(actor)
    return write_record(
        plan,
        actor=actor,
        action="plan.update",
        changes=changes,
        allowed=PLAN_FIELDS,
        check=_check_plan,
    )


@transaction.atomic
def reflection_add(
    *,
    actor: Actor,
    plan: Plan,
    kind: str,
    text: str,
    source_reference: str = "",
    translations: Translations | None = None,
) -> Reflection:
    require_staff(actor)
    return write_record(
        Reflection(plan=plan),
        actor=actor,
        action="reflection.add",
        changes={
            "kind": kind,
            "text": text,
            "source_reference": source_reference,
            "translations": translations or {},
        },
        allowed=REFLECTION_FIELDS,
    )


@transaction.atomic
def reflection_update(
    *, actor: Actor, reflection: Reflection, changes: Mapping[str, Any]
) -> Reflection:
    require_staff(actor)
    return write_record(
        reflection,
        actor=actor,
        action="reflection.update",
        changes=changes,
        allowed=REFLECTION_FIELDS,
    )


@transaction.atomic
def reflection_delete(*, actor: Actor, reflection: Reflection) -> None:
    require_staff(actor)
    audit_record(actor=actor, action="reflection.delete", target=reflection)
    reflection.delete()


def _next_number(numbers: Iterable[int]) -> int:
    return max(numbers, default=0) + 1


def _check_goal_number(goal: Goal) -> None:
    taken = Goal.objects.filter(plan_id=goal.plan_id, number=goal.number).exclude(pk=goal.pk)
    if taken.exists():
        raise DomainError(
            _("The plan already has a goal number %(number)s.") % {"number": goal.number},
            field="number",
        )


@transaction.atomic
def goal_create(
    *,
    actor: Actor,
    plan: Plan,
    title: str,
    number: int | None = None,
    description: str = "",
    translations: Translations | None = None,
) -> Goal:
    """Add a goal to ``plan``; without a number it comes after the plan's last goal."""
    require_staff(actor)
    if number is None:
        number = _next_number(plan.goals.values_list("number", flat=True))
    return write_record(
        Goal(plan=plan),
        actor=actor,
        action="goal.create",
        changes={
            "number": number,
            "title": title,
            "description": description,
            "translations": translations or {},
        },
        allowed=GOAL_FIELDS,
        check=_check_goal_number,
    )


@transaction.atomic
def goal_update(*, actor: Actor, goal: Goal, changes: Mapping[str, Any]) -> Goal:
    require_staff(actor)
    return write_record(
        goal,
        actor=actor,
        action="goal.update",
        changes=changes,
        allowed=GOAL_FIELDS,
        check=_check_goal_number,
    )


@transaction.atomic
def goal_delete(*, actor: Actor, goal: Goal) -> None:
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


def _check_objective_number(objective: Objective) -> None:
    taken = Objective.objects.filter(goal_id=objective.goal_id, number=objective.number).exclude(
        pk=objective.pk
    )
    if taken.exists():
        raise DomainError(
            _("The goal already has an objective number %(number)s.")
            % {"number": objective.number},
            field="number",
        )


@transaction.atomic
def objective_create(
    *,
    actor: Actor,
    goal: Goal,
    title: str,
    number: int | None = None,
    translations: Translations | None = None,
) -> Objective:
    """Add an objective to ``goal``; without a number it comes after the goal's last one."""
    require_staff(actor)
    if number is None:
        number = _next_number(goal.objectives.values_list("number", flat=True))
    return write_record(
        Objective(goal=goal),
        actor=actor,
        action="objective.create",
        changes={"number": number, "title": title, "translations": translations or {}},
        allowed=OBJECTIVE_FIELDS,
        check=_check_objective_number,
    )


@transaction.atomic
def objective_update(
    *, actor: Actor, objective: Objective, changes: Mapping[str, Any]
) -> Objective:
    require_staff(actor)
    return write_record(
        objective,
        actor=actor,
        action="objective.update",
        changes=changes,
        allowed=OBJECTIVE_FIELDS,
        check=_check_objective_number,
    )


@transaction.atomic
def objective_delete(*, actor: Actor, objective: Objective) -> None:
    """Delete an objective with its actions (the audit log keeps the count)."""
    require_staff(actor)
    audit_record(
        actor=actor,
        action="objective.delete",
        target=objective,
        changes={"actions": objective.actions.count()},
    )
    objective.delete()


def _check_progress(action: Action) -> None:
    """Progress 0-100 and a valid status; reaching 100 % with an open status marks the
    action done."""
    if not 0 <= action.progress <= 100:
        raise DomainError(_("Progress is a percentage between 0 and 100."), field="progress")
    if action.status not in Action.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if action.progress == 100 and action.status in {
        Action.Status.NOT_STARTED,
        Action.Status.IN_PROGRESS,
    }:
        action.status = Action.Status.DONE


def _check_action(action: Action) -> None:
    """An owner (organisation and/or person, the person a member of the organisation), then
    :func:`_check_progress`."""
    if action.owner_organisation_id is None and action.owner_user_id is None:
        raise DomainError(
            _("Give the action an owner organisation or an owner."), field="owner_organisation"
        )
    if (
        action.owner_organisation_id is not None
        and action.owner_user_id is not None
        and not Membership.objects.filter(
            user_id=action.owner_user_id, organisation_id=action.owner_organisation_id
        ).exists()
    ):
        raise DomainError(
            _("%(person)s is not a member of %(organisation)s.")
            % {"person": action.owner_user, "organisation": action.owner_organisation},
            field="owner_user",
        )
    _check_progress(action)


@transaction.atomic
def action_create(
    *,
    actor: Actor,
    objective: Objective,
    title: str,
    start_date: date,
    due_date: date,
    owner_organisation: Organisation | None = None,
    owner_user: User | None = None,
    status: str = Action.Status.NOT_STARTED,
    progress: int = 0,
    indicator: str = "",
    target: Decimal | None = None,
    translations: Translations | None = None,
) -> Action:
    """Plan an action under ``objective`` (network staff).

    Raises DomainError naming the field: no owner, an owner person who is not a member of the
    owner organisation, a due date before the start date, progress outside 0-100, a target
    without an indicator, a done action below 100 %.
    """
    require_staff(actor)
    return write_record(
        Action(objective=objective),
        actor=actor,
        action="action.create",
        changes={
            "title": title,
            "start_date": start_date,
            "due_date": due_date,
            "owner_organisation": owner_organisation,
            "owner_user": owner_user,
            "status": status,
            "progress": progress,
            "indicator": indicator,
            "target": target,
            "translations": translations or {},
        },
        allowed=ACTION_FIELDS,
        check=_check_action,
    )


@transaction.atomic
def action_update(*, actor: Actor, action: Action, changes: Mapping[str, Any]) -> Action:
    """Change any of an action's fields (network staff; same rules as :func:`action_create`)."""
    require_staff(actor)
    return write_record(
        action,
        actor=actor,
        action="action.update",
        changes=changes,
        allowed=ACTION_FIELDS,
        check=_check_action,
    )


@transaction.atomic
def action_delete(*, actor: Actor, action: Action) -> None:
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
def action_progress_update(
    *, actor: Actor, action: Action, progress: int, status: str, note: str = ""
) -> Action:
    """Record an action's progress and status (owners, their coordinators, network staff),
    with an optional ``note``, as an entry of its progress history.

    Reaching 100 % with an open status marks the action done. A note longer than
    ``NOTE_MAX_LENGTH`` is refused on the field ``note``.
    """
    if not can_update_action(viewer_for(actor), action):
        raise Forbidden
    before = {"progress": action.progress, "status": action.status}
    assign_changes(action, {"progress": progress, "status": status}, allowed={"progress", "status"})
    _check_progress(action)
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("Keep the note under %(limit)s characters.") % {"limit": NOTE_MAX_LENGTH},
            field="note",
        )
    save_validated(action, changed=["progress", "status"])
    ActionProgressEntry.objects.create(
        action=action,
        recorded_by=actor if isinstance(actor, User) else None,
        progress=action.progress,
        status=action.status,
        note=note,
    )
    audit_record(
        actor=actor,
        action="action.progress",
        target=action,
        changes={
            "before": before,
            "after": {"progress": action.progress, "status": action.status},
            "note": note,
        },
    )
    return action
