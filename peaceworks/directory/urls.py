from django.urls import path

from peaceworks.core import upload_pages
from peaceworks.directory.services.member_import import MemberListImporter
from peaceworks.directory.views import data, organisations, relations, team, webhooks

app_name = "directory"
IMPORT_KINDS = {"kinds": (MemberListImporter.kind,)}

urlpatterns = [
    path("", organisations.index, name="index"),
    path("organisations/new/", organisations.organisation_form, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", organisations.organisation_form, name="organisation_edit"),
    path(
        "organisations/<int:pk>/memberships/",
        organisations.affiliation_set,
        name="affiliation_set",
    ),
    path("organisations/<int:organisation_id>/team/", team.team, name="team"),
    path(
        "organisations/<int:organisation_id>/invitations/",
        team.invitation_create,
        name="invitation_create",
    ),
    path("map/", data.world_map, name="map"),
    path("import/", data.import_upload, name="import"),
    path("imports/<int:pk>/", upload_pages.preview, IMPORT_KINDS, name="import_preview"),
    path("imports/<int:pk>/confirm/", upload_pages.confirm, IMPORT_KINDS, name="import_confirm"),
    path("export.<str:file_format>", data.export, name="export"),
    path("stakeholders/", relations.stakeholder_list, name="stakeholders"),
    path("stakeholders/new/", relations.stakeholder_form, name="stakeholder_create"),
    path("stakeholders/<int:pk>/", relations.stakeholder_detail, name="stakeholder"),
    path("stakeholders/<int:pk>/edit/", relations.stakeholder_form, name="stakeholder_edit"),
    path("stakeholders/<int:pk>/contacts/", relations.contact_add, name="contact_add"),
    path("partnerships/", relations.partnership_list, name="partnerships"),
    path("partnerships/new/", relations.partnership_form, name="partnership_create"),
    path("partnerships/<int:pk>/", relations.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/edit/", relations.partnership_form, name="partnership_edit"),
    path("partnerships/<int:pk>/documents/", relations.document_upload, name="document_upload"),
    path(
        "partnerships/<int:pk>/documents/<int:document_pk>/",
        relations.document_download,
        name="document_download",
    ),
    path("engagements/new/", relations.engagement_create, name="engagement_create"),
    path("engagements/<int:pk>/follow-ups/", relations.follow_up_create, name="follow_up_create"),
    path("follow-ups/", relations.my_follow_ups, name="my_follow_ups"),
    path("organisations/<int:pk>/webhooks/", webhooks.webhooks, name="webhooks"),
    path(
        "webhooks/<int:pk>/unsubscribe/", webhooks.webhook_unsubscribe, name="webhook_unsubscribe"
    ),
    path("webhook-deliveries/<int:pk>/replay/", webhooks.webhook_replay, name="webhook_replay"),
    path("follow-ups/<int:pk>/status/", relations.follow_up_status, name="follow_up_status"),
]
