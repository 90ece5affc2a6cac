"""Shared abstract bases and the audit log (who changed what, when, from where)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peaceworks.core.text import forbidden_character


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SentOnce(models.Model):
    """Something sent once (a reminder, a digest): the subclass's unique row is claimed
    before it goes and marked ``sent_at`` after; ``core.once.send_once`` is the one way to
    use it. A row with no ``sent_at`` is a claim in progress, or one whose worker died."""

    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        abstract = True


def original_language() -> str:
    """The language network-authored texts are written in (their plain fields hold it)."""
    return str(settings.LANGUAGE_CODE)[:2]


def reading_language(language: str | None = None) -> str:
    """``language``, or the active one, as its two-letter code."""
    return (language or get_language() or original_language())[:2]


class Translatable(models.Model):
    """Network-authored texts with per-language versions.

    The plain fields (``name``, ``description``…) hold the text as written, in
    :func:`original_language`; ``translations`` holds the other languages' versions of the
    fields named in ``TRANSLATED_FIELDS``: ``{"fr": {"name": "…"}, "es": {"name": "…"}}``.
    :meth:`translated` is the one accessor: the reader's version, or the original."""

    TRANSLATED_FIELDS: ClassVar[tuple[str, ...]] = ()

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The texts in the other languages, by language and field."),
    )

    class Meta:
        abstract = True

    def translation(self, field: str, language: str | None = None) -> str | None:
        """The version of ``field`` in ``language`` (default: the active one); the original
        in its own language; None where no version was written yet."""
        language = reading_language(language)
        if language == original_language():
            return str(getattr(self, field))
        version = (self.translations or {}).get(language, {}).get(field, "")
        return version or None

    def translated(self, field: str, language: str | None = None) -> str:
        """What a reader of ``language`` sees: its version, falling back to the original."""
        version = self.translation(field, language)
        return version if version is not None else str(getattr(self, field))

    def untranslated(self, field: str, language: str | None = None) -> bool:
        """True when ``field`` has text that is not written in ``language`` yet."""
        return bool(getattr(self, field)) and self.translation(field, language) is None

    def clean(self) -> None:
        super().clean()
        self.translations = clean_translations(self.translations, type(self))


def clean_translations(value: Any, model: type[models.Model]) -> dict[str, dict[str, str]]:
    """``value`` checked against the languages and the model's translated fields, with
    blank versions dropped; ValidationError on ``translations`` naming what is wrong."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError({"translations": _("Translations are a map of languages.")})
    languages = {code for code, _name in settings.LANGUAGES} - {original_language()}
    fields: tuple[str, ...] = getattr(model, "TRANSLATED_FIELDS", ())
    cleaned: dict[str, dict[str, str]] = {}
    for language, versions in value.items():
        if language not in languages:
            raise ValidationError(
                {
                    "translations": _("No translation can be stored in “%(language)s”.")
                    % {"language": language}
                }
            )
        if not isinstance(versions, Mapping):
            raise ValidationError({"translations": _("Each language holds a map of fields.")})
        for field, text in versions.items():
            if field not in fields:
                raise ValidationError(
                    {"translations": _("“%(field)s” has no translations.") % {"field": field}}
                )
            if not isinstance(text, str):
                raise ValidationError({"translations": _("A translation is text.")})
            text = text.strip()
            limit = getattr(model._meta.get_field(field), "max_length", None)
            if limit is not None and len(text) > limit:
                raise ValidationError(
                    {
                        "translations": _("A translation is longer than %(limit)s characters.")
                        % {"limit": limit}
                    }
                )
            if forbidden_character(text) is not None:
                raise ValidationError(
                    {"translations": _("A translation contains a control character.")}
                )
            if text:
                cleaned.setdefault(language, {})[field] = text
    return cleaned


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
    #: what the importer's check found, in the importer's own format under a fingerprint of
    #: everything the check depends on, for its confirmation to use instead of checking the
    #: file again (empty when it keeps nothing); dropped with the bytes
    checked = models.BinaryField(_("checked rows"), default=b"", blank=True)
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


class RateCount(models.Model):
    """Requests counted for one client (``bucket``: a token's fingerprint) in one clock
    minute, in the database so every server process and host shares the count; incremented
    by one atomic upsert (``core.ratelimit``) and purged by ``peaceworks retention``."""

    bucket = models.CharField(_("bucket"), max_length=64)
    minute = models.BigIntegerField(_("minute"))
    hits = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("rate count")
        verbose_name_plural = _("rate counts")
        constraints = [
            models.UniqueConstraint(fields=["bucket", "minute"], name="core_rate_count_minute")
        ]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.minute}: {self.hits}"


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
