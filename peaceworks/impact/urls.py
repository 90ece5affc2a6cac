from django.urls import path

from peaceworks.core import upload_pages
from peaceworks.impact.services.imports import IMPORTERS
from peaceworks.impact.views import (
    coordinator,
    dashboards,
    editors,
    imports,
    openrosa,
    public,
    rounds,
    statistics,
)

app_name = "impact"
IMPORT_KINDS = {"kinds": tuple(importer.kind for importer in IMPORTERS)}

urlpatterns = [
    # the respondent's pages first: each request of a walk is matched against the patterns
    # in order, and none before could match s/…
    path("s/<str:token>/", public.survey_start, name="survey_start"),
    path("s/<str:token>/<str:language>/", public.survey_step, name="survey_step"),
    path("s/<str:token>/<str:language>/thanks/", public.survey_thanks, name="survey_thanks"),
    path("", coordinator.index, name="index"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("campaigns/<int:pk>/", dashboards.overview, name="dashboard"),
    path(
        "campaigns/<int:pk>/indicators/<slug:code>/",
        dashboards.indicator,
        name="dashboard_indicator",
    ),
    path(
        "campaigns/<int:pk>/organisations/<int:org_pk>/",
        dashboards.organisation,
        name="dashboard_organisation",
    ),
    path("campaigns/<int:pk>/quality/", dashboards.quality, name="dashboard_quality"),
    path("campaigns/<int:pk>/refresh/", dashboards.refresh_status, name="dashboard_refresh"),
    path(
        "frameworks/install/<int:campaign_pk>/",
        coordinator.framework_install,
        name="framework_install",
    ),
    path("frameworks/<int:pk>/", editors.framework_detail, name="framework_detail"),
    path("instruments/<int:pk>/", editors.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/preview/", editors.question_preview, name="question_preview"),
    path(
        "instruments/<int:pk>/publish/", editors.instrument_publish_view, name="instrument_publish"
    ),
    path(
        "instruments/<int:pk>/new-version/",
        editors.instrument_new_version,
        name="instrument_new_version",
    ),
    path("activities/<int:pk>/rounds/", coordinator.activity_rounds, name="activity_rounds"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/preview/<str:language>/", rounds.round_preview, name="round_preview"),
    path(
        "rounds/<int:pk>/template.<str:kind>",
        rounds.round_import_template,
        name="round_import_template",
    ),
    path("rounds/<int:pk>/reminders/", rounds.round_reminders, name="round_reminders"),
    path("rounds/<int:pk>/qr.<str:kind>", coordinator.round_qr, name="round_qr"),
    path("rounds/<int:pk>/import/", imports.round_import, name="round_import"),
    path("instruments/<int:pk>/import/", imports.instrument_import, name="instrument_import"),
    path(
        "instruments/<int:pk>/xlsform.xlsx", imports.instrument_xlsform, name="instrument_xlsform"
    ),
    path("imports/<int:pk>/", upload_pages.preview, IMPORT_KINDS, name="import_preview"),
    path("imports/<int:pk>/confirm/", upload_pages.confirm, IMPORT_KINDS, name="import_confirm"),
    path("harm/", coordinator.harm_queue, name="harm_queue"),
    path("stories/", coordinator.free_text_answers, name="free_text"),
    path("responses/<int:pk>/quotable/", coordinator.answer_quotable_view, name="answer_quotable"),
    path("harm/<int:pk>/review/", coordinator.harm_review_view, name="harm_review"),
    path("withdraw/", public.withdraw, name="withdraw"),
    path(
        "rounds/<int:pk>/collection/open/",
        openrosa.collection_open_view,
        name="round_collection_open",
    ),
    path(
        "rounds/<int:pk>/collection/revoke/",
        openrosa.collection_revoke_view,
        name="round_collection_revoke",
    ),
    path("rounds/<int:pk>/collection/qr.svg", openrosa.collection_qr, name="round_collection_qr"),
    path("openrosa/<str:token>/formList", openrosa.form_list, name="openrosa_form_list"),
    path(
        "openrosa/<str:token>/forms/<str:form_id>.xml",
        openrosa.form_download,
        name="openrosa_form",
    ),
    path("openrosa/<str:token>/submission", openrosa.submission, name="openrosa_submission"),
]
