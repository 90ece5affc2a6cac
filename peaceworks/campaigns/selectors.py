"""Reads for campaigns, activities and strategy, taking the viewer into account.

Who sees what:

* **Programmes, campaigns, projects and themes** are network-level: every signed-in person
  with a role (any membership) can read them; stakeholders only see published campaigns.
  Only network staff change them.
* **Activity records** (the raw rows, with counts per organisation) are visible to network
  staff and to the coordinators and members of the hosting organisation or of a
  co-organiser. Everyone else — members of other organisations and analysts — sees
  activities only in aggregate, through the output indicators. Writing needs network staff
  or a coordinator of the hosting organisation.
* **Output indicators** (aggregates) are visible to everyone who sees network aggregates;
  the public page shows those of published campaigns only.
* **Strategy plans** are read by every member; an action's progress is written by network
  staff, its owner, or a coordinator of its owner organisation.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peaceworks.accounts.access import Actor, Viewer, viewer_for
from peaceworks.accounts.hooks import ITEMS_PER_GROUP, AttentionGroup, AttentionItem
from peaceworks.accounts.models import Role, User
from peaceworks.campaigns.models import (
    Action,
    ActionProgressEntry,
    Activity,
    Campaign,
    Goal,
    Objective,
    Plan,
    Programme,
    Reflection,
    Theme,
)
from peaceworks.campaigns.outputs import (
    ActivityRecord,
    Outputs,
    OutputTable,
    compute_outputs,
    group_outputs,
)
from peaceworks.campaigns.strategy import ActionState, Rollup, action_state, rollup
from peaceworks.core.errors import Forbidden, NotFound
from peaceworks.core.search import ranked_search
from peaceworks.directory import geography
from peaceworks.directory.models import Organisation

_RECORD_ROLES = frozenset({Role.ORG_COORDINATOR, Role.ORG_MEMBER})
_ANALYSIS_ROLES = frozenset({Role.ORG_COORDINATOR, Role.ORG_MEMBER, Role.ANALYST})


class Purpose(enum.Enum):
    """Why an activity is asked for; the one rule of who may (``activity_access``)."""

    READ = "read"  #: the record itself: its counts per organisation
    ANALYSE = "analyse"  #: its survey rounds and figures (aggregates), not raw records
    WRITE = "write"  #: change it, open its rounds, import its answers


def activity_access(viewer: Viewer, purpose: Purpose, *, prefix: str = "") -> Q | None:
    """The one rule for an activity, as a filter on activities (``prefix`` reaches them from
    another model, e.g. ``"activity__"`` from rounds); None means every activity.

    Network staff: every activity, for every purpose. Anyone else: the activities hosted or
    co-organised by an organisation where they are a coordinator or a member (``READ``),
    or also an analyst (``ANALYSE``, and ``WRITE``, which then needs a coordinator of the
    host: see :func:`activity_get_for_user`). No organisation: nothing.
    """
    if viewer.is_network_staff:
        return None
    roles = _RECORD_ROLES if purpose is Purpose.READ else _ANALYSIS_ROLES
    orgs = [org for org, role in viewer.org_roles.items() if role in roles]
    co_organised = Activity.co_organisers.through.objects.filter(organisation_id__in=orgs).values(
        "activity_id"
    )
    # A subquery, not a join, so callers may count related rows without duplicates.
    return Q(**{f"{prefix}host_organisation_id__in": orgs}) | Q(**{f"{prefix}pk__in": co_organised})


# Programmes and campaigns ------------------------------------------------------------------


def programme_list_visible_to(*, user: Actor) -> QuerySet[Programme]:
    viewer = viewer_for(user)
    if not viewer.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.all()


def programme_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Programme:
    viewer = viewer_for(user)
    programme = programme_list_visible_to(user=user).filter(pk=pk).first()
    if programme is None:
        raise NotFound
    if write and not viewer.is_network_staff:
        raise Forbidden
    return programme


def campaign_list_visible_to(*, user: Actor, kind: str | None = None) -> QuerySet[Campaign]:
    viewer = viewer_for(user)
    campaigns = Campaign.objects.select_related("programme", "lead_organisation")
    if kind:
        campaigns = campaigns.filter(kind=kind)
    if not viewer.is_authenticated:
        return campaigns.none()
    if not viewer.is_network_member:
        return campaigns.filter(is_published=True)
    return campaigns


def campaign_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Campaign:
    """404 when the viewer may not see it; 403 when a non-staff reader asks to write."""
    viewer = viewer_for(user)
    campaign = campaign_list_visible_to(user=user).filter(pk=pk).first()
    if campaign is None:
        raise NotFound
    if write and not viewer.is_network_staff:
        raise Forbidden
    return campaign


def campaign_get_by_code(*, user: Actor, code: str) -> Campaign:
    campaign = campaign_list_visible_to(user=user).filter(code=code).first()
    if campaign is None:
        raise NotFound
    return campaign


def campaign_get_published(*, code: str) -> Campaign:
    """A published campaign for the public page (no login); 404 otherwise."""
    campaign = Campaign.objects.filter(code=code, is_published=True).first()
    if campaign is None:
        raise NotFound
    return campaign


def theme_list(*, campaign: Campaign) -> QuerySet[Theme]:
    return Theme.objects.filter(campaign=campaign).order_by("number")


def theme_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Theme:
    """A theme of a campaign the viewer sees (404 otherwise; 403 when a non-staff reader
    asks to write), as :func:`campaign_get_for_user` decides for its campaign."""
    theme = Theme.objects.filter(pk=pk).first()
    if theme is None:
        raise NotFound
    theme.campaign = campaign_get_for_user(user=user, pk=theme.campaign_id, write=write)
    return theme


# Activities --------------------------------------------------------------------------------


def _activity_base() -> QuerySet[Activity]:
    return Activity.objects.select_related("campaign", "host_organisation").prefetch_related(
        "themes", "co_organisers", "co_organiser_requests"
    )


def _visible(
    viewer: Viewer, activities: QuerySet[Activity], purpose: Purpose
) -> QuerySet[Activity]:
    rule = activity_access(viewer, purpose)
    return activities if rule is None else activities.filter(rule)


def activity_list_visible_to(
    *,
    user: Actor,
    campaign: Campaign | None = None,
    organisation_id: int | None = None,
    year: int | None = None,
    activity_type: str | None = None,
    status: str | None = None,
    theme_id: int | None = None,
    country: str | None = None,
    title_contains: str = "",
    purpose: Purpose = Purpose.READ,
) -> QuerySet[Activity]:
    """Activities the user may see for ``purpose`` (see :func:`activity_access`), filtered."""
    activities = _activity_base()
    if title_contains:
        activities = activities.filter(title__icontains=title_contains)
    if campaign is not None:
        activities = activities.filter(campaign=campaign)
    if organisation_id is not None:
        activities = activities.filter(host_organisation_id=organisation_id)
    if year is not None:
        activities = activities.filter(start_date__year=year)
    if activity_type:
        activities = activities.filter(activity_type=activity_type)
    if status:
        activities = activities.filter(status=status)
    if theme_id is not None:
        activities = activities.filter(themes__id=theme_id)
    if country:
        activities = activities.filter(country=country.upper())
    return _visible(viewer_for(user), activities, purpose).order_by("-start_date", "title", "pk")


def activity_get_for_user(*, user: Actor, pk: int, purpose: Purpose = Purpose.READ) -> Activity:
    """The one access function of an activity, asked by pages, the API, tasks and commands:
    NotFound when :func:`activity_access` hides it for ``purpose``; for ``WRITE``, Forbidden
    when the viewer sees it but is not network staff or a coordinator of the host."""
    viewer = viewer_for(user)
    activity = _visible(viewer, _activity_base().filter(pk=pk), purpose).first()
    if activity is None:
        raise NotFound
    if purpose is Purpose.WRITE and not viewer.can_write_org(activity.host_organisation_id):
        raise Forbidden
    return activity


def activity_check(*, user: Actor, activity: Activity, purpose: Purpose) -> None:
    """:func:`activity_get_for_user` for an activity already in hand, as services check it:
    the same NotFound / Forbidden. ``None`` is the system (a task or command acting for no
    one), which may do anything."""
    if user is None:
        return
    viewer = viewer_for(user)
    rule = activity_access(viewer, purpose)
    if rule is not None and not Activity.objects.filter(rule, pk=activity.pk).exists():
        raise NotFound
    if purpose is Purpose.WRITE and not viewer.can_write_org(activity.host_organisation_id):
        raise Forbidden


def activity_month_groups(
    activities: QuerySet[Activity],
) -> list[tuple[date, list[Activity]]]:
    """Activities grouped by the month they start in (for the calendar), earliest first."""
    months: dict[date, list[Activity]] = defaultdict(list)
    for activity in activities.order_by("start_date", "title"):
        months[activity.start_date.replace(day=1)].append(activity)
    return sorted(months.items())


def activity_country_counts(*, campaign: Campaign) -> list[tuple[str, int]]:
    """Activities (not cancelled) per hosting country: aggregates, visible to members."""
    rows = (
        Activity.objects.filter(campaign=campaign)
        .exclude(status=Activity.Status.CANCELLED)
        .values("country")
        .annotate(count=Count("id"))
        .order_by("-count", "country")
    )
    return [(str(row["country"]), int(row["count"])) for row in rows]


def activity_list_hosted_by(*, user: Actor, organisation: Organisation) -> list[Activity]:
    """The latest 50 activities an organisation hosts that the viewer may analyse (the
    organisation page of the directory lists them)."""
    activities = activity_list_visible_to(
        user=user, organisation_id=organisation.pk, purpose=Purpose.ANALYSE
    )
    return list(activities[:50])


def activity_counts_per_country(*, hosts: QuerySet[Organisation] | None) -> dict[str, int]:
    """Activities (not cancelled) per hosting country, of every campaign, optionally only
    those hosted by ``hosts`` (the directory's world map)."""
    activities = Activity.objects.exclude(status=Activity.Status.CANCELLED)
    if hosts is not None:
        activities = activities.filter(host_organisation__in=hosts)
    rows = activities.values_list("country").annotate(n=Count("pk")).values_list("country", "n")
    return {str(country): int(count) for country, count in rows}


# Output records ----------------------------------------------------------------------------


def output_records(*, activities: QuerySet[Activity]) -> list[ActivityRecord]:
    """Compact records for :mod:`peaceworks.campaigns.outputs` in three queries.

    Cancelled activities are left out. Callers choose the activities (every campaign
    activity for aggregates — the records never reach a page, only their sums do).
    """
    chosen = activities.exclude(status=Activity.Status.CANCELLED).order_by()
    rows = list(
        chosen.values_list(
            "id",
            "campaign_id",
            "host_organisation_id",
            "activity_type",
            "start_date",
            "end_date",
            "country",
            "international_volunteers",
            "local_volunteers",
            "local_participants",
            "fewer_opportunities_total",
            "hours_per_day",
            "hours_per_day_defaulted",
        )
    )
    ids = chosen.values("id")
    themes: dict[int, list[int]] = defaultdict(list)
    for activity_id, theme_id in Activity.themes.through.objects.filter(
        activity_id__in=ids
    ).values_list("activity_id", "theme_id"):
        themes[activity_id].append(theme_id)
    co_organisers: dict[int, list[int]] = defaultdict(list)
    for activity_id, organisation_id in Activity.co_organisers.through.objects.filter(
        activity_id__in=ids
    ).values_list("activity_id", "organisation_id"):
        co_organisers[activity_id].append(organisation_id)
    return [
        ActivityRecord(
            *row,
            theme_ids=tuple(sorted(themes[row[0]])),
            co_organiser_ids=tuple(sorted(co_organisers[row[0]])),
        )
        for row in rows
    ]


def organisation_first_years() -> dict[int, int]:
    """The year of each organisation's first (not cancelled) activity as host or
    co-organiser, over every campaign (two aggregate queries)."""
    active = Activity.objects.exclude(status=Activity.Status.CANCELLED)
    first: dict[int, int] = {}
    for organisation_id, start in (
        active.values("host_organisation_id")
        .annotate(first=Min("start_date"))
        .values_list("host_organisation_id", "first")
    ):
        first[organisation_id] = start.year
    co_rows = (
        Activity.co_organisers.through.objects.filter(activity__in=active)
        .values("organisation_id")
        .annotate(first=Min("activity__start_date"))
    )
    for row in co_rows:
        organisation_id, year = int(row["organisation_id"]), row["first"].year
        first[organisation_id] = min(first.get(organisation_id, year), year)
    return first


def campaign_output_records(*, campaign: Campaign) -> list[ActivityRecord]:
    return output_records(activities=Activity.objects.filter(campaign=campaign))


# Strategy ----------------------------------------------------------------------------------


def plan_list_visible_to(*, user: Actor, campaign: Campaign | None = None) -> QuerySet[Plan]:
    viewer = viewer_for(user)
    plans = Plan.objects.select_related("campaign")
    if campaign is not None:
        plans = plans.filter(campaign=campaign)
    if not viewer.is_authenticated:
        return plans.none()
    if not viewer.is_network_member:
        return plans.filter(is_published=True, campaign__is_published=True)
    return plans


def plan_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Plan:
    viewer = viewer_for(user)
    plan = plan_list_visible_to(user=user).filter(pk=pk).first()
    if plan is None:
        raise NotFound
    if write and not viewer.is_network_staff:
        raise Forbidden
    return plan


def plan_tree(*, plan: Plan) -> list[Goal]:
    """Goals with objectives, actions and owners prefetched (four queries)."""
    actions = Action.objects.select_related("owner_organisation", "owner_user")
    objectives = Objective.objects.prefetch_related(Prefetch("actions", queryset=actions))
    return list(
        Goal.objects.filter(plan=plan).prefetch_related(Prefetch("objectives", queryset=objectives))
    )


def goal_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Goal:
    goal = Goal.objects.select_related("plan").filter(pk=pk).first()
    if goal is None:
        raise NotFound
    plan_get_for_user(user=user, pk=goal.plan_id, write=write)
    return goal


def objective_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Objective:
    objective = Objective.objects.select_related("goal__plan").filter(pk=pk).first()
    if objective is None:
        raise NotFound
    plan_get_for_user(user=user, pk=objective.goal.plan_id, write=write)
    return objective


def reflection_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Reflection:
    reflection = Reflection.objects.select_related("plan__campaign").filter(pk=pk).first()
    if reflection is None:
        raise NotFound
    plan_get_for_user(user=user, pk=reflection.plan_id, write=write)
    return reflection


def action_get_for_planner(*, user: Actor, pk: int) -> Action:
    """An action to edit or delete as a whole: NotFound unless the user reads its plan,
    Forbidden unless network staff (owners only record progress)."""
    action = action_get_for_user(user=user, pk=pk)
    plan_get_for_user(user=user, pk=action.objective.goal.plan_id, write=True)
    return action


def action_owner_choices() -> QuerySet[User]:
    """People who may own an action: active users with a membership, by e-mail address."""
    people = User.objects.filter(is_active=True, memberships__isnull=False)
    return people.distinct().order_by("email")


def can_update_action(viewer: Viewer, action: Action) -> bool:
    if viewer.is_network_staff or (
        viewer.user_id is not None and action.owner_user_id == viewer.user_id
    ):
        return True
    return (
        action.owner_organisation_id is not None
        and action.owner_organisation_id in viewer.writable_org_ids
    )


def action_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Action:
    """An action of a plan the user can read; Forbidden when writing without being network
    staff, its owner or a coordinator of its owner organisation."""
    viewer = viewer_for(user)
    action = (
        Action.objects.select_related("objective__goal__plan", "owner_organisation", "owner_user")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise NotFound
    plan_get_for_user(user=user, pk=action.objective.goal.plan_id)
    if write and not can_update_action(viewer, action):
        raise Forbidden
    return action


def action_progress_history(*, action: Action, limit: int = 50) -> list[ActionProgressEntry]:
    """The latest saved progress entries of ``action`` (already fetched through
    :func:`action_get_for_user`), newest first, with who recorded them."""
    return list(action.progress_entries.select_related("recorded_by")[:limit])


def action_list_for_user(*, user: Actor) -> QuerySet[Action]:
    """ "My actions": those the user owns or their organisations own, soonest due first.

    Only actions of plans the user may read (a stakeholder's organisation may own actions of
    plans not yet published: they are not listed to the stakeholder).
    """
    viewer = viewer_for(user)
    if not viewer.is_authenticated:
        return Action.objects.none()
    orgs = frozenset(viewer.org_roles)
    return (
        Action.objects.select_related("objective__goal__plan", "owner_organisation", "owner_user")
        .filter(Q(owner_user_id=viewer.user_id) | Q(owner_organisation_id__in=orgs))
        .filter(objective__goal__plan__in=plan_list_visible_to(user=user).values("pk"))
        .order_by("due_date", "pk")
    )


# Page read-models --------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    action: Action
    is_overdue: bool
    is_at_risk: bool
    actual: Decimal | None
    #: whether the viewer may update its progress (the "Update" link shows only then)
    can_update: bool = False


@dataclass(frozen=True)
class ObjectiveRow:
    objective: Objective
    rollup: Rollup
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    rollup: Rollup
    objectives: tuple[ObjectiveRow, ...]


@dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    rollup: Rollup
    goals: tuple[GoalRow, ...]
    outputs: Outputs

    @property
    def actions(self) -> list[ActionRow]:
        return [row for goal in self.goals for item in goal.objectives for row in item.actions]


def plan_progress(
    *,
    plan: Plan,
    today: date,
    first_years: dict[int, int] | None = None,
    campaign_records: Sequence[ActivityRecord] | None = None,
) -> PlanProgress:
    """The plan's tree with roll-ups, flags and each linked indicator's actual value over the
    plan's years (output indicators of the plan's campaign). A caller that has read the
    campaign's output records already (``campaign_output_records`` of the plan's campaign)
    passes them as ``campaign_records`` instead of having them read again for each plan."""
    if campaign_records is None:
        campaign_records = campaign_output_records(campaign=plan.campaign)
    records = [
        record for record in campaign_records if plan.start_year <= record.year <= plan.end_year
    ]
    outputs = compute_outputs(
        records, first_years=first_years if first_years is not None else organisation_first_years()
    )
    goals: list[GoalRow] = []
    every: list[ActionState] = []
    for goal in plan_tree(plan=plan):
        objective_rows: list[ObjectiveRow] = []
        goal_states: list[ActionState] = []
        for objective in goal.objectives.all():
            states = [action_state(action) for action in objective.actions.all()]
            goal_states.extend(states)
            rows = tuple(
                ActionRow(
                    action=action,
                    is_overdue=state.is_overdue(today),
                    is_at_risk=state.is_at_risk(today),
                    actual=outputs.value(action.indicator) if action.indicator else None,
                )
                for action, state in zip(objective.actions.all(), states, strict=True)
            )
            objective_rows.append(
                ObjectiveRow(objective=objective, rollup=rollup(states, today=today), actions=rows)
            )
        every.extend(goal_states)
        goals.append(
            GoalRow(
                goal=goal, rollup=rollup(goal_states, today=today), objectives=tuple(objective_rows)
            )
        )
    return PlanProgress(
        plan=plan, rollup=rollup(every, today=today), goals=tuple(goals), outputs=outputs
    )


def plan_timeline_spec(progress: PlanProgress) -> dict[str, Any]:
    """A Vega-Lite Gantt-like chart of the plan's actions (rendered to SVG server-side)."""
    values = [
        {
            "action": f"{row.action.translated('title')[:48]}",
            "start": row.action.start_date.isoformat(),
            "due": row.action.due_date.isoformat(),
            "state": str(
                _("overdue")
                if row.is_overdue
                else _("at risk")
                if row.is_at_risk
                else row.action.get_status_display()
            ),
        }
        for row in progress.actions
    ]
    actions = [row.action for row in progress.actions]
    description = ngettext(
        "Timeline of the plan's %(count)s action, from %(first)s to %(last)s; the table "
        "below gives each action's dates and status.",
        "Timeline of the plan's %(count)s actions, from %(first)s to %(last)s; the table "
        "below gives each action's dates and status.",
        len(actions),
    ) % {
        "count": len(actions),
        "first": date_format(min(a.start_date for a in actions)) if actions else "\N{EN DASH}",
        "last": date_format(max(a.due_date for a in actions)) if actions else "\N{EN DASH}",
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": description,
        "config": {"aria": False},
        "width": 640,
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadius": 2},
        "encoding": {
            "y": {"field": "action", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "start", "type": "temporal", "title": None},
            "x2": {"field": "due"},
            "color": {"field": "state", "type": "nominal", "title": None},
        },
    }


@dataclass(frozen=True)
class CampaignOverview:
    campaign: Campaign
    themes: tuple[Theme, ...]
    months: list[tuple[date, list[Activity]]]
    country_counts: list[tuple[str, int]]
    outputs: Outputs
    by_year: OutputTable
    theme_sessions: tuple[tuple[Theme, int], ...]
    plans: tuple[PlanProgress, ...]
    #: (year, target %, actual % or None) for each inclusion target of the campaign
    inclusion: tuple[tuple[int, Decimal, Decimal | None], ...] = field(default_factory=tuple)


def campaign_overview(*, user: Actor, campaign: Campaign, today: date) -> CampaignOverview:
    """Everything the campaign page shows, in a bounded number of queries: activity records
    only where the user may read them; counts and indicators as aggregates."""
    records = campaign_output_records(campaign=campaign)
    first_years = organisation_first_years()
    outputs = compute_outputs(records, first_years=first_years)
    themes = tuple(theme_list(campaign=campaign))
    sessions = dict(outputs.education_sessions_by_theme)
    by_year = group_outputs(records, dimension="year", first_years=first_years)
    actual = {group.key: group.outputs.fewer_opportunities_share for group in by_year.groups}
    plans = tuple(
        plan_progress(plan=plan, today=today, first_years=first_years, campaign_records=records)
        for plan in plan_list_visible_to(user=user, campaign=campaign)
    )
    return CampaignOverview(
        campaign=campaign,
        themes=themes,
        months=activity_month_groups(activity_list_visible_to(user=user, campaign=campaign)),
        country_counts=activity_country_counts(campaign=campaign),
        outputs=outputs,
        by_year=by_year,
        theme_sessions=tuple((theme, sessions.get(theme.pk, 0)) for theme in themes),
        plans=plans,
        inclusion=tuple(
            (target.year, target.share_fewer_opportunities, actual.get(target.year))
            for target in campaign.inclusion_targets.all()
        ),
    )


@dataclass(frozen=True)
class PublicOverview:
    campaign: Campaign
    themes: tuple[Theme, ...]
    country_counts: list[tuple[str, int]]
    outputs: Outputs
    by_year: OutputTable
    plans: tuple[PlanProgress, ...]


def campaign_public_overview(*, campaign: Campaign, today: date) -> PublicOverview:
    """The public page: aggregates only (no activity record, no organisation), and only the
    plans marked as published."""
    records = campaign_output_records(campaign=campaign)
    first_years = organisation_first_years()
    return PublicOverview(
        campaign=campaign,
        themes=tuple(theme_list(campaign=campaign)),
        country_counts=activity_country_counts(campaign=campaign),
        outputs=compute_outputs(records, first_years=first_years),
        by_year=group_outputs(records, dimension="year", first_years=first_years),
        plans=tuple(
            plan_progress(plan=plan, today=today, first_years=first_years, campaign_records=records)
            for plan in Plan.objects.filter(campaign=campaign, is_published=True)
        ),
    )


def campaign_outputs_by(*, campaign: Campaign, dimension: str) -> OutputTable:
    """Output indicators of a campaign grouped by one of ``outputs.DIMENSIONS``."""
    return group_outputs(
        campaign_output_records(campaign=campaign),
        dimension=dimension,
        first_years=organisation_first_years(),
    )


def my_action_rows(*, user: Actor, today: date) -> list[ActionRow]:
    """The user's actions (own or their organisations') with overdue and at-risk flags."""
    viewer = viewer_for(user)
    rows = []
    for action in action_list_for_user(user=user):
        state = action_state(action)
        rows.append(
            ActionRow(
                action=action,
                is_overdue=state.is_overdue(today),
                is_at_risk=state.is_at_risk(today),
                actual=None,
                can_update=can_update_action(viewer, action),
            )
        )
    return rows


def dimension_labels(
    *, campaign: Campaign, dimension: str, table: OutputTable
) -> dict[object, str]:
    """Readable labels for the keys of an output table (one query at most)."""
    keys = [group.key for group in table.groups]
    if dimension == "theme":
        return {theme.pk: str(theme) for theme in Theme.objects.filter(pk__in=keys)}
    if dimension == "campaign":
        return {item.pk: item.translated("name") for item in Campaign.objects.filter(pk__in=keys)}
    if dimension == "organisation":
        return {item.pk: item.name for item in Organisation.objects.filter(pk__in=keys)}
    if dimension == "region":
        return {key: geography.region_name(str(key)) or str(key) for key in keys}
    return {key: str(key) for key in keys}


def updatable_action_ids(*, user: Actor, progress: PlanProgress) -> frozenset[int]:
    """The plan's actions whose progress the user may update (to offer the link only there)."""
    viewer = viewer_for(user)
    return frozenset(
        row.action.pk for row in progress.actions if can_update_action(viewer, row.action)
    )


# What needs a person now (lent to accounts.hooks) ----------------------------------------

ATTENTION_OVERDUE_ACTIONS = "campaigns.actions_overdue"


def attention_overdue_actions(user: User, today: date) -> list[AttentionGroup]:
    """The strategy actions ``user`` or their organisations own that are past due and not
    done, the most overdue first (one group; empty when there is none)."""
    overdue = [
        action
        for action in action_list_for_user(user=user).exclude(status__in=_CLOSED_STATUSES)
        if action_state(action).is_overdue(today)
    ]
    return [
        AttentionGroup(
            kind=ATTENTION_OVERDUE_ACTIONS,
            label=ATTENTION_LABELS[ATTENTION_OVERDUE_ACTIONS],
            url=reverse("campaigns:my_actions"),
            count=len(overdue),
            items=tuple(
                AttentionItem(
                    key=f"campaigns.action:{action.pk}:overdue:{action.due_date.isoformat()}",
                    title=action.title,
                    url=reverse("campaigns:plan_detail", args=[action.objective.goal.plan_id])
                    + f"#action-{action.pk}",
                    due=action.due_date,
                )
                for action in overdue[:ITEMS_PER_GROUP]
            ),
        )
    ]


ATTENTION_LABELS = {ATTENTION_OVERDUE_ACTIONS: gettext_lazy("Overdue strategy actions")}
_CLOSED_STATUSES = (Action.Status.DONE, Action.Status.CANCELLED)


# Search (combined by the web app's search page) --------------------------------------------


def activity_search(*, user: Actor, query: str) -> QuerySet[Activity]:
    """Activities matching ``query`` that the user may open (:func:`activity_access`, READ)."""
    activities = _visible(
        viewer_for(user), Activity.objects.select_related("host_organisation"), Purpose.READ
    )
    return ranked_search(activities, query=query, fields=("title", "code", "place"), title="title")


def action_search(*, user: Actor, query: str) -> QuerySet[Action]:
    """Strategy actions matching ``query`` in the plans the user may read."""
    actions = Action.objects.select_related("objective__goal__plan").filter(
        objective__goal__plan__in=plan_list_visible_to(user=user).values("pk")
    )
    return ranked_search(actions, query=query, fields=("title",), title="title")
