from django.urls import path

from peaceworks.meetings import views
from peaceworks.meetings.views import sessions

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.meeting_edit, {"creating": True}, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/agenda/", views.agenda_print, name="agenda"),
    path("<int:pk>/calendar.ics", views.meeting_ical, name="ical"),
    path("<int:pk>/report.md", views.report_md, name="report_md"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/engagement/", views.engagement_edit, name="engagement"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path(
        "<int:pk>/participants/new/",
        views.participant_edit,
        {"creating": True},
        name="participant_add",
    ),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("<int:pk>/sessions/new/", views.session_edit, {"creating": True}, name="session_add"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/documents/", sessions.document_upload, name="document_upload"),
    path(
        "sessions/<int:pk>/documents/<int:document_pk>/",
        sessions.document_download,
        name="document",
    ),
    path(
        "sessions/<int:pk>/documents/<int:document_pk>/delete/",
        sessions.document_delete,
        name="document_delete",
    ),
    path("sessions/<int:pk>/calendar.ics", views.session_ical, name="session_ical"),
    path("sessions/<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("sessions/<int:pk>/minutes/history/", views.minutes_history, name="minutes_history"),
    path("minutes/<int:pk>/approve/", views.minutes_approve_view, name="minutes_approve"),
    path("<int:pk>/decisions/new/", views.decision_edit, {"creating": True}, name="decision_add"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/strategy/", views.decision_strategy, name="decision_strategy"),
    path("decisions/<int:pk>/link/", views.decision_link, name="decision_link"),
    path("<int:pk>/items/new/", views.item_edit, {"creating": True}, name="item_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/status/", views.item_status, name="item_status"),
    path("my-items/", views.my_items, name="my_items"),
    path("calendar/", views.feed_settings, name="feed"),
    path("calendar/<str:token>.ics", views.feed_ics, name="feed_ics"),
]
