from django.urls import path

from peaceworks.impact.views import coordinator, imports, public

app_name = "impact"

urlpatterns = [
    path("", coordinator.index, name="index"),
    path(
        "frameworks/install/<int:campaign_pk>/",
        coordinator.framework_install,
        name="framework_install",
    ),
    path("activities/<int:pk>/rounds/", coordinator.activity_rounds, name="activity_rounds"),
    path("rounds/<int:pk>/qr.<str:kind>", coordinator.round_qr, name="round_qr"),
    path("rounds/<int:pk>/import/", imports.round_import, name="round_import"),
    path("instruments/<int:pk>/import/", imports.instrument_import, name="instrument_import"),
    path(
        "instruments/<int:pk>/xlsform.xlsx", imports.instrument_xlsform, name="instrument_xlsform"
    ),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", imports.import_confirm_view, name="import_confirm"),
    path("harm/", coordinator.harm_queue, name="harm_queue"),
    path("harm/<int:pk>/review/", coordinator.harm_review_view, name="harm_review"),
    path("s/<str:token>/", public.survey_start, name="survey_start"),
    path("s/<str:token>/<str:language>/", public.survey_step, name="survey_step"),
    path("s/<str:token>/<str:language>/thanks/", public.survey_thanks, name="survey_thanks"),
    path("withdraw/", public.withdraw, name="withdraw"),
]
