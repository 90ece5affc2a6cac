from django.contrib import admin

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


class ThemeInline(admin.TabularInline[Theme, Campaign]):
    model = Theme
    extra = 0


class InclusionTargetInline(admin.TabularInline[InclusionTarget, Campaign]):
    model = InclusionTarget
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ["name", "code", "start_date", "end_date"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ["name", "kind", "programme", "start_date", "end_date", "is_published"]
    list_filter = ["kind", "is_published"]
    filter_horizontal = ["partner_organisations"]
    inlines = [ThemeInline, InclusionTargetInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    list_display = ["title", "activity_type", "host_organisation", "start_date", "status"]
    list_filter = ["activity_type", "status", "campaign"]
    search_fields = ["title", "code"]
    filter_horizontal = ["themes", "co_organisers"]


class ReflectionInline(admin.StackedInline[Reflection, Plan]):
    model = Reflection
    extra = 0


class GoalInline(admin.TabularInline[Goal, Plan]):
    model = Goal
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["title", "campaign", "start_year", "end_year", "is_published"]
    inlines = [ReflectionInline, GoalInline]


class ObjectiveInline(admin.TabularInline[Objective, Goal]):
    model = Objective
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ["title", "plan", "number"]
    inlines = [ObjectiveInline]


class ActionInline(admin.TabularInline[Action, Objective]):
    model = Action
    extra = 0
    autocomplete_fields = ["owner_user"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin[Objective]):
    list_display = ["title", "goal", "number"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin[Action]):
    list_display = ["title", "owner_organisation", "due_date", "status", "progress"]
    list_filter = ["status", "objective__goal__plan"]
    search_fields = ["title"]
