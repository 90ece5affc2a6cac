from django.urls import path

from peaceworks.impact.views import coordinator, public

app_name = "impact"

urlpatterns = [
    path("", coordinator.index, name="index"),
    path("s/<str:token>/", public.survey_start, name="survey_start"),
    path("s/<str:token>/<str:language>/", public.survey_step, name="survey_step"),
    path("s/<str:token>/<str:language>/thanks/", public.survey_thanks, name="survey_thanks"),
    path("withdraw/", public.withdraw, name="withdraw"),
]
