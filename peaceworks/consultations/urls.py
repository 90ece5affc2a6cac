from django.urls import path

from peaceworks.consultations import views
from peaceworks.core import upload_pages

app_name = "consultations"

IMPORT_KINDS = {"kinds": ["consultations.polis"]}

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.consultation_create, name="create"),
    path("import/", views.import_polis, name="import_polis"),
    path("imports/<int:pk>/", upload_pages.preview, IMPORT_KINDS, name="import_preview"),
    path("imports/<int:pk>/confirm/", upload_pages.confirm, IMPORT_KINDS, name="import_confirm"),
    path("link/<str:token>/", views.public, name="public"),
    path(
        "link/<str:token>/questions/<int:number>/",
        views.public_contribute,
        name="public_contribute",
    ),
    path("link/<str:token>/vote/", views.public_vote, name="public_vote"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.consultation_edit, name="edit"),
    path("<slug:slug>/phase/", views.phase, name="phase"),
    path("<slug:slug>/questions/new/", views.prompt_create, name="prompt_create"),
    path("<slug:slug>/questions/<int:number>/", views.contribute, name="contribute"),
    path("<slug:slug>/contributions/<int:pk>/", views.contribution_detail, name="contribution"),
    path(
        "<slug:slug>/contributions/<int:pk>/edit/",
        views.contribution_edit,
        name="contribution_edit",
    ),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/statements/new/", views.statement_create, name="statement_create"),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/moderation/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("<slug:slug>/synthesis/", views.synthesis, name="synthesis"),
    path("<slug:slug>/synthesis/run/", views.synthesis_run, name="synthesis_run"),
    path("<slug:slug>/synthesis/themes/", views.theme_edit, name="theme_edit"),
    path(
        "<slug:slug>/synthesis/themes/<int:pk>/undo/",
        views.theme_edit_undo,
        name="theme_edit_undo",
    ),
    path("<slug:slug>/synthesis/concepts/", views.concept_add, name="concept_add"),
    path("<slug:slug>/strategy-links/", views.strategy_links, name="strategy_links"),
    path("<slug:slug>/draft/", views.draft, name="draft"),
    path("<slug:slug>/draft/generate/", views.draft_generate, name="draft_generate"),
    path("<slug:slug>/draft/export/<str:fmt>/", views.draft_export, name="draft_export"),
]
