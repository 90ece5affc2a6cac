"""The two pages every import shares: the preview of an upload and its confirmation.

Each app mounts them in its ``urls.py`` under one shape, with the kinds of upload it serves::

    path("imports/<int:pk>/", upload_pages.preview, {"kinds": KINDS}, name="import_preview"),
    path("imports/<int:pk>/confirm/", upload_pages.confirm, {"kinds": KINDS},
         name="import_confirm"),

Access is the importer's (:func:`~peaceworks.core.uploads.upload_get_for_user`). A refused
confirmation renders the preview again with the reason and its status (409 already imported,
410 expired, 400 row errors).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.core.errors import DomainError
from peaceworks.core.models import PendingUpload
from peaceworks.core.uploads import (
    COUNT_LABELS,
    importer_for,
    upload_confirm,
    upload_counts,
    upload_errors,
    upload_get_for_user,
    upload_preview,
    upload_store,
)


def _render(
    request: HttpRequest, upload: PendingUpload, *, error: str = "", status: int = 200
) -> HttpResponse:
    preview = upload_preview(actor=request.user, upload=upload)
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    counts = upload_counts(upload=upload, preview=preview)
    return render(
        request,
        "core/upload_preview.html",
        {
            "upload": upload,
            "preview": preview,
            "errors": upload_errors(upload=upload, preview=preview),
            "counts": [(COUNT_LABELS.get(key, key), value) for key, value in counts.items()],
            "error": error,
            "may_confirm": upload.state == PendingUpload.State.PENDING and preview.is_valid,
            "confirm_url": reverse(f"{namespace}:import_confirm", args=[upload.pk]),
            "upload_url": importer_for(upload.importer).upload_url(upload),
        },
        status=status,
    )


@login_required
def preview(request: HttpRequest, pk: int, kinds: Sequence[str]) -> HttpResponse:
    """Counts, every row error (row, column, message), the rows, and the confirm button."""
    upload = upload_get_for_user(user=request.user, pk=pk, kinds=kinds)
    return _render(request, upload)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int, kinds: Sequence[str]) -> HttpResponse:
    upload = upload_get_for_user(user=request.user, pk=pk, kinds=kinds, write=True)
    try:
        outcome = upload_confirm(actor=request.user, upload=upload)
    except DomainError as error:
        upload.refresh_from_db()
        return _render(request, upload, error=error.message, status=error.status_code)
    messages.success(
        request,
        _("Import done: %(counts)s.")
        % {
            "counts": ", ".join(
                f"{COUNT_LABELS.get(key, key)} {value}" for key, value in outcome.items()
            )
        },
    )
    return redirect(importer_for(upload.importer).done_url(upload))


def store_posted(
    request: HttpRequest,
    form: Form,
    *,
    importer: str,
    target: Mapping[str, Any] | None = None,
) -> tuple[PendingUpload | None, int]:
    """Store the ``file`` of a posted upload form with ``importer``.

    Returns the upload, or None with the status to render the form again with: 200 for a
    GET, the refusal's status (400 unreadable or empty, 413 too large) with the reason added
    to the form's ``file`` field.
    """
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    uploaded = form.cleaned_data["file"]
    try:
        upload = upload_store(
            actor=request.user,
            importer=importer,
            filename=uploaded.name or "upload",
            data=uploaded.read(),
            target=target,
        )
    except DomainError as error:
        form.add_error("file", error.message)
        return None, error.status_code
    return upload, 200
