from django.urls import path

from peaceworks.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.index, name="index"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("imports/<int:pk>/confirm/", views.activity_import_confirm_view, name="import_confirm"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("actions/mine/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("public/<slug:code>/", views.campaign_public, name="public"),
    path("<slug:code>/", views.campaign_detail, name="detail"),
    path("<slug:code>/outputs/", views.campaign_outputs, name="outputs"),
    path("<slug:code>/publish/", views.campaign_publish_view, name="publish"),
    path("<slug:code>/activities/new/", views.activity_create_view, name="activity_create"),
    path("<slug:code>/activities/import/", views.activity_import, name="activity_import"),
]
