"""Pages where network staff write the strategy: plans, reflections, goals, objectives and
actions (thin views: a form, one service, a redirect)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peaceworks.campaigns import selectors
from peaceworks.campaigns.forms import (
    ActionForm,
    GoalEditForm,
    GoalForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PlanEditForm,
    PlanForm,
    ReflectionForm,
)
from peaceworks.campaigns.models import Plan
from peaceworks.campaigns.services import (
    action_create,
    action_delete,
    action_update,
    goal_create,
    goal_delete,
    goal_update,
    objective_create,
    objective_delete,
    objective_update,
    plan_create,
    plan_update,
    reflection_add,
    reflection_delete,
    reflection_update,
)
from peaceworks.core.forms import form_page
from peaceworks.core.models import Translatable
from peaceworks.core.records import stored_values

# Writing the strategy (network staff) ------------------------------------------------------


def _plan_url(plan_id: int) -> str:
    return reverse("campaigns:plan_detail", kwargs={"pk": plan_id})


_TEMPLATE = "campaigns/strategy_form.html"
_M = TypeVar("_M", bound=Model)


def form_initial(instance: Model | None, form_class: type[forms.Form]) -> dict[str, Any] | None:
    """The stored values of the form's fields (None for a new record)."""
    if instance is None:
        return None
    names = [*form_class.base_fields]
    if isinstance(instance, Translatable):
        names.append("translations")
    return stored_values(instance, names)


@dataclass(frozen=True)
class _Texts:
    add_heading: str
    edit_heading: str
    added: str
    saved: str


def _strategy_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    record: _M | None,
    create: Callable[[Mapping[str, Any]], Any],
    update: Callable[[_M, Mapping[str, Any]], Any],
    success_url: Callable[[Any], str],
    texts: _Texts,
    delete_route: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The one page that creates (``record`` is None) or edits a part of the strategy."""
    if record is None:
        return form_page(
            request,
            form,
            save=create,
            success_url=success_url,
            saved_message=texts.added,
            template=_TEMPLATE,
            context={"heading": texts.add_heading, **context},
        )
    return form_page(
        request,
        form,
        save=lambda data: update(record, data),
        success_url=success_url,
        saved_message=texts.saved,
        template=_TEMPLATE,
        context={
            "heading": texts.edit_heading,
            "delete_url": reverse(delete_route, kwargs={"pk": record.pk}),
            **context,
        },
    )


def _delete_page(
    request: HttpRequest,
    delete: Callable[[], None],
    *,
    plan: Plan,
    heading: str,
    consequence: str,
    deleted_message: str,
    cancel_url: str,
    hint: str = "",
) -> HttpResponse:
    if request.method == "POST":
        delete()
        messages.success(request, deleted_message)
        return redirect("campaigns:plan_detail", pk=plan.pk)
    context = {
        "plan": plan,
        "heading": heading,
        "consequence": consequence,
        "hint": hint,
        "cancel_url": cancel_url,
    }
    return render(request, "campaigns/strategy_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_form(request: HttpRequest, code: str | None = None, pk: int | None = None) -> HttpResponse:
    """Start a plan for the campaign ``code``, or edit the plan ``pk``."""
    if pk is None:
        campaign = selectors.campaign_get_by_code(user=request.user, code=str(code))
        campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign.pk, write=True)
        return form_page(
            request,
            PlanForm(request.POST or None),
            save=lambda data: plan_create(actor=request.user, campaign=campaign, **data),
            success_url=lambda plan: _plan_url(plan.pk),
            saved_message=_("The plan was created. Add its reflections and goals."),
            template=_TEMPLATE,
            context={
                "heading": _("New strategy plan"),
                "campaign": campaign,
                "cancel_url": reverse("campaigns:detail", kwargs={"code": campaign.code}),
            },
        )
    plan = selectors.plan_get_for_user(user=request.user, pk=pk, write=True)
    return form_page(
        request,
        PlanEditForm(request.POST or None, initial=form_initial(plan, PlanEditForm)),
        save=lambda data: plan_update(actor=request.user, plan=plan, changes=data),
        success_url=lambda _result: _plan_url(plan.pk),
        saved_message=_("The plan was saved."),
        template=_TEMPLATE,
        context={"heading": _("Edit the plan"), "plan": plan, "cancel_url": _plan_url(plan.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflection_form(request: HttpRequest, pk: int, *, creating: bool = False) -> HttpResponse:
    """Add a reflection to the plan ``pk`` (``creating``), or edit the reflection ``pk``."""
    reflection = (
        None
        if creating
        else selectors.reflection_get_for_user(user=request.user, pk=pk, write=True)
    )
    plan = (
        reflection.plan
        if reflection is not None
        else selectors.plan_get_for_user(user=request.user, pk=pk, write=True)
    )
    initial = (
        {"kind": request.GET.get("kind")}
        if reflection is None
        else form_initial(reflection, ReflectionForm)
    )
    return _strategy_page(
        request,
        ReflectionForm(request.POST or None, initial=initial),
        record=reflection,
        create=lambda data: reflection_add(actor=request.user, plan=plan, **data),
        update=lambda reflection, data: reflection_update(
            actor=request.user, reflection=reflection, changes=data
        ),
        success_url=lambda _result: _plan_url(plan.pk),
        texts=_Texts(
            _("Add a reflection"),
            _("Edit the reflection"),
            _("The reflection was added."),
            _("The reflection was saved."),
        ),
        delete_route="campaigns:reflection_delete",
        context={"plan": plan, "cancel_url": _plan_url(plan.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflection_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = selectors.reflection_get_for_user(user=request.user, pk=pk, write=True)
    return _delete_page(
        request,
        lambda: reflection_delete(actor=request.user, reflection=reflection),
        plan=reflection.plan,
        heading=_("Delete the reflection"),
        consequence=_("The reflection “%(text)s” will be deleted.") % {"text": reflection},
        deleted_message=_("The reflection was deleted."),
        cancel_url=_plan_url(reflection.plan_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_form(request: HttpRequest, pk: int, *, creating: bool = False) -> HttpResponse:
    """Add a goal to the plan ``pk`` (``creating``), or edit the goal ``pk``."""
    goal = None if creating else selectors.goal_get_for_user(user=request.user, pk=pk, write=True)
    plan = (
        goal.plan
        if goal is not None
        else selectors.plan_get_for_user(user=request.user, pk=pk, write=True)
    )
    form_class = GoalForm if goal is None else GoalEditForm
    return _strategy_page(
        request,
        form_class(request.POST or None, initial=form_initial(goal, form_class)),
        record=goal,
        create=lambda data: goal_create(actor=request.user, plan=plan, **data),
        update=lambda goal, data: goal_update(actor=request.user, goal=goal, changes=data),
        success_url=lambda saved: f"{_plan_url(plan.pk)}#goal-{saved.pk}",
        texts=_Texts(
            _("Add a goal"), _("Edit the goal"), _("The goal was added."), _("The goal was saved.")
        ),
        delete_route="campaigns:goal_delete",
        context={"plan": plan, "cancel_url": _plan_url(plan.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get_for_user(user=request.user, pk=pk, write=True)
    return _delete_page(
        request,
        lambda: goal_delete(actor=request.user, goal=goal),
        plan=goal.plan,
        heading=_("Delete the goal %(goal)s") % {"goal": goal},
        consequence=_(
            "The goal will be deleted with its objectives and their actions. Their recorded "
            "progress is lost; the audit log keeps a trace of the deletion."
        ),
        deleted_message=_("The goal was deleted."),
        cancel_url=_plan_url(goal.plan_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_form(request: HttpRequest, pk: int, *, creating: bool = False) -> HttpResponse:
    """Add an objective to the goal ``pk`` (``creating``), or edit the objective ``pk``."""
    objective = (
        None if creating else selectors.objective_get_for_user(user=request.user, pk=pk, write=True)
    )
    goal = (
        objective.goal
        if objective is not None
        else selectors.goal_get_for_user(user=request.user, pk=pk, write=True)
    )
    form_class = ObjectiveForm if objective is None else ObjectiveEditForm
    return _strategy_page(
        request,
        form_class(request.POST or None, initial=form_initial(objective, form_class)),
        record=objective,
        create=lambda data: objective_create(actor=request.user, goal=goal, **data),
        update=lambda objective, data: objective_update(
            actor=request.user, objective=objective, changes=data
        ),
        success_url=lambda _result: f"{_plan_url(goal.plan_id)}#goal-{goal.pk}",
        texts=_Texts(
            _("Add an objective"),
            _("Edit the objective"),
            _("The objective was added."),
            _("The objective was saved."),
        ),
        delete_route="campaigns:objective_delete",
        context={"plan": goal.plan, "parent": goal, "cancel_url": _plan_url(goal.plan_id)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get_for_user(user=request.user, pk=pk, write=True)
    return _delete_page(
        request,
        lambda: objective_delete(actor=request.user, objective=objective),
        plan=objective.goal.plan,
        heading=_("Delete the objective %(objective)s") % {"objective": objective},
        consequence=_(
            "The objective will be deleted with its actions. Their recorded progress is lost; "
            "the audit log keeps a trace of the deletion."
        ),
        deleted_message=_("The objective was deleted."),
        cancel_url=_plan_url(objective.goal.plan_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_form(request: HttpRequest, pk: int, *, creating: bool = False) -> HttpResponse:
    """Plan an action under the objective ``pk`` (``creating``), or edit the action ``pk``."""
    action = None if creating else selectors.action_get_for_planner(user=request.user, pk=pk)
    objective = (
        action.objective
        if action is not None
        else selectors.objective_get_for_user(user=request.user, pk=pk, write=True)
    )
    plan = objective.goal.plan
    initial = (
        {"status": "not_started", "progress": 0}
        if action is None
        else form_initial(action, ActionForm)
    )
    return _strategy_page(
        request,
        ActionForm(
            request.POST or None, owner_users=selectors.action_owner_choices(), initial=initial
        ),
        record=action,
        create=lambda data: action_create(actor=request.user, objective=objective, **data),
        update=lambda action, data: action_update(actor=request.user, action=action, changes=data),
        success_url=lambda _result: f"{_plan_url(plan.pk)}#goal-{objective.goal_id}",
        texts=_Texts(
            _("Add an action"),
            _("Edit the action"),
            _("The action was added."),
            _("The action was saved."),
        ),
        delete_route="campaigns:action_delete",
        context={"plan": plan, "parent": objective, "cancel_url": _plan_url(plan.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_planner(user=request.user, pk=pk)
    return _delete_page(
        request,
        lambda: action_delete(actor=request.user, action=action),
        plan=action.objective.goal.plan,
        heading=_("Delete the action %(action)s") % {"action": action},
        consequence=_("The action and its recorded progress will be deleted."),
        hint=_(
            "To keep the record, set its status to cancelled instead: cancelled actions are "
            "left out of the progress."
        ),
        deleted_message=_("The action was deleted."),
        cancel_url=_plan_url(action.objective.goal.plan_id),
    )
