from django.contrib import admin
from django.http import HttpRequest

from peaceworks.core.models import AuditEvent, PendingUpload


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log is only ever appended to by services."""

    list_display = ["at", "actor_label", "action", "target_type", "target_label", "ip_address"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


@admin.register(PendingUpload)
class PendingUploadAdmin(admin.ModelAdmin[PendingUpload]):
    """Read-only, without the bytes: uploads change only through ``core.uploads``."""

    list_display = ["filename", "importer", "state", "uploaded_by", "created_at", "expires_at"]
    list_filter = ["importer", "state"]
    exclude = ["data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PendingUpload | None = None) -> bool:
        return False
