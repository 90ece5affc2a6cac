"""A session's own page: what it works on (plan, framework, consultation), its minutes and its
documents, with the upload form for those who may attach one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.core.forms import form_page
from peaceworks.core.uploads import document_response
from peaceworks.meetings import selectors
from peaceworks.meetings.forms import DocumentForm
from peaceworks.meetings.models import Session, SessionDocument
from peaceworks.meetings.services.documents import session_document_add, session_document_delete


def _session_url(session_id: int, anchor: str = "") -> str:
    return reverse("meetings:session", args=[session_id]) + (f"#{anchor}" if anchor else "")


def _page_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    meeting = session.meeting
    documents = selectors.session_documents(session=session)
    return {
        "meeting": meeting,
        "session": session,
        "row": selectors.session_minutes(session=session),
        "consultation": selectors.consultation_of(user=request.user, session=session),
        "documents": documents,
        "deletable": {
            document.pk
            for document in documents
            if selectors.can_delete_session_document(user=request.user, document=document)
        },
        "can_add_documents": selectors.can_add_session_documents(
            user=request.user, meeting=meeting
        ),
        "can_plan": viewer_for(request.user).is_network_staff,
        "can_write_minutes": selectors.can_write_minutes(user=request.user, meeting=meeting),
        "roles": selectors.participant_roles(user=request.user, meeting=meeting),
        "document_form": DocumentForm(),
    }


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    return render(request, "meetings/session_detail.html", _page_context(request, session))


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document; a refused file comes back on the form with the reason at the file
    field, and nothing is kept."""
    session = selectors.session_get_for_user(user=request.user, pk=pk)

    def attach(values: Mapping[str, Any]) -> SessionDocument:
        return session_document_add(
            actor=request.user, session=session, title=values["title"], file=values["file"]
        )

    return form_page(
        request,
        DocumentForm(request.POST, request.FILES),
        save=attach,
        success_url=lambda _document: _session_url(session.pk, "documents"),
        saved_message=_("The document is attached."),
        template="meetings/form.html",
        context={
            "meeting": session.meeting,
            "heading": _("Attach a document: %(title)s") % {"title": session.title},
            "cancel_url": _session_url(session.pk, "documents"),
            "multipart": True,
        },
    )


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The only way to a session document: whoever may read the meeting, as an attachment."""
    document = selectors.session_document_get_for_user(
        user=request.user, session_pk=pk, pk=document_pk
    )
    return document_response(data=bytes(document.content), filename=document.filename)


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = selectors.session_document_get_for_user(
        user=request.user, session_pk=pk, pk=document_pk, write=True
    )
    session_document_delete(actor=request.user, document=document)
    messages.success(request, _("The document is removed."))
    return redirect(_session_url(pk, "documents"))
