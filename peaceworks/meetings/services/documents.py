"""Writes of session documents: attached through the shared check of ``core.uploads`` (size,
empty, kind of file), kept in the database, removed by their uploader or network staff."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from peaceworks.accounts.access import Actor, user_of
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import Forbidden
from peaceworks.core.records import save_validated
from peaceworks.core.uploads import OFFICE_DOCUMENTS, document_check
from peaceworks.meetings.models import Session, SessionDocument
from peaceworks.meetings.selectors import can_add_session_documents, can_delete_session_document


@transaction.atomic
def session_document_add(
    *,
    actor: Actor,
    session: Session,
    title: str,
    file: UploadedFile,
) -> SessionDocument:
    """Attach the posted ``file`` to ``session`` (note-takers, chairs, the host organisation's
    coordinators, network staff). Raises Forbidden for anyone else, TooLarge (413) over
    ``MAX_UPLOAD_MB``, DomainError (400, field ``file``) for an empty file or one of a kind not
    in ``core.uploads.OFFICE_DOCUMENTS``; nothing is stored then."""
    if not can_add_session_documents(user=actor, meeting=session.meeting):
        raise Forbidden
    checked = document_check(
        data=file.read(),
        filename=file.name or "document",
        content_type=file.content_type or "",
        allowed=OFFICE_DOCUMENTS,
    )
    document = SessionDocument(
        session=session,
        title=(title.strip() or checked.filename)[:200],
        uploaded_by=user_of(actor),
        **checked.fields(),
    )
    save_validated(document, changed=[])
    audit_record(
        actor=actor,
        action="session.document_add",
        target=document,
        changes={"session": session.pk, "size": checked.size, "sha256": checked.sha256},
    )
    return document


@transaction.atomic
def session_document_delete(*, actor: Actor, document: SessionDocument) -> None:
    """Remove a document (its uploader or network staff; Forbidden for anyone else)."""
    if not can_delete_session_document(user=actor, document=document):
        raise Forbidden
    audit_record(
        actor=actor,
        action="session.document_delete",
        target=document,
        changes={"session": document.session_id, "filename": document.filename},
    )
    document.delete()
