"""The campaigns API: programmes, campaigns, projects, themes, activities, outputs and the
strategy (plans, goals, objectives, actions). Same access rules and services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns import selectors
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.campaigns.outputs import DIMENSIONS, ActivityRecord, Outputs, compute_outputs
from peaceworks.campaigns.schemas import (
    ACTIVITY_ORDERINGS,
    ActionIn,
    ActionOut,
    ActionPatch,
    ActionProgressPatch,
    ActivityFilter,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    CampaignOut,
    CampaignPatch,
    GoalIn,
    GoalOut,
    GoalPatch,
    InclusionTargetOut,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    OutputGroupOut,
    OutputsOut,
    OutputTableOut,
    PlanDetailOut,
    PlanIn,
    PlanOut,
    PlanPatch,
    ProgrammeOut,
    ProgrammePatch,
    ReflectionIn,
    ReflectionOut,
    RollupOut,
    ThemeOut,
    ThemePatch,
)
from peaceworks.campaigns.services import (
    ActivityData,
    action_create,
    action_delete,
    action_progress_update,
    action_update,
    activity_create,
    activity_update,
    campaign_update,
    goal_create,
    goal_delete,
    goal_update,
    objective_create,
    objective_delete,
    objective_update,
    plan_create,
    plan_update,
    programme_update,
    reflection_add,
    theme_update,
)
from peaceworks.campaigns.services.co_organisers import (
    co_organiser_accept,
    co_organiser_ids_pending,
    co_organiser_withdraw,
)
from peaceworks.campaigns.strategy import Rollup
from peaceworks.core.errors import DomainError, NotFound
from peaceworks.core.pagination import Rows, paginate, updated_since
from peaceworks.core.schemas import Id, Line
from peaceworks.directory.models import Organisation

router = Router(tags=["campaigns"])


_DATES = frozenset({"start_date", "end_date"})


def _no_nulls(changes: dict[str, Any], *, nullable: frozenset[str] = frozenset()) -> None:
    for name, value in changes.items():
        if value is None and name not in nullable:
            raise DomainError(_("This field cannot be empty."), field=name)


# Programmes, campaigns, projects, themes ---------------------------------------------------


@router.get("/programmes", response=list[ProgrammeOut])
@paginate
def programme_list(request: HttpRequest) -> list[ProgrammeOut]:
    viewer_for(request.user).require_network_member()
    return [
        ProgrammeOut.model_validate(item, from_attributes=True)
        for item in selectors.programme_list_visible_to(user=request.user)
    ]


@router.get("/programmes/{int:pk}", response=ProgrammeOut)
def programme_detail(request: HttpRequest, pk: Id) -> ProgrammeOut:
    viewer_for(request.user).require_network_member()
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    return ProgrammeOut.model_validate(programme, from_attributes=True)


@router.patch("/programmes/{int:pk}", response=ProgrammeOut)
def programme_patch(request: HttpRequest, pk: Id, payload: ProgrammePatch) -> ProgrammeOut:
    """Rename or describe a programme, in any language (network staff)."""
    viewer_for(request.user).require_network_member()
    programme = selectors.programme_get_for_user(user=request.user, pk=pk, write=True)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    _no_nulls(changes, nullable=_DATES)
    programme = programme_update(actor=request.user, programme=programme, changes=changes)
    return ProgrammeOut.model_validate(programme, from_attributes=True)


def _campaigns(request: HttpRequest, kind: str) -> list[CampaignOut]:
    return [
        CampaignOut.model_validate(item, from_attributes=True)
        for item in selectors.campaign_list_visible_to(user=request.user, kind=kind)
    ]


@router.get("/campaigns", response=list[CampaignOut])
@paginate
def campaign_list(request: HttpRequest) -> list[CampaignOut]:
    """Campaigns (not projects); stakeholders see published ones only."""
    return _campaigns(request, Campaign.Kind.CAMPAIGN)


@router.get("/projects", response=list[CampaignOut])
@paginate
def project_list(request: HttpRequest) -> list[CampaignOut]:
    return _campaigns(request, Campaign.Kind.PROJECT)


@router.get("/campaigns/{int:pk}", response=CampaignOut)
def campaign_detail(request: HttpRequest, pk: Id) -> CampaignOut:
    """A campaign or a project."""
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    return CampaignOut.model_validate(campaign, from_attributes=True)


@router.patch("/campaigns/{int:pk}", response=CampaignOut)
def campaign_patch(request: HttpRequest, pk: Id, payload: CampaignPatch) -> CampaignOut:
    """Rename or describe a campaign or project, in any language (network staff)."""
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk, write=True)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    _no_nulls(changes, nullable=_DATES | {"lead_organisation_id"})
    if "lead_organisation_id" in changes:
        lead_id = changes.pop("lead_organisation_id")
        lead = None if lead_id is None else Organisation.objects.filter(pk=lead_id).first()
        if lead_id is not None and lead is None:
            raise DomainError(_("This organisation does not exist."), field="lead_organisation_id")
        changes["lead_organisation"] = lead
    campaign = campaign_update(actor=request.user, campaign=campaign, changes=changes)
    return CampaignOut.model_validate(campaign, from_attributes=True)


@router.get("/campaigns/{int:pk}/themes", response=list[ThemeOut])
@paginate
def theme_list(request: HttpRequest, pk: Id) -> list[ThemeOut]:
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    return [
        ThemeOut.model_validate(theme, from_attributes=True)
        for theme in selectors.theme_list(campaign=campaign)
    ]


@router.patch("/themes/{int:pk}", response=ThemeOut)
def theme_patch(request: HttpRequest, pk: Id, payload: ThemePatch) -> ThemeOut:
    """Rename, renumber or describe a theme, in any language (network staff)."""
    theme = selectors.theme_get_for_user(user=request.user, pk=pk, write=True)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    _no_nulls(changes)
    theme = theme_update(actor=request.user, theme=theme, changes=changes)
    return ThemeOut.model_validate(theme, from_attributes=True)


@router.get("/campaigns/{int:pk}/inclusion-targets", response=list[InclusionTargetOut])
@paginate
def inclusion_target_list(request: HttpRequest, pk: Id) -> list[InclusionTargetOut]:
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    return [
        InclusionTargetOut.model_validate(target, from_attributes=True)
        for target in campaign.inclusion_targets.all()
    ]


def _outputs_out(outputs: Outputs) -> OutputsOut:
    return OutputsOut(
        activities=outputs.activities,
        activities_by_type=dict(outputs.activities_by_type),
        volunteers=outputs.volunteers,
        international_volunteers=outputs.international_volunteers,
        local_volunteers=outputs.local_volunteers,
        local_participants=outputs.local_participants,
        participants=outputs.participants,
        hosting_countries=outputs.hosting_countries,
        active_organisations=outputs.active_organisations,
        new_partners=outputs.new_partners,
        volunteer_hours=outputs.volunteer_hours,
        hours_defaulted_activities=outputs.hours_defaulted_activities,
        activities_without_hours=outputs.activities_without_hours,
        fewer_opportunities=outputs.fewer_opportunities,
        fewer_opportunities_share=outputs.fewer_opportunities_share,
        education_sessions=outputs.education_sessions,
        education_sessions_by_theme=dict(outputs.education_sessions_by_theme),
    )


@router.get("/campaigns/{int:pk}/outputs", response=OutputTableOut)
def campaign_outputs(request: HttpRequest, pk: Id, by: Line = "year") -> OutputTableOut:
    """Output indicators (aggregates) of a campaign, in total and grouped ``by`` one of
    campaign, theme, country, region, organisation, year."""
    viewer_for(request.user).require_network_member()
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    if by not in DIMENSIONS:
        raise DomainError(
            _("Group by one of: %(dimensions)s.") % {"dimensions": ", ".join(DIMENSIONS)},
            field="by",
        )
    records = selectors.campaign_output_records(campaign=campaign)
    first_years = selectors.organisation_first_years()
    table = selectors.campaign_outputs_by(campaign=campaign, dimension=by)
    return OutputTableOut(
        dimension=by,
        total=_outputs_out(compute_outputs(records, first_years=first_years)),
        groups=[
            OutputGroupOut(key=str(group.key), outputs=_outputs_out(group.outputs))
            for group in table.groups
        ],
    )


# Activities --------------------------------------------------------------------------------


def _activity_out(activity: Activity) -> ActivityOut:
    data = ActivityData.from_activity(activity)
    return ActivityOut(
        id=activity.pk,
        campaign_id=activity.campaign_id,
        host_organisation_id=activity.host_organisation_id,
        hours_per_day_defaulted=activity.hours_per_day_defaulted,
        **{
            name: value
            for name, value in data.__dict__.items()
            if name not in {"theme_ids", "co_organiser_ids"}
        },
        theme_ids=list(data.theme_ids),
        co_organiser_ids=list(data.co_organiser_ids),
        pending_co_organiser_ids=co_organiser_ids_pending(activity=activity),
    )


@router.get("/activities", response=list[ActivityOut], summary="List activities")
@paginate
def activity_list(request: HttpRequest, filters: Query[ActivityFilter]) -> Rows[Activity]:
    """Activity records the user may read (own organisations; network staff: all)."""
    viewer_for(request.user).require_network_member()
    campaign = (
        selectors.campaign_get_for_user(user=request.user, pk=filters.campaign_id)
        if filters.campaign_id is not None
        else None
    )
    activities = selectors.activity_list_visible_to(
        user=request.user,
        campaign=campaign,
        organisation_id=filters.organisation_id,
        year=filters.year,
        activity_type=filters.activity_type,
        status=filters.status,
        theme_id=filters.theme_id,
        country=filters.country,
    )
    activities = updated_since(activities, filters.updated_since)
    return Rows(ACTIVITY_ORDERINGS.apply(activities, filters.ordering), _activity_out)


@router.get("/activities/{int:pk}", response=ActivityOut)
def activity_detail(request: HttpRequest, pk: Id) -> ActivityOut:
    return _activity_out(selectors.activity_get_for_user(user=request.user, pk=pk))


@router.post("/activities", response={201: ActivityOut})
def activity_create_endpoint(request: HttpRequest, payload: ActivityIn) -> Status[ActivityOut]:
    """Register an activity (network staff, or a coordinator of the hosting organisation)."""
    viewer_for(request.user).require_network_member()
    campaign = selectors.campaign_get_for_user(user=request.user, pk=payload.campaign_id)
    host = Organisation.objects.filter(pk=payload.host_organisation_id).first()
    if host is None:
        raise NotFound
    values: dict[str, Any] = payload.model_dump(exclude={"campaign_id", "host_organisation_id"})
    values["theme_ids"] = tuple(values["theme_ids"])
    values["co_organiser_ids"] = tuple(values["co_organiser_ids"])
    activity = activity_create(
        actor=request.user, campaign=campaign, host_organisation=host, data=ActivityData(**values)
    )
    return Status(
        201, _activity_out(selectors.activity_get_for_user(user=request.user, pk=activity.pk))
    )


@router.patch("/activities/{int:pk}", response=ActivityOut)
def activity_patch(request: HttpRequest, pk: Id, payload: ActivityPatch) -> ActivityOut:
    activity = selectors.activity_get_for_user(
        user=request.user, pk=pk, purpose=selectors.Purpose.WRITE
    )
    activity_update(
        actor=request.user, activity=activity, changes=payload.model_dump(exclude_unset=True)
    )
    return _activity_out(selectors.activity_get_for_user(user=request.user, pk=pk))


@router.post(
    "/activities/{int:pk}/co-organisers/{int:organisation_id}/accept", response={204: None}
)
def co_organiser_accept_endpoint(request: HttpRequest, pk: Id, organisation_id: Id) -> Status[None]:
    """A coordinator of the organisation asked to co-organise (or network staff) accepts."""
    co_organiser_accept(actor=request.user, activity_id=pk, organisation_id=organisation_id)
    return Status(204, None)


@router.delete("/activities/{int:pk}/co-organisers/{int:organisation_id}", response={204: None})
def co_organiser_withdraw_endpoint(
    request: HttpRequest, pk: Id, organisation_id: Id
) -> Status[None]:
    """A coordinator of the co-organiser (or network staff) declines the request, or stops
    co-organising."""
    co_organiser_withdraw(actor=request.user, activity_id=pk, organisation_id=organisation_id)
    return Status(204, None)


# Strategy ----------------------------------------------------------------------------------


def _rollup_out(rollup: Rollup) -> RollupOut:
    return RollupOut(
        progress=rollup.progress,
        actions=rollup.actions,
        overdue=rollup.overdue,
        at_risk=rollup.at_risk,
    )


def _action_out(row: selectors.ActionRow) -> ActionOut:
    action = row.action
    return ActionOut(
        id=action.pk,
        objective_id=action.objective_id,
        title=action.title,
        translations=action.translations,
        owner_organisation_id=action.owner_organisation_id,
        owner_user_id=action.owner_user_id,
        start_date=action.start_date,
        due_date=action.due_date,
        status=action.status,
        progress=action.progress,
        indicator=action.indicator,
        target=action.target,
        actual=row.actual,
        is_overdue=row.is_overdue,
        is_at_risk=row.is_at_risk,
    )


def _objective_out(row: selectors.ObjectiveRow) -> ObjectiveOut:
    return ObjectiveOut(
        id=row.objective.pk,
        goal_id=row.objective.goal_id,
        number=row.objective.number,
        title=row.objective.title,
        translations=row.objective.translations,
        progress=_rollup_out(row.rollup),
        actions=[_action_out(action) for action in row.actions],
    )


def _goal_out(row: selectors.GoalRow) -> GoalOut:
    return GoalOut(
        id=row.goal.pk,
        plan_id=row.goal.plan_id,
        number=row.goal.number,
        title=row.goal.title,
        description=row.goal.description,
        translations=row.goal.translations,
        progress=_rollup_out(row.rollup),
        objectives=[_objective_out(objective) for objective in row.objectives],
    )


def _progress(request: HttpRequest, plan_id: int) -> selectors.PlanProgress:
    plan = selectors.plan_get_for_user(user=request.user, pk=plan_id)
    return selectors.plan_progress(plan=plan, today=timezone.localdate())


@router.get("/plans", response=list[PlanOut])
@paginate
def plan_list(request: HttpRequest) -> list[PlanOut]:
    today = timezone.localdate()
    first_years = selectors.organisation_first_years()
    # each campaign's output records read once for all its plans
    records: dict[int, list[ActivityRecord]] = {}
    result = []
    for plan in selectors.plan_list_visible_to(user=request.user):
        if plan.campaign_id not in records:
            records[plan.campaign_id] = selectors.campaign_output_records(campaign=plan.campaign)
        progress = selectors.plan_progress(
            plan=plan,
            today=today,
            first_years=first_years,
            campaign_records=records[plan.campaign_id],
        )
        result.append(
            PlanOut(
                id=plan.pk,
                campaign_id=plan.campaign_id,
                title=plan.title,
                translations=plan.translations,
                start_year=plan.start_year,
                end_year=plan.end_year,
                is_published=plan.is_published,
                progress=_rollup_out(progress.rollup),
            )
        )
    return result


@router.get("/plans/{int:pk}", response=PlanDetailOut)
def plan_detail(request: HttpRequest, pk: Id) -> PlanDetailOut:
    """A plan with reflections and its goal → objective → action tree with roll-ups."""
    progress = _progress(request, pk)
    plan = progress.plan
    return PlanDetailOut(
        id=plan.pk,
        campaign_id=plan.campaign_id,
        title=plan.title,
        translations=plan.translations,
        start_year=plan.start_year,
        end_year=plan.end_year,
        is_published=plan.is_published,
        progress=_rollup_out(progress.rollup),
        reflections=[
            ReflectionOut.model_validate(reflection, from_attributes=True)
            for reflection in plan.reflections.all()
        ],
        goals=[_goal_out(goal) for goal in progress.goals],
    )


@router.get("/goals/{int:pk}", response=GoalOut)
def goal_detail(request: HttpRequest, pk: Id) -> GoalOut:
    goal = selectors.goal_get_for_user(user=request.user, pk=pk)
    progress = _progress(request, goal.plan_id)
    return _goal_out(next(row for row in progress.goals if row.goal.pk == goal.pk))


@router.get("/objectives/{int:pk}", response=ObjectiveOut)
def objective_detail(request: HttpRequest, pk: Id) -> ObjectiveOut:
    objective = selectors.objective_get_for_user(user=request.user, pk=pk)
    progress = _progress(request, objective.goal.plan_id)
    rows = [item for goal in progress.goals for item in goal.objectives]
    return _objective_out(next(row for row in rows if row.objective.pk == objective.pk))


@router.get("/actions/mine", response=list[ActionOut])
@paginate
def my_action_list(request: HttpRequest) -> list[ActionOut]:
    """Actions the user or their organisations own."""
    return [
        _action_out(row)
        for row in selectors.my_action_rows(user=request.user, today=timezone.localdate())
    ]


@router.get("/actions/{int:pk}", response=ActionOut)
def action_detail(request: HttpRequest, pk: Id) -> ActionOut:
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    progress = _progress(request, action.objective.goal.plan_id)
    return _action_out(next(row for row in progress.actions if row.action.pk == action.pk))


@router.patch("/actions/{int:pk}/progress", response=ActionOut)
def action_progress_patch(request: HttpRequest, pk: Id, payload: ActionProgressPatch) -> ActionOut:
    """Record progress (owners, coordinators of the owner organisation, network staff)."""
    action = selectors.action_get_for_user(user=request.user, pk=pk, write=True)
    action_progress_update(
        actor=request.user,
        action=action,
        progress=payload.progress,
        status=payload.status,
        note=payload.note,
    )
    return action_detail(request, pk)


# Writing the strategy (network staff; readers of the plan get 403, others 404) ------------


@router.post("/plans", response={201: PlanDetailOut})
def plan_create_endpoint(request: HttpRequest, payload: PlanIn) -> Status[PlanDetailOut]:
    """Start a strategy plan for a campaign or project."""
    campaign = selectors.campaign_get_for_user(
        user=request.user, pk=payload.campaign_id, write=True
    )
    plan = plan_create(
        actor=request.user,
        campaign=campaign,
        title=payload.title,
        start_year=payload.start_year,
        end_year=payload.end_year,
        translations=payload.translations,
    )
    return Status(201, plan_detail(request, plan.pk))


@router.patch("/plans/{int:pk}", response=PlanDetailOut)
def plan_patch(request: HttpRequest, pk: Id, payload: PlanPatch) -> PlanDetailOut:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk, write=True)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    _no_nulls(changes)
    plan_update(actor=request.user, plan=plan, changes=changes)
    return plan_detail(request, pk)


@router.post("/plans/{int:pk}/reflections", response={201: ReflectionOut})
def reflection_create_endpoint(
    request: HttpRequest, pk: Id, payload: ReflectionIn
) -> Status[ReflectionOut]:
    """Add a reflection (previous experience, current challenges or future plans)."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk, write=True)
    reflection = reflection_add(actor=request.user, plan=plan, **payload.model_dump())
    return Status(201, ReflectionOut.model_validate(reflection, from_attributes=True))


@router.post("/goals", response={201: GoalOut})
def goal_create_endpoint(request: HttpRequest, payload: GoalIn) -> Status[GoalOut]:
    """Add a goal to a plan; without a number it comes after the last one."""
    plan = selectors.plan_get_for_user(user=request.user, pk=payload.plan_id, write=True)
    goal = goal_create(
        actor=request.user,
        plan=plan,
        number=payload.number,
        title=payload.title,
        description=payload.description,
        translations=payload.translations,
    )
    return Status(201, goal_detail(request, goal.pk))


@router.patch("/goals/{int:pk}", response=GoalOut)
def goal_patch(request: HttpRequest, pk: Id, payload: GoalPatch) -> GoalOut:
    goal = selectors.goal_get_for_user(user=request.user, pk=pk, write=True)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    _no_nulls(changes)
    goal_update(actor=request.user, goal=goal, changes=changes)
    return goal_detail(request, pk)


@router.delete("/goals/{int:pk}", response={204: None})
def goal_delete_endpoint(request: HttpRequest, pk: Id) -> Status[None]:
    """Delete a goal with its objectives and their actions."""
    goal = selectors.goal_get_for_user(user=request.user, pk=pk, write=True)
    goal_delete(actor=request.user, goal=goal)
    return Status(204, None)


@router.post("/objectives", response={201: ObjectiveOut})
def objective_create_endpoint(request: HttpRequest, payload: ObjectiveIn) -> Status[ObjectiveOut]:
    """Add an objective to a goal; without a number it comes after the last one."""
    goal = selectors.goal_get_for_user(user=request.user, pk=payload.goal_id, write=True)
    objective = objective_create(
        actor=request.user,
        goal=goal,
        number=payload.number,
        title=payload.title,
        translations=payload.translations,
    )
    return Status(201, objective_detail(request, objective.pk))


@router.patch("/objectives/{int:pk}", response=ObjectiveOut)
def objective_patch(request: HttpRequest, pk: Id, payload: ObjectivePatch) -> ObjectiveOut:
    objective = selectors.objective_get_for_user(user=request.user, pk=pk, write=True)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    _no_nulls(changes)
    objective_update(actor=request.user, objective=objective, changes=changes)
    return objective_detail(request, pk)


@router.delete("/objectives/{int:pk}", response={204: None})
def objective_delete_endpoint(request: HttpRequest, pk: Id) -> Status[None]:
    """Delete an objective with its actions."""
    objective = selectors.objective_get_for_user(user=request.user, pk=pk, write=True)
    objective_delete(actor=request.user, objective=objective)
    return Status(204, None)


def _owners(changes: dict[str, Any]) -> dict[str, Any]:
    """Turn ``owner_organisation_id`` / ``owner_user_id`` into objects (DomainError naming the
    field when there is no such organisation or member)."""
    owners: dict[str, Any] = {}
    if "owner_organisation_id" in changes:
        pk = changes.pop("owner_organisation_id")
        owners["owner_organisation"] = (
            None if pk is None else Organisation.objects.filter(pk=pk).first()
        )
        if pk is not None and owners["owner_organisation"] is None:
            raise DomainError(_("There is no such organisation."), field="owner_organisation_id")
    if "owner_user_id" in changes:
        pk = changes.pop("owner_user_id")
        owners["owner_user"] = (
            None if pk is None else selectors.action_owner_choices().filter(pk=pk).first()
        )
        if pk is not None and owners["owner_user"] is None:
            raise DomainError(_("There is no such member."), field="owner_user_id")
    return owners


@router.post("/actions", response={201: ActionOut})
def action_create_endpoint(request: HttpRequest, payload: ActionIn) -> Status[ActionOut]:
    """Plan an action under an objective, owned by an organisation and/or a member."""
    objective = selectors.objective_get_for_user(
        user=request.user, pk=payload.objective_id, write=True
    )
    values: dict[str, Any] = payload.model_dump(exclude={"objective_id"})
    values.update(_owners(values))
    action = action_create(actor=request.user, objective=objective, **values)
    return Status(201, action_detail(request, action.pk))


@router.patch("/actions/{int:pk}", response=ActionOut)
def action_patch(request: HttpRequest, pk: Id, payload: ActionPatch) -> ActionOut:
    """Change an action as a whole (network staff; owners use ``/actions/{id}/progress``)."""
    action = selectors.action_get_for_planner(user=request.user, pk=pk)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    _no_nulls(changes, nullable=frozenset({"owner_organisation_id", "owner_user_id", "target"}))
    changes.update(_owners(changes))
    action_update(actor=request.user, action=action, changes=changes)
    return action_detail(request, pk)


@router.delete("/actions/{int:pk}", response={204: None})
def action_delete_endpoint(request: HttpRequest, pk: Id) -> Status[None]:
    action = selectors.action_get_for_planner(user=request.user, pk=pk)
    action_delete(actor=request.user, action=action)
    return Status(204, None)
