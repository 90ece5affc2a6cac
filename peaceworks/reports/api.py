"""The reports API: define and request a report, follow a version's progress, list the
published versions one may read, download them. Same access rules and services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns.models import Campaign, Theme
from peaceworks.core.errors import DomainError, NotFound
from peaceworks.core.pagination import Rows, paginate, updated_since
from peaceworks.core.schemas import Id
from peaceworks.directory.models import Organisation
from peaceworks.reports import selectors
from peaceworks.reports.models import Report, ReportVersion
from peaceworks.reports.schemas import (
    PUBLISHED_ORDERINGS,
    PublishedFilter,
    ReportIn,
    ReportOut,
    VersionOut,
    VersionRequestIn,
)
from peaceworks.reports.selectors import Purpose
from peaceworks.reports.services import report_create, report_publish, report_request

router = Router(tags=["reports"])


def _version_out(version: ReportVersion) -> VersionOut:
    documents = version.has_documents
    return VersionOut(
        id=version.pk,
        report_id=version.report_id,
        report_title=version.report.title,
        campaign=version.report.campaign.code,
        number=version.number,
        state=version.state,
        progress=version.progress,
        failure_reason=version.failure_reason,
        created_at=version.created_at,
        published_at=version.published_at,
        change_note=version.change_note,
        content_hash=version.content_hash,
        pdf_url=reverse("api:report_version_pdf", args=[version.pk]) if documents else None,
        xlsx_url=reverse("api:report_version_xlsx", args=[version.pk]) if documents else None,
    )


def _report_out(request: HttpRequest, report: Report) -> ReportOut:
    versions = selectors.versions_for(user=request.user, report=report)
    for version in versions:
        version.report = report
    return ReportOut(
        id=report.pk,
        title=report.title,
        campaign=report.campaign.code,
        scope=report.scope,
        language=report.language,
        audience=report.audience,
        versions=[_version_out(version) for version in versions],
    )


def _found(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError("There is no such record.", field=field)
    return found


@router.post("", response={202: ReportOut}, url_name="report_create")
def report_create_endpoint(request: HttpRequest, payload: ReportIn) -> Status[ReportOut]:
    """Define a report and queue its first version (network staff; an organisation's
    coordinators for a report on their organisation)."""
    viewer = viewer_for(request.user)
    if not viewer.is_network_member:
        raise NotFound
    campaign = Campaign.objects.filter(pk=payload.campaign_id).first()
    if campaign is None:
        raise NotFound
    changes = {
        "title": payload.title,
        "scope": payload.scope,
        "theme": _found(Theme, payload.theme_id, "theme_id"),
        "organisation": _found(Organisation, payload.organisation_id, "organisation_id"),
        "year": payload.year,
        "language": payload.language,
        "audience": payload.audience,
    }
    report = report_create(actor=request.user, campaign=campaign, changes=changes)
    return Status(202, _report_out(request, report))


@router.get("/published", response=list[VersionOut], url_name="report_published")
@paginate
def report_published(request: HttpRequest, filters: Query[PublishedFilter]) -> Rows[ReportVersion]:
    """The published versions the caller may read, newest first unless ``ordering`` says."""
    versions = selectors.published_versions_visible_to(user=request.user)
    if filters.campaign_id is not None:
        versions = versions.filter(report__campaign_id=filters.campaign_id)
    if filters.scope:
        versions = versions.filter(report__scope=filters.scope)
    if filters.language:
        versions = versions.filter(report__language=filters.language)
    versions = updated_since(
        versions, filters.published_since, field="published_at", parameter="published_since"
    )
    return Rows(PUBLISHED_ORDERINGS.apply(versions, filters.ordering), _version_out)


@router.get("/{int:pk}", response=ReportOut, url_name="report_detail")
def report_detail(request: HttpRequest, pk: Id) -> ReportOut:
    return _report_out(request, selectors.report_get_for_user(user=request.user, pk=pk))


@router.post("/{int:pk}/versions", response={202: VersionOut}, url_name="report_request")
def report_request_endpoint(
    request: HttpRequest, pk: Id, payload: VersionRequestIn
) -> Status[VersionOut]:
    """Queue a new version; follow it at ``/versions/{id}``."""
    report = selectors.report_get_for_user(user=request.user, pk=pk, purpose=Purpose.WRITE)
    version = report_request(actor=request.user, report=report, change_note=payload.change_note)
    version.refresh_from_db()
    return Status(202, _version_out(version))


@router.get("/versions/{int:pk}", response=VersionOut, url_name="report_version")
def report_version(request: HttpRequest, pk: Id) -> VersionOut:
    """A version's state and progress (poll it while it is queued or generating)."""
    return _version_out(selectors.version_get_for_user(user=request.user, pk=pk))


@router.post("/versions/{int:pk}/publish", response=VersionOut, url_name="report_publish")
def report_publish_endpoint(request: HttpRequest, pk: Id, payload: VersionRequestIn) -> VersionOut:
    version = selectors.version_get_for_user(user=request.user, pk=pk, purpose=Purpose.WRITE)
    return _version_out(
        report_publish(actor=request.user, version=version, change_note=payload.change_note)
    )


def _download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    if not version.has_documents:
        raise NotFound
    response = HttpResponse(
        selectors.version_document(version=version, kind=kind),
        content_type="application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="report-{version.report_id}-v{version.number}.{kind}"'
    )
    return response


@router.get("/versions/{int:pk}/pdf", url_name="report_version_pdf")
def report_version_pdf(request: HttpRequest, pk: Id) -> HttpResponse:
    return _download(request, pk, "pdf")


@router.get("/versions/{int:pk}/xlsx", url_name="report_version_xlsx")
def report_version_xlsx(request: HttpRequest, pk: Id) -> HttpResponse:
    return _download(request, pk, "xlsx")
