"""Policy rows for writing the strategy (plans, reflections, goals, objectives, actions).

Plans are network-level: every member reads them, only network staff write them. So the
organisation roles that read plans (coordinators, members, analysts) get 403 when they try to
write, and stakeholders, who do not see an unpublished plan, get 404. Objects are built
through the services by the world's network coordinator and cached in ``world.extras``;
the delete rows build a fresh object for every request since a successful request removes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from peaceworks.campaigns.models import Action, Campaign, Goal, Objective, Plan, Reflection
from peaceworks.campaigns.services import (
    action_create,
    campaign_create,
    goal_create,
    objective_create,
    plan_create,
    programme_create,
    reflection_add,
)
from tests.security.policy import ORG_READERS, Access, Route, Tenant

# Readers of the plan know it exists: a write is refused (403), not hidden (404).
READERS_REFUSED = dict.fromkeys(ORG_READERS, 403)


def _staff(world: Any) -> Any:
    return world.users["network_coordinator"]


def _cached(world: Any, key: str, make: Any) -> Any:
    if key not in world.extras:
        world.extras[key] = make()
    return world.extras[key]


def _campaign(world: Any) -> Campaign:
    def make() -> Campaign:
        programme = programme_create(
            actor=_staff(world), name="Strategy programme", code="strategy-programme"
        )
        return campaign_create(
            actor=_staff(world), programme=programme, name="Strategy", code="strategy-campaign"
        )

    return _cached(world, "strategy_campaign", make)  # type: ignore[no-any-return]


def _plan(world: Any) -> Plan:
    return _cached(  # type: ignore[no-any-return]
        world,
        "strategy_plan",
        lambda: plan_create(
            actor=_staff(world),
            campaign=_campaign(world),
            title="Strategy",
            start_year=2027,
            end_year=2028,
        ),
    )


def _new_goal(world: Any) -> Goal:
    return goal_create(actor=_staff(world), plan=_plan(world), title="Grow")


def _goal(world: Any) -> Goal:
    return _cached(world, "strategy_goal", lambda: _new_goal(world))  # type: ignore[no-any-return]


def _new_objective(world: Any) -> Objective:
    return objective_create(actor=_staff(world), goal=_goal(world), title="More camps")


def _objective(world: Any) -> Objective:
    return _cached(  # type: ignore[no-any-return]
        world, "strategy_objective", lambda: _new_objective(world)
    )


def _new_action(world: Any) -> Action:
    return action_create(
        actor=_staff(world),
        objective=_objective(world),
        title="Recruit hosts",
        start_date=date(2027, 1, 1),
        due_date=date(2027, 12, 31),
        owner_organisation=world.own,
    )


def _action(world: Any) -> Action:
    return _cached(world, "strategy_action", lambda: _new_action(world))  # type: ignore[no-any-return]


def _new_reflection(world: Any) -> Reflection:
    return reflection_add(
        actor=_staff(world), plan=_plan(world), kind="experience", text="Camps build trust."
    )


def _reflection(world: Any) -> Reflection:
    return _cached(  # type: ignore[no-any-return]
        world, "strategy_reflection", lambda: _new_reflection(world)
    )


# Arguments ---------------------------------------------------------------------------------


def campaign_code(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"code": _campaign(world).code}


def plan_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _plan(world).pk}


def goal_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _goal(world).pk}


def objective_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _objective(world).pk}


def action_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _action(world).pk}


def reflection_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _reflection(world).pk}


def fresh_goal_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _new_goal(world).pk}


def fresh_objective_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _new_objective(world).pk}


def fresh_action_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _new_action(world).pk}


def fresh_reflection_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _new_reflection(world).pk}


# Bodies ------------------------------------------------------------------------------------


def plan_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"title": "Strategy 2027-2028", "start_year": "2027", "end_year": "2028"}


def reflection_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"kind": "challenges", "text": "Fewer volunteers travel."}


def goal_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"number": "1", "title": "Grow the campaign"}


def new_goal_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"title": "Grow the campaign"}  # no number: the next one each time


def objective_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"number": "1", "title": "More camps"}


def new_objective_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"title": "More camps"}


def action_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "title": "Recruit hosts",
        "owner_organisation": str(world.own.pk),
        "start_date": "2027-01-01",
        "due_date": "2027-12-31",
        "status": "in_progress",
        "progress": "10",
    }


def plan_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "campaign_id": _campaign(world).pk,
        "title": "Strategy",
        "start_year": 2027,
        "end_year": 2028,
    }


def goal_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"plan_id": _plan(world).pk, "title": "Grow"}


def objective_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"goal_id": _goal(world).pk, "title": "More camps"}


def action_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "objective_id": _objective(world).pk,
        "title": "Recruit hosts",
        "owner_organisation_id": world.own.pk,
        "start_date": "2027-01-01",
        "due_date": "2027-12-31",
    }


def _staff_route(name: str, **options: Any) -> Route:
    return Route(name, Access.NETWORK_STAFF, overrides=READERS_REFUSED, **options)


def _pages(name: str, args: Any, data: Any = None) -> list[Route]:
    """The form page (GET) and its submission (POST, redirecting on success)."""
    post: dict[str, Any] = {"method": "POST", "ok": 302, "args": args}
    if data is not None:
        post["data"] = data
    return [_staff_route(name, args=args), _staff_route(name, **post)]


ROUTES: list[Route] = [
    *_pages("campaigns:plan_create", campaign_code, plan_form),
    *_pages("campaigns:plan_edit", plan_pk, plan_form),
    *_pages("campaigns:reflection_create", plan_pk, reflection_form),
    *_pages("campaigns:reflection_edit", reflection_pk, reflection_form),
    _staff_route("campaigns:reflection_delete", args=reflection_pk),
    _staff_route("campaigns:reflection_delete", method="POST", ok=302, args=fresh_reflection_pk),
    *_pages("campaigns:goal_create", plan_pk, new_goal_form),
    *_pages("campaigns:goal_edit", goal_pk, goal_form),
    _staff_route("campaigns:goal_delete", args=goal_pk),
    _staff_route("campaigns:goal_delete", method="POST", ok=302, args=fresh_goal_pk),
    *_pages("campaigns:objective_create", goal_pk, new_objective_form),
    *_pages("campaigns:objective_edit", objective_pk, objective_form),
    _staff_route("campaigns:objective_delete", args=objective_pk),
    _staff_route("campaigns:objective_delete", method="POST", ok=302, args=fresh_objective_pk),
    *_pages("campaigns:action_create", objective_pk, action_form),
    *_pages("campaigns:action_edit", action_pk, action_form),
    _staff_route("campaigns:action_delete", args=action_pk),
    _staff_route("campaigns:action_delete", method="POST", ok=302, args=fresh_action_pk),
    # API
    _staff_route("api:plan_create_endpoint", method="POST", ok=201, data=plan_body),
    _staff_route(
        "api:plan_patch",
        method="PATCH",
        args=plan_pk,
        data=lambda world, tenant: {"title": "Renamed"},
    ),
    _staff_route(
        "api:reflection_create_endpoint",
        method="POST",
        ok=201,
        args=plan_pk,
        data=lambda world, tenant: {"kind": "future", "text": "More online actions."},
    ),
    _staff_route("api:goal_create_endpoint", method="POST", ok=201, data=goal_body),
    _staff_route(
        "api:goal_patch",
        method="PATCH",
        args=goal_pk,
        data=lambda world, tenant: {"title": "Renamed"},
    ),
    _staff_route("api:goal_delete_endpoint", method="DELETE", ok=204, args=fresh_goal_pk),
    _staff_route("api:objective_create_endpoint", method="POST", ok=201, data=objective_body),
    _staff_route(
        "api:objective_patch",
        method="PATCH",
        args=objective_pk,
        data=lambda world, tenant: {"title": "Renamed"},
    ),
    _staff_route("api:objective_delete_endpoint", method="DELETE", ok=204, args=fresh_objective_pk),
    _staff_route("api:action_create_endpoint", method="POST", ok=201, data=action_body),
    _staff_route(
        "api:action_patch",
        method="PATCH",
        args=action_pk,
        data=lambda world, tenant: {"progress": 40, "status": "in_progress"},
    ),
    _staff_route("api:action_delete_endpoint", method="DELETE", ok=204, args=fresh_action_pk),
]
