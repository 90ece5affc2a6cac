"""Report pages: the list, a report with its versions, a version (progress, the document,
downloads), the publish form, and a campaign's public results (no sign-in)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.core.errors import DomainError, Forbidden, NotFound
from peaceworks.core.forms import form_page
from peaceworks.directory.maps import choropleth_svg
from peaceworks.reports import selectors
from peaceworks.reports.documents import document_context, version_label
from peaceworks.reports.forms import PublishForm, ReportForm, RequestForm
from peaceworks.reports.models import ReportVersion
from peaceworks.reports.selectors import Purpose
from peaceworks.reports.services import (
    report_create,
    report_publish,
    report_request,
    report_retry,
)


def _can_define(request: HttpRequest) -> bool:
    viewer = viewer_for(request.user)
    return viewer.is_network_staff or bool(viewer.writable_org_ids)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    reports = list(
        selectors.report_list_visible_to(user=request.user).order_by("-created_at")[:200]
    )
    return render(
        request,
        "reports/index.html",
        {
            "reports": reports,
            "published": selectors.published_versions_for(user=request.user, limit=50),
            "can_define": _can_define(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_network_member:
        raise NotFound
    if request.method == "GET" and not _can_define(request):
        raise Forbidden  # a read-only member; a posted report is checked by the service

    def save(data: Mapping[str, Any]) -> Any:
        changes = {name: value for name, value in data.items() if name != "campaign"}
        return report_create(actor=request.user, campaign=data["campaign"], changes=changes)

    return form_page(
        request,
        ReportForm(request.POST or None, viewer=viewer),
        save=save,
        success_url=lambda report: reverse("reports:detail", args=[report.pk]),
        saved_message=_("The report was defined; its first version is being generated."),
        template="reports/report_form.html",
        context={"cancel_url": reverse("reports:index")},
    )


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    viewer = viewer_for(request.user)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "versions": selectors.versions_for(user=request.user, report=report),
            "can_write": selectors.can_read_drafts(viewer, report)
            and selectors.can_write(viewer, report),
            "request_form": RequestForm(),
        },
    )


@login_required
@require_POST
def report_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk, purpose=Purpose.WRITE)
    form = RequestForm(request.POST)
    note = form.cleaned_data["change_note"] if form.is_valid() else ""
    version = report_request(actor=request.user, report=report, change_note=note)
    messages.success(request, _("A new version was requested; it is being generated."))
    return redirect("reports:version", pk=version.pk)


def _version_context(request: HttpRequest, version: ReportVersion) -> dict[str, Any]:
    viewer = viewer_for(request.user)
    report = version.report
    can_write = selectors.can_read_drafts(viewer, report) and selectors.can_write(viewer, report)
    return {
        "version": version,
        "report": report,
        "label": version_label(version),
        "can_write": can_write,
    }


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    context = _version_context(request, version)
    if version.has_documents:
        with translation.override(version.report.language):
            context.update(document_context(version.figures))
        context["document_language"] = version.report.language
        context["change_note"] = version.change_note
    return render(request, "reports/version_detail.html", context)


@login_required
@require_GET
def version_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's state and progress: the fragment a generating version's page polls."""
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    response = render(request, "reports/_progress.html", _version_context(request, version))
    if request.headers.get("HX-Request") and not version.is_busy:
        response["HX-Redirect"] = reverse("reports:version", args=[version.pk])
    return response


def _file(version: ReportVersion, kind: str) -> HttpResponse:
    if not version.has_documents:
        raise NotFound
    data = selectors.version_document(version=version, kind=kind)
    content_type = (
        "application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    name = f"{version.report.campaign.code}-report-{version.report_id}-v{version.number}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(selectors.version_get_for_user(user=request.user, pk=pk), "pdf")


@login_required
@require_GET
def version_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(selectors.version_get_for_user(user=request.user, pk=pk), "xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def version_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk, purpose=Purpose.WRITE)
    return form_page(
        request,
        PublishForm(request.POST or None, initial={"change_note": version.change_note}),
        save=lambda data: report_publish(
            actor=request.user, version=version, change_note=data["change_note"]
        ),
        success_url=lambda published: reverse("reports:version", args=[published.pk]),
        saved_message=_("The version was published. Its figures will not change."),
        template="reports/publish_form.html",
        context={**_version_context(request, version)},
    )


@login_required
@require_POST
def version_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk, purpose=Purpose.WRITE)
    try:
        report_retry(actor=request.user, version=version)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The version is being generated again."))
    return redirect("reports:version", pk=version.pk)


@require_GET
def public_results(request: HttpRequest, code: str) -> HttpResponse:
    """A campaign's results without sign-in: its public report's published figures only."""
    campaign, version = selectors.public_results_campaign(code=code)
    with translation.override(version.report.language):
        document = document_context(version.figures)
        # only countries whose published figures rest on at least 10 people (``figures``)
        countries = document["countries"]
        map_svg = (
            choropleth_svg(
                {country["code"]: float(country["n"]) for country in countries},
                title=_("People behind the published figures, per hosting country"),
                value_label=_("People (largest published figure)"),
            )
            if countries
            else ""
        )
    return render(
        request,
        "reports/public_results.html",
        {
            **document,
            "campaign": campaign,
            "version": version,
            "label": version_label(version),
            "document_language": version.report.language,
            "change_note": version.change_note,
            "map_svg": map_svg,
        },
    )


@require_GET
def public_results_pdf(request: HttpRequest, code: str) -> HttpResponse:
    _campaign, version = selectors.public_results_campaign(code=code)
    return _file(version, "pdf")
