"""Import pages: the upload forms (the preview and confirmation are ``core.upload_pages``);
the XLSForm export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peaceworks.core.upload_pages import store_posted
from peaceworks.impact.forms import ResponsesImportForm, XLSFormImportForm
from peaceworks.impact.models import Instrument, Round
from peaceworks.impact.selectors import instrument_get_for_user, round_get_for_user
from peaceworks.impact.services.imports import KOBO, RESPONSES, XLSFORM
from peaceworks.impact.xlsform import export_xlsform


def _upload_form(
    request: HttpRequest, form: Form, *, importer: str, target: Round | Instrument
) -> HttpResponse:
    """Store the posted file with ``importer`` and show its preview, or the form again."""
    key = "round" if isinstance(target, Round) else "instrument"
    upload, status = store_posted(request, form, importer=importer, target={key: target.pk})
    if upload is not None:
        return redirect("impact:import_preview", pk=upload.pk)
    return render(
        request,
        "impact/import_form.html",
        {
            "form": form,
            "target": target,
            # the instrument's own XLSForm: a template to fill in (responses) or to edit
            "template_instrument_id": target.instrument_id
            if isinstance(target, Round)
            else target.pk,
        },
        status=status,
    )


@login_required
def round_import(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = round_get_for_user(user=request.user, pk=pk, write=True)
    form = ResponsesImportForm(request.POST or None, request.FILES or None)
    kind = form.data.get("kind") if form.is_bound else None
    importer = KOBO if kind == "kobo" else RESPONSES
    return _upload_form(request, form, importer=importer, target=survey_round)


@login_required
def instrument_import(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = instrument_get_for_user(user=request.user, pk=pk, write=True)
    form = XLSFormImportForm(request.POST or None, request.FILES or None)
    return _upload_form(request, form, importer=XLSFORM, target=instrument)


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
