from django.contrib import admin

from peaceworks.campaigns.models import Activity, Campaign, Programme, Theme


class ThemeInline(admin.TabularInline[Theme, Campaign]):
    model = Theme
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ["name", "code", "start_date", "end_date"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ["name", "kind", "programme", "start_date", "end_date"]
    list_filter = ["kind"]
    inlines = [ThemeInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    list_display = ["title", "activity_type", "host_organisation", "start_date", "status"]
    list_filter = ["activity_type", "status", "campaign"]
    search_fields = ["title", "code"]
    filter_horizontal = ["themes"]
