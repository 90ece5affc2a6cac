from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from config.api import api

# Under /api/ every error is problem+json, also an unknown path and a crash in production.
handler404 = "peaceworks.core.problems.page_not_found"
handler500 = "peaceworks.core.problems.server_error"

# The API first: its prefix is no page's, and every JSON submission (the hot path) was tried
# against the page patterns before reaching it.
urlpatterns = [
    path("api/v1/", api.urls),
    # the respondent's survey next (a walk's nine requests were tried against the web pages'
    # patterns first); no web page starts with impact/
    path("impact/", include("peaceworks.impact.urls")),
    path("", include("peaceworks.web.urls")),
    path("accounts/", include("peaceworks.accounts.urls")),
    path("network/", include("peaceworks.directory.urls")),
    path("campaigns/", include("peaceworks.campaigns.urls")),
    path("consultations/", include("peaceworks.consultations.urls")),
    path("meetings/", include("peaceworks.meetings.urls")),
    path("reports/", include("peaceworks.reports.urls")),
    path("i18n/set-language/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
