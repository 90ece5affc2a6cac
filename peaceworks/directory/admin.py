from django.contrib import admin

from peaceworks.directory.models import (
    Affiliation,
    AffiliationStatusChange,
    Engagement,
    FollowUp,
    Network,
    Organisation,
    Partnership,
    Stakeholder,
    StakeholderContact,
)


class AffiliationInline(admin.TabularInline[Affiliation, Organisation]):
    model = Affiliation
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin[Network]):
    list_display = ["name", "acronym", "code"]
    search_fields = ["name", "acronym", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "code", "country", "city", "is_secretariat"]
    list_filter = ["country", "is_secretariat", "is_sending", "is_hosting", "is_coordinating"]
    search_fields = ["name", "acronym", "code"]
    inlines = [AffiliationInline]


@admin.register(AffiliationStatusChange)
class AffiliationStatusChangeAdmin(admin.ModelAdmin[AffiliationStatusChange]):
    list_display = ["affiliation", "membership_type", "status", "valid_from"]
    list_select_related = ["affiliation__organisation", "affiliation__network"]


class ContactInline(admin.TabularInline[StakeholderContact, Stakeholder]):
    model = StakeholderContact
    extra = 0


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin[Stakeholder]):
    list_display = ["name", "code", "stakeholder_type", "country"]
    list_filter = ["stakeholder_type"]
    search_fields = ["name", "acronym", "code"]
    inlines = [ContactInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ["title", "code", "purpose", "status", "start_date", "end_date"]
    list_filter = ["purpose", "status"]
    search_fields = ["title", "code"]


class FollowUpInline(admin.TabularInline[FollowUp, Engagement]):
    model = FollowUp
    extra = 0


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin[Engagement]):
    list_display = ["title", "occurred_on", "kind", "stakeholder", "organisation"]
    list_filter = ["kind"]
    search_fields = ["title", "summary"]
    inlines = [FollowUpInline]
