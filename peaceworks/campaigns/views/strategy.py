"""Pages where network staff write the strategy: plans, reflections, goals, objectives and
actions (thin views: a form, one service, a redirect)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
    attach_error,
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
from peaceworks.core.errors import DomainError

# Writing the strategy (network staff) ------------------------------------------------------


def _plan_url(plan_id: int) -> str:
    return reverse("campaigns:plan_detail", kwargs={"pk": plan_id})


def _strategy_form(
    request: HttpRequest,
    form: Any,
    save: Callable[[], Any],
    *,
    saved_message: str,
    next_url: Callable[[Any], str],
    context: dict[str, Any],
) -> HttpResponse:
    """Validate ``form``, call ``save`` (one service) and redirect; otherwise show the form
    with the service's error on its field (400 after a refused POST)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save()
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, saved_message)
            return redirect(next_url(result))
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/strategy_form.html", {"form": form, **context}, status=status)


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
def plan_create_view(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_get_by_code(user=request.user, code=code)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign.pk, write=True)
    form = PlanForm(request.POST or None)
    return _strategy_form(
        request,
        form,
        lambda: plan_create(actor=request.user, campaign=campaign, **form.cleaned_data),
        saved_message=_("The plan was created. Add its reflections and goals."),
        next_url=lambda plan: _plan_url(plan.pk),
        context={
            "heading": _("New strategy plan"),
            "campaign": campaign,
            "cancel_url": reverse("campaigns:detail", kwargs={"code": campaign.code}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk, write=True)
    form = PlanEditForm(
        request.POST or None,
        initial={
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "is_published": plan.is_published,
        },
    )
    return _strategy_form(
        request,
        form,
        lambda: plan_update(actor=request.user, plan=plan, **form.cleaned_data),
        saved_message=_("The plan was saved."),
        next_url=lambda _result: _plan_url(plan.pk),
        context={"heading": _("Edit the plan"), "plan": plan, "cancel_url": _plan_url(plan.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflection_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk, write=True)
    form = ReflectionForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    return _strategy_form(
        request,
        form,
        lambda: reflection_add(actor=request.user, plan=plan, **form.cleaned_data),
        saved_message=_("The reflection was added."),
        next_url=lambda _result: _plan_url(plan.pk),
        context={"heading": _("Add a reflection"), "plan": plan, "cancel_url": _plan_url(plan.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = selectors.reflection_get_for_user(user=request.user, pk=pk, write=True)
    form = ReflectionForm(
        request.POST or None,
        initial={
            "kind": reflection.kind,
            "text": reflection.text,
            "source_reference": reflection.source_reference,
        },
    )
    return _strategy_form(
        request,
        form,
        lambda: reflection_update(actor=request.user, reflection=reflection, **form.cleaned_data),
        saved_message=_("The reflection was saved."),
        next_url=lambda _result: _plan_url(reflection.plan_id),
        context={
            "heading": _("Edit the reflection"),
            "plan": reflection.plan,
            "cancel_url": _plan_url(reflection.plan_id),
            "delete_url": reverse("campaigns:reflection_delete", kwargs={"pk": reflection.pk}),
        },
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
def goal_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk, write=True)
    form = GoalForm(request.POST or None)
    return _strategy_form(
        request,
        form,
        lambda: goal_create(actor=request.user, plan=plan, **form.cleaned_data),
        saved_message=_("The goal was added."),
        next_url=lambda goal: f"{_plan_url(plan.pk)}#goal-{goal.pk}",
        context={"heading": _("Add a goal"), "plan": plan, "cancel_url": _plan_url(plan.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get_for_user(user=request.user, pk=pk, write=True)
    form = GoalEditForm(
        request.POST or None,
        initial={"number": goal.number, "title": goal.title, "description": goal.description},
    )
    return _strategy_form(
        request,
        form,
        lambda: goal_update(actor=request.user, goal=goal, **form.cleaned_data),
        saved_message=_("The goal was saved."),
        next_url=lambda _result: f"{_plan_url(goal.plan_id)}#goal-{goal.pk}",
        context={
            "heading": _("Edit the goal"),
            "plan": goal.plan,
            "cancel_url": _plan_url(goal.plan_id),
            "delete_url": reverse("campaigns:goal_delete", kwargs={"pk": goal.pk}),
        },
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
def objective_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get_for_user(user=request.user, pk=pk, write=True)
    form = ObjectiveForm(request.POST or None)
    return _strategy_form(
        request,
        form,
        lambda: objective_create(actor=request.user, goal=goal, **form.cleaned_data),
        saved_message=_("The objective was added."),
        next_url=lambda _result: f"{_plan_url(goal.plan_id)}#goal-{goal.pk}",
        context={
            "heading": _("Add an objective"),
            "plan": goal.plan,
            "parent": goal,
            "cancel_url": _plan_url(goal.plan_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get_for_user(user=request.user, pk=pk, write=True)
    plan = objective.goal.plan
    form = ObjectiveEditForm(
        request.POST or None, initial={"number": objective.number, "title": objective.title}
    )
    return _strategy_form(
        request,
        form,
        lambda: objective_update(actor=request.user, objective=objective, **form.cleaned_data),
        saved_message=_("The objective was saved."),
        next_url=lambda _result: f"{_plan_url(plan.pk)}#goal-{objective.goal_id}",
        context={
            "heading": _("Edit the objective"),
            "plan": plan,
            "parent": objective.goal,
            "cancel_url": _plan_url(plan.pk),
            "delete_url": reverse("campaigns:objective_delete", kwargs={"pk": objective.pk}),
        },
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
def action_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get_for_user(user=request.user, pk=pk, write=True)
    plan = objective.goal.plan
    form = ActionForm(
        request.POST or None,
        owner_users=selectors.action_owner_choices(),
        initial={"status": "not_started", "progress": 0},
    )
    return _strategy_form(
        request,
        form,
        lambda: action_create(actor=request.user, objective=objective, **form.to_data().__dict__),
        saved_message=_("The action was added."),
        next_url=lambda _result: f"{_plan_url(plan.pk)}#goal-{objective.goal_id}",
        context={
            "heading": _("Add an action"),
            "plan": plan,
            "parent": objective,
            "cancel_url": _plan_url(plan.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_planner(user=request.user, pk=pk)
    plan = action.objective.goal.plan
    form = ActionForm(
        request.POST or None,
        owner_users=selectors.action_owner_choices(),
        initial=ActionForm.initial_for(action),
    )
    return _strategy_form(
        request,
        form,
        lambda: action_update(actor=request.user, action=action, data=form.to_data()),
        saved_message=_("The action was saved."),
        next_url=lambda _result: f"{_plan_url(plan.pk)}#goal-{action.objective.goal_id}",
        context={
            "heading": _("Edit the action"),
            "plan": plan,
            "parent": action.objective,
            "cancel_url": _plan_url(plan.pk),
            "delete_url": reverse("campaigns:action_delete", kwargs={"pk": action.pk}),
        },
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
