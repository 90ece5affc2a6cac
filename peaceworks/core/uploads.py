"""One way to import a file: store it, preview it, confirm it once, let it expire.

Every import of the product (member lists, activities, survey answers, XLSForms; later the
consultations' Pol.is exports) goes through these functions. An app supplies only an
:class:`Importer`, registered by kind in its ``AppConfig.ready()``::

    uploads.register(MemberListImporter())

The mechanism guarantees, for every importer:

- a file over ``settings.MAX_UPLOAD_MB`` is refused (:class:`TooLarge`, 413, naming the limit),
  and a file that cannot be read, or that has column headings but no rows, is refused (400)
  before anything is stored;
- the stored bytes carry their SHA-256; confirming re-checks the hash and applies exactly
  those bytes;
- the preview is computed once, when the file is stored, and read from the row afterwards;
  an importer may also keep what its check found in ``checked`` (its own format, under a
  fingerprint of the stored bytes' digest and of everything else the check depends on, so
  that a changed file or target is checked again) for its ``apply`` to use instead of
  reading the file again; it lives in the upload's row (every host sees it) and is dropped
  once the upload is confirmed, refused or expired;
- confirming is all-or-nothing and happens once: the row moves ``pending`` → ``confirming``
  by a conditional UPDATE inside the import's transaction (on PostgreSQL a concurrent confirm
  waits on the row lock, then finds it no longer pending; on SQLite the write lock serialises
  them), so a second confirm is a :class:`Conflict` (409) and never a second import;
- an upload past ``expires_at`` is :class:`Gone` (410) and cannot be confirmed; the
  ``peaceworks retention`` command marks it expired, drops its bytes, and deletes finished
  uploads once the grace period is over;
- a refused confirmation (row errors found when applying) writes nothing, leaves the upload
  ``failed`` with the errors as its outcome and no created/updated counts.

Who may store, see or confirm an upload is the importer's :meth:`Importer.authorize`, asked by
:func:`upload_get_for_user`; pages and the API fetch uploads only through it.

A *document* (a signed agreement, a session's slides) is a file kept as it is rather than
imported: :func:`document_check` refuses it over its limit (413), empty, or of a kind not in the
caller's list (400) before anything is stored, and returns the bytes with their size and
SHA-256 for the app's own table; :func:`document_response` is the one way its bytes go out (an
attachment no cache keeps).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceworks.core.access import Actor
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import Conflict, DomainError, Gone, NotFound, TooLarge
from peaceworks.core.models import PendingUpload
from peaceworks.core.tabular import RowError

#: how long an upload waits for its confirmation
UPLOAD_LIFETIME = timedelta(hours=24)
#: rows listed in a stored preview (the counts always cover every row)
MAX_PREVIEW_ITEMS = 500

#: labels of the counts importers report, for pages
COUNT_LABELS = {
    "rows": gettext_lazy("Rows read"),
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Updated"),
    "unchanged": gettext_lazy("Unchanged"),
    "questions": gettext_lazy("Questions"),
    "version": gettext_lazy("Version"),
}


@dataclass(frozen=True)
class Preview:
    """What confirming would do: rows read, counts by change, every row error, and the rows
    themselves as a table (``columns`` and ``items``) for people to check."""

    rows: int
    errors: Sequence[RowError] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    columns: Sequence[str] = ()
    items: Sequence[Sequence[str]] = ()
    #: what will be imported but not fully used (e.g. an XLSForm feature only ODK Collect
    #: enforces): named to the person before they confirm, never silently dropped
    warnings: Sequence[RowError] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors and self.rows > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "counts": dict(self.counts),
            "errors": [
                {"row": error.row, "column": error.column, "message": error.message}
                for error in self.errors
            ],
            "columns": [str(column) for column in self.columns],
            "items": [[str(cell) for cell in item] for item in self.items[:MAX_PREVIEW_ITEMS]],
            "warnings": [
                {"row": warning.row, "column": warning.column, "message": warning.message}
                for warning in self.warnings
            ],
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Preview:
        return cls(
            rows=int(stored.get("rows", 0)),
            errors=tuple(RowError(**error) for error in stored.get("errors", [])),
            counts=dict(stored.get("counts", {})),
            columns=tuple(stored.get("columns", [])),
            items=tuple(tuple(item) for item in stored.get("items", [])),
            warnings=tuple(RowError(**warning) for warning in stored.get("warnings", [])),
        )


class ImportRefused(DomainError):
    """Applying found row errors: the transaction is rolled back and nothing is written."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(
            _("The file has %(count)s problem(s); nothing was imported.") % {"count": len(errors)},
            field="file",
        )
        self.errors = tuple(errors)


class Importer(Protocol):
    """What an app supplies to import one kind of file."""

    #: the registered name, stored on each upload (``"directory.members"``)
    kind: str

    def authorize(self, *, actor: Actor, upload: PendingUpload, write: bool) -> None:
        """Raise NotFound (or Forbidden for a reader who tries to write) unless ``actor`` may
        see ``upload`` (``write``: store or confirm it; when storing, ``upload`` is not saved
        yet and ``uploaded_by_id`` is ``actor``'s)."""

    def check(self, *, actor: Actor, upload: PendingUpload) -> Preview:
        """Read ``upload.data`` and check every row, writing nothing. Whole-file problems
        raise TableError."""

    def apply(self, *, actor: Actor, upload: PendingUpload) -> Mapping[str, int]:
        """Write every row and return the counts, or raise :class:`ImportRefused` (or another
        DomainError) so that the caller's transaction writes nothing."""

    def done_url(self, upload: PendingUpload) -> str:
        """Where a page goes after a successful confirmation."""

    def upload_url(self, upload: PendingUpload) -> str:
        """The page to upload a corrected file for the same target."""


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Make ``importer`` the one for its kind (registering a kind again replaces it)."""
    _IMPORTERS[importer.kind] = importer


def importer_for(kind: str) -> Importer:
    return _IMPORTERS[kind]


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def upload_store(
    *,
    actor: Actor,
    importer: str,
    data: bytes,
    filename: str,
    target: Mapping[str, Any] | None = None,
) -> PendingUpload:
    """Check a file with its importer and keep it, with the preview, until it is confirmed.

    Asks the importer's ``authorize(write=True)`` first. Raises TooLarge (413) over
    ``MAX_UPLOAD_MB``, TableError (400) for an unreadable file and
    DomainError (400) for a file with no data rows — in each case nothing is stored.
    """
    if len(data) > max_upload_bytes():
        raise TooLarge(
            _("The file is larger than %(limit)s MB.") % {"limit": settings.MAX_UPLOAD_MB},
            field="file",
        )
    upload = PendingUpload(
        importer=importer,
        target=dict(target or {}),
        uploaded_by_id=actor.pk if actor is not None and actor.is_authenticated else None,
        filename=filename[-200:],
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        expires_at=timezone.now() + UPLOAD_LIFETIME,
    )
    checker = importer_for(importer)
    checker.authorize(actor=actor, upload=upload, write=True)
    preview = checker.check(actor=actor, upload=upload)
    if preview.rows == 0:
        raise DomainError(
            _("The file has column headings but no rows of data; nothing was stored."),
            field="file",
        )
    upload.preview = preview.as_json()
    with transaction.atomic():
        upload.save()
        audit_record(
            actor=actor,
            action="upload.store",
            target=upload,
            changes={"importer": importer, "rows": preview.rows},
        )
    return upload


def upload_preview(*, actor: Actor, upload: PendingUpload) -> Preview:
    """The upload's preview: the one computed when it was stored (computed and kept now for an
    upload carried over without one)."""
    if not upload.preview and upload.state == PendingUpload.State.PENDING:
        preview = importer_for(upload.importer).check(actor=actor, upload=upload)
        upload.preview = preview.as_json()
        upload.save(update_fields=["preview", "checked", "updated_at"])
        return preview
    return Preview.from_json(upload.preview)


def upload_counts(*, upload: PendingUpload, preview: Preview) -> dict[str, int]:
    """The counts to show for an upload: the preview's while it waits with no row error, those
    written once it is confirmed, and only the rows read otherwise (a file with errors, or a
    refused or expired upload, writes nothing, so it reports no created count)."""
    if upload.state == PendingUpload.State.CONFIRMED:
        return dict(upload.outcome)
    if upload.state == PendingUpload.State.PENDING and preview.is_valid:
        return dict(preview.counts)
    return {"rows": preview.rows}


def upload_errors(*, upload: PendingUpload, preview: Preview) -> list[dict[str, Any]]:
    """The row errors to show: a refusal's when confirming failed, else the preview's."""
    return list(upload.outcome.get("errors", [])) or preview.as_json()["errors"]


def upload_get_for_user(
    *, user: Actor, pk: int, kinds: Collection[str] | None = None, write: bool = False
) -> PendingUpload:
    """An upload its importer lets ``user`` see (``write``: confirm); NotFound otherwise, and
    for an upload of another kind than ``kinds``."""
    upload = PendingUpload.objects.filter(pk=pk).first()
    if upload is None or upload.importer not in _IMPORTERS:
        raise NotFound
    if kinds is not None and upload.importer not in kinds:
        raise NotFound
    importer_for(upload.importer).authorize(actor=user, upload=upload, write=write)
    return upload


def _refusal(upload: PendingUpload) -> DomainError:
    """Why an upload that is no longer claimable cannot be confirmed."""
    state = PendingUpload.objects.filter(pk=upload.pk).values_list("state", flat=True).first() or ""
    if state == PendingUpload.State.PENDING or state == PendingUpload.State.EXPIRED:
        return Gone(_("This upload has expired; upload the file again."), field="file")
    if state == PendingUpload.State.FAILED:
        return Conflict(
            _("This upload was refused; correct the file and upload it again."), field="file"
        )
    return Conflict(_("This file has already been imported."), field="file")


def upload_confirm(*, actor: Actor, upload: PendingUpload) -> Mapping[str, int]:
    """Apply the upload once, all or nothing, and return the counts written.

    Raises Conflict (409) when it was already confirmed, is being confirmed or was refused;
    Gone (410) when it expired; ImportRefused (400) — after recording the upload as failed
    with its errors — when a row cannot be written.
    """
    importer = importer_for(upload.importer)
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = PendingUpload.objects.filter(
                pk=upload.pk, state=PendingUpload.State.PENDING, expires_at__gt=now
            ).update(state=PendingUpload.State.CONFIRMING, updated_at=now)
            if not claimed:
                raise _refusal(upload)
            upload.refresh_from_db()
            if hashlib.sha256(bytes(upload.data)).hexdigest() != upload.sha256:
                raise Conflict(_("The stored file changed since its preview; upload it again."))
            try:
                outcome = dict(importer.apply(actor=actor, upload=upload))
            except DomainError as error:
                raise _Failed(error) from error
            upload.state = PendingUpload.State.CONFIRMED
            upload.outcome = outcome
            upload.confirmed_at = now
            upload.checked = b""
            upload.save(update_fields=["state", "outcome", "confirmed_at", "checked", "updated_at"])
            audit_record(actor=actor, action="upload.confirm", target=upload, changes=outcome)
    except _Failed as failed:
        # the import's writes are rolled back; the refusal itself is kept
        _record_failure(actor=actor, upload=upload, error=failed.error)
        raise failed.error from None
    return outcome


class _Failed(Exception):
    """Carries an importer's refusal out of the rolled-back transaction."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error = error


def _record_failure(*, actor: Actor, upload: PendingUpload, error: DomainError) -> None:
    errors = (
        error.errors
        if isinstance(error, ImportRefused)
        else (RowError(1, error.field or "", error.message),)
    )
    outcome = {"errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors]}
    with transaction.atomic():
        PendingUpload.objects.filter(pk=upload.pk, state=PendingUpload.State.PENDING).update(
            state=PendingUpload.State.FAILED,
            outcome=outcome,
            checked=b"",
            updated_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="upload.refuse",
            target=upload,
            changes={"errors": len(errors)},
        )
    upload.refresh_from_db()


def purge_uploads(cutoff: datetime, dry_run: bool) -> int:
    """Expire pending uploads past their ``expires_at`` (their bytes and checked rows are
    dropped) and delete
    finished uploads that expired before ``cutoff``; returns how many rows were touched."""
    now = timezone.now()
    lapsed = PendingUpload.objects.filter(state=PendingUpload.State.PENDING, expires_at__lte=now)
    finished = PendingUpload.objects.exclude(
        state__in=[PendingUpload.State.PENDING, PendingUpload.State.CONFIRMING]
    ).filter(expires_at__lt=cutoff)
    if dry_run:
        return lapsed.count() + finished.count()
    deleted, _by_model = finished.delete()
    expired = lapsed.update(
        state=PendingUpload.State.EXPIRED, data=b"", checked=b"", updated_at=now
    )
    return deleted + expired


# Documents ------------------------------------------------------------------------------------

#: the kinds of document a meeting or a partnership keeps, by extension, with the content type
#: they are stored under (the client's claimed type is not trusted)
OFFICE_DOCUMENTS: Mapping[str, str] = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
#: how the content of each binary kind begins (office formats are zip or OLE containers)
_SIGNATURES: Mapping[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    **dict.fromkeys((".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx"), _ZIP),
    **dict.fromkeys((".doc", ".xls", ".ppt"), _OLE),
}


def _content_matches(extension: str, data: bytes) -> bool:
    """The bytes are of the kind the name says: the format's signature, or readable text
    (UTF-8, no NUL) for the text kinds."""
    signatures = _SIGNATURES.get(extension)
    if signatures is not None:
        return data.startswith(signatures)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class CheckedDocument:
    """A document that passed :func:`document_check`, ready for the app's table."""

    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes

    def fields(self) -> dict[str, Any]:
        """The checked file as the fields of a ``core.models.StoredDocument``."""
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "content": self.data,
        }


def document_check(
    *,
    data: bytes,
    filename: str,
    content_type: str = "",
    allowed: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
) -> CheckedDocument:
    """Check a document before an app keeps it; nothing is stored by this function.

    Raises TooLarge (413) over ``max_bytes`` (default ``MAX_UPLOAD_MB``), DomainError (400) for
    an empty file and, when ``allowed`` (extension → content type) is given, for a file whose
    extension is not in it or whose bytes are not of that kind (a program renamed ``.pdf``);
    each error names the field ``file``. With ``allowed`` the stored
    content type is the one of the extension; without it, the client's (or a neutral one).
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise TooLarge(
            _("The document is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
            field="file",
        )
    if not data:
        raise DomainError(_("The document is empty."), field="file")
    name = os.path.basename(filename.replace("\\", "/")).strip() or "document"
    if allowed is not None:
        extension = os.path.splitext(name)[1].lower()
        if extension not in allowed:
            raise DomainError(
                _("This kind of file cannot be attached; use one of: %(kinds)s.")
                % {"kinds": ", ".join(sorted(allowed))},
                field="file",
            )
        if not _content_matches(extension, data):
            raise DomainError(
                _("The file's content is not a %(kind)s file, as its name says.")
                % {"kind": extension.lstrip(".").upper()},
                field="file",
            )
        content_type = allowed[extension]
    return CheckedDocument(
        filename=name[-200:],
        content_type=(content_type or "application/octet-stream")[:100],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def document_response(*, data: bytes, filename: str) -> HttpResponse:
    """A kept document's bytes as an attachment no cache keeps (pages and API); never shown
    inline, so that no stored file runs as a page of the site."""
    response = HttpResponse(bytes(data), content_type="application/octet-stream")
    safe_name = "".join(char for char in filename if char.isalnum() or char in "._- ")
    response["Content-Disposition"] = f'attachment; filename="{safe_name or "document"}"'
    response["Cache-Control"] = "private, no-store"
    return response
