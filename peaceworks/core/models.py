"""Shared abstract bases and the audit log (who changed what, when, from where)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class StoredDocument(TimeStampedModel):
    """A document kept as it is (a signed agreement, a session's slides), checked by
    ``core.uploads.document_check``. The bytes live in the database so that no public media
    URL can ever serve them: the only way out is an access-checked download."""

    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class AuditEvent(models.Model):
    """One write made through a service. Rows are only ever added."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=80, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target label"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"


class PendingUpload(TimeStampedModel):
    """An uploaded file between its preview and its confirmation (``core.uploads``).

    The bytes are kept so that what is confirmed is exactly what was previewed; ``importer``
    names the registered importer that reads them and ``target`` what they are imported into
    (``{"round": 7}``). ``state`` moves once: pending → confirming → confirmed, or pending →
    failed / expired.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMING = "confirming", _("Being imported")
        CONFIRMED = "confirmed", _("Imported")
        FAILED = "failed", _("Refused")
        EXPIRED = "expired", _("Expired")

    importer = models.CharField(_("importer"), max_length=40)
    target = models.JSONField(_("target"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file contents"))
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING, db_index=True
    )
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    #: the importer's check, cached: ``{"rows": 3, "counts": {...}, "errors": [...], ...}``
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    #: after confirming, the counts written; after a refusal, only the errors
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self) -> str:
        return self.filename


class IdempotentRequest(models.Model):
    """An API create sent with an ``Idempotency-Key``: the first answer, kept for a day so a
    client that resends the same request gets it again instead of a second object.

    ``scope`` is whose key it is (a fingerprint of the bearer token, or the session's user),
    so two clients never share keys. While the first request runs the row has no ``status``.
    """

    scope = models.CharField(_("scope"), max_length=64)
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    body_sha256 = models.CharField(_("body SHA-256"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("body"), default=b"", blank=True)
    location = models.CharField(_("location"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="core_idempotent_request_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
