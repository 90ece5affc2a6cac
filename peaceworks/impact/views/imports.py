"""Import pages: upload, preview with row errors, confirm (all or nothing); XLSForm export."""

from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.core.errors import DomainError
from peaceworks.impact.forms import ResponsesImportForm, XLSFormImportForm
from peaceworks.impact.models import ImportJob
from peaceworks.impact.selectors import (
    import_job_get_for_user,
    instrument_get_for_user,
    round_get_for_user,
)
from peaceworks.impact.services import import_confirm, import_preview
from peaceworks.impact.xlsform import export_xlsform

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@login_required
def round_import(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = round_get_for_user(user=request.user, pk=pk, write=True)
    form = ResponsesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD_BYTES:
                raise DomainError(_("The file is larger than 20 MB."))
            job = import_preview(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                data=upload.read(),
                survey_round=survey_round,
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("impact:import_detail", pk=job.pk)
    return render(
        request,
        "impact/import_form.html",
        {"form": form, "target": survey_round},
        status=400 if form.errors else 200,
    )


@login_required
def instrument_import(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_get_for_user(user=request.user, pk=pk, write=True)
    form = XLSFormImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_preview(
                actor=request.user,
                kind=ImportJob.Kind.XLSFORM,
                filename=upload.name,
                data=upload.read(),
                instrument=instrument,
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("impact:import_detail", pk=job.pk)
    return render(
        request,
        "impact/import_form.html",
        {"form": form, "target": instrument},
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_get_for_user(user=request.user, pk=pk)
    return render(request, "impact/import_detail.html", {"job": job})


@login_required
@require_POST
def import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_get_for_user(user=request.user, pk=pk, write=True)
    # an import confirmed twice raises DomainError; the page then shows its state
    with contextlib.suppress(DomainError):
        import_confirm(actor=request.user, job=job)
    return redirect("impact:import_detail", pk=job.pk)


@login_required
def instrument_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(
        export_xlsform(instrument),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"peaceworks-{instrument.role}-v{instrument.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
