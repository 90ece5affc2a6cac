from django.urls import path

from peaceworks.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report_create_view, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/request/", views.report_request_view, name="request"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/progress/", views.version_progress, name="version_progress"),
    path("versions/<int:pk>/report.pdf", views.version_pdf, name="version_pdf"),
    path("versions/<int:pk>/report.xlsx", views.version_xlsx, name="version_xlsx"),
    path("versions/<int:pk>/publish/", views.version_publish_view, name="version_publish"),
    path("versions/<int:pk>/retry/", views.version_retry_view, name="version_retry"),
    path("results/<slug:code>/", views.public_results, name="public_results"),
    path("results/<slug:code>/report.pdf", views.public_results_pdf, name="public_results_pdf"),
]
