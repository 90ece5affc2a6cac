from django.contrib import admin

from peaceworks.directory.models import Affiliation, Network, Organisation


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
    list_filter = ["country", "is_secretariat"]
    search_fields = ["name", "acronym", "code"]
    inlines = [AffiliationInline]
