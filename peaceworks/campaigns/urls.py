from django.urls import path

from peaceworks.campaigns import views
from peaceworks.campaigns.imports import ActivityImporter
from peaceworks.campaigns.views import co_organisers as co_organiser_views
from peaceworks.campaigns.views import programmes as programme_views
from peaceworks.core import upload_pages

app_name = "campaigns"
IMPORT_KINDS = {"kinds": (ActivityImporter.kind,)}

urlpatterns = [
    path("", views.index, name="index"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("co-organising/", co_organiser_views.co_organising, name="co_organising"),
    path(
        "activities/<int:pk>/co-organisers/<int:organisation_id>/accept/",
        co_organiser_views.co_organiser_accept_view,
        name="co_organiser_accept",
    ),
    path(
        "activities/<int:pk>/co-organisers/<int:organisation_id>/withdraw/",
        co_organiser_views.co_organiser_withdraw_view,
        name="co_organiser_withdraw",
    ),
    path("imports/<int:pk>/", upload_pages.preview, IMPORT_KINDS, name="import_preview"),
    path("imports/<int:pk>/confirm/", upload_pages.confirm, IMPORT_KINDS, name="import_confirm"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_form, name="plan_edit"),
    path(
        "plans/<int:pk>/reflections/new/",
        views.reflection_form,
        {"creating": True},
        name="reflection_create",
    ),
    path("plans/<int:pk>/goals/new/", views.goal_form, {"creating": True}, name="goal_create"),
    path("reflections/<int:pk>/edit/", views.reflection_form, name="reflection_edit"),
    path("reflections/<int:pk>/delete/", views.reflection_delete_view, name="reflection_delete"),
    path("goals/<int:pk>/edit/", views.goal_form, name="goal_edit"),
    path("goals/<int:pk>/delete/", views.goal_delete_view, name="goal_delete"),
    path(
        "goals/<int:pk>/objectives/new/",
        views.objective_form,
        {"creating": True},
        name="objective_create",
    ),
    path("objectives/<int:pk>/edit/", views.objective_form, name="objective_edit"),
    path("objectives/<int:pk>/delete/", views.objective_delete_view, name="objective_delete"),
    path(
        "objectives/<int:pk>/actions/new/",
        views.action_form,
        {"creating": True},
        name="action_create",
    ),
    path("actions/<int:pk>/edit/", views.action_form, name="action_edit"),
    path("actions/<int:pk>/delete/", views.action_delete_view, name="action_delete"),
    path("actions/mine/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("programmes/new/", programme_views.programme_form, name="programme_create"),
    path("programmes/<int:pk>/edit/", programme_views.programme_form, name="programme_edit"),
    path(
        "programmes/<int:pk>/campaigns/new/",
        programme_views.campaign_form,
        name="campaign_create",
    ),
    path("themes/<int:pk>/edit/", programme_views.theme_form, name="theme_edit"),
    path("public/<slug:code>/", views.campaign_public, name="public"),
    path("<slug:code>/", views.campaign_detail, name="detail"),
    path("<slug:code>/outputs/", views.campaign_outputs, name="outputs"),
    path("<slug:code>/publish/", views.campaign_publish_view, name="publish"),
    path("<slug:code>/edit/", programme_views.campaign_form, name="campaign_edit"),
    path("<slug:code>/themes/new/", programme_views.theme_form, name="theme_create"),
    path("<slug:code>/plans/new/", views.plan_form, name="plan_create"),
    path("<slug:code>/activities/new/", views.activity_create_view, name="activity_create"),
    path("<slug:code>/activities/import/", views.activity_import, name="activity_import"),
]
