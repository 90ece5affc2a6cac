from django.urls import path

from peaceworks.impact.views import coordinator, public

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
    path("harm/", coordinator.harm_queue, name="harm_queue"),
    path("harm/<int:pk>/review/", coordinator.harm_review_view, name="harm_review"),
    path("s/<str:token>/", public.survey_start, name="survey_start"),
    path("s/<str:token>/<str:language>/", public.survey_step, name="survey_step"),
    path("s/<str:token>/<str:language>/thanks/", public.survey_thanks, name="survey_thanks"),
    path("withdraw/", public.withdraw, name="withdraw"),
]
