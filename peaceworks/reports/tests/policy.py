"""The reports' rows of the policy table (see ``tests/security/policy.py``).

Who may do what (``peaceworks.reports.selectors``): a report on one organisation is read, with
all its versions, by network staff and that organisation's coordinators, members and analysts,
and written (requested, retried, published) by network staff and its coordinators; read-only
members writing get 403, everyone else 404. The rows use such a report per tenant. Stakeholders
read published versions only (the unpublished ones here are 404 for them); a campaign's public
results page and its PDF are open to everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from peaceworks.campaigns.models import Campaign, Programme
from peaceworks.reports.models import Report, ReportVersion
from tests.security.policy import Access, Route, Tenant
from tests.security.policy import once as _once

CREATED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NOTE = "Policy"
FIGURES: dict[str, Any] = {
    "schema": 1,
    "title": "Policy report",
    "language": "en",
    "scope": "campaign",
    "scope_label": "Whole campaign",
    "campaign": {"code": "reports-policy", "name": "Reports policy"},
    "version": 1,
    "created_at": CREATED.isoformat(),
    "floor": 10,
    "snapshot_refreshed_at": None,
    "themes": [],
    "breakdowns": [],
    "outputs": [],
    "strategy": [],
    "methods": {
        "indicators": 0,
        "indicators_shown": 0,
        "indicators_hidden": 0,
        "paired": 0,
        "unpaired": 0,
        "n_range": None,
        "response_rate_range": None,
        "pairing_rate_range": None,
        "control_group": False,
    },
    "withdrawals": {"previous_version": None, "any": False, "shown": None},
}


def _campaign(world: Any) -> Campaign:
    def build() -> Campaign:
        programme = Programme.objects.create(name="Reports", code="reports-policy")
        return Campaign.objects.create(
            programme=programme, name="Reports policy", code="reports-policy"
        )

    campaign: Campaign = _once(world, "reports.campaign", build)
    return campaign


def _report(world: Any, tenant: Tenant) -> Report:
    def build() -> Report:
        return Report.objects.create(
            campaign=_campaign(world),
            title=f"Report of {world.org(tenant).name}",
            scope=Report.Scope.ORGANISATION,
            organisation=world.org(tenant),
        )

    report: Report = _once(world, f"reports.report.{tenant.value}", build)
    return report


def _version(world: Any, tenant: Tenant, state: str, change_note: str = "") -> ReportVersion:
    report = _report(world, tenant)
    number = report.versions.count() + 1
    ready = state in (ReportVersion.State.READY, ReportVersion.State.PUBLISHED)
    return ReportVersion.objects.create(
        report=report,
        number=number,
        state=state,
        created_at=CREATED,
        figures=FIGURES if ready else {},
        pdf=b"%PDF-1.7 policy" if ready else b"",
        xlsx=b"PK policy" if ready else b"",
        failure_reason="" if ready else "broken",
        change_note=change_note,
    )


def _kept_version(world: Any, tenant: Tenant, state: str) -> ReportVersion:
    version: ReportVersion = _once(
        world, f"reports.version.{tenant.value}.{state}", lambda: _version(world, tenant, state)
    )
    return version


def _report_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _report(world, tenant).pk}


def _ready_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _kept_version(world, tenant, ReportVersion.State.READY).pk}


def _fresh_ready_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    """A ready version carrying the note its publish sends (``_note``): publishing it renders
    no documents again (``report_publish`` re-renders them for a changed note only, which the
    reports' own tests check); the rows check who may publish."""
    return {"pk": _version(world, tenant, ReportVersion.State.READY, change_note=NOTE).pk}


def _fresh_failed_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _version(world, tenant, ReportVersion.State.FAILED).pk}


def _public_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    def build() -> Campaign:
        programme = Programme.objects.create(name="Public", code="reports-public")
        campaign = Campaign.objects.create(
            programme=programme, name="Public results", code="reports-public"
        )
        report = Report.objects.create(
            campaign=campaign,
            title="Public",
            scope=Report.Scope.CAMPAIGN,
            audience=Report.Audience.PUBLIC,
        )
        ReportVersion.objects.create(
            report=report,
            number=1,
            state=ReportVersion.State.PUBLISHED,
            created_at=CREATED,
            published_at=CREATED,
            figures=FIGURES,
            pdf=b"%PDF-1.7 public",
        )
        return campaign

    campaign: Campaign = _once(world, "reports.public", build)
    return {"code": campaign.code}


def _create_data(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "campaign": _campaign(world).pk,
        "title": "Board report",
        "scope": "organisation",
        "organisation": world.org(tenant).pk,
        "language": "en",
        "audience": "stakeholders",
    }


def _api_create_data(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "campaign_id": _campaign(world).pk,
        "title": "Board report",
        "scope": "organisation",
        "organisation_id": world.org(tenant).pk,
    }


def _note(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"change_note": NOTE}


# a read-only member may open the definition page? no: 403 (they may not write); stakeholders
# and anonymous never reach it
ROUTES = [
    Route("reports:index", Access.SIGNED_IN),
    Route("reports:create", Access.ORG_WRITE),
    Route(
        "reports:create",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        data=_create_data,
        tenant_scoped=True,
    ),
    Route("reports:detail", Access.ORG_READ, args=_report_args, tenant_scoped=True),
    Route(
        "reports:request",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_report_args,
        data=_note,
        tenant_scoped=True,
    ),
    Route("reports:version", Access.ORG_READ, args=_ready_args, tenant_scoped=True),
    Route("reports:version_progress", Access.ORG_READ, args=_ready_args, tenant_scoped=True),
    Route("reports:version_pdf", Access.ORG_READ, args=_ready_args, tenant_scoped=True),
    Route("reports:version_xlsx", Access.ORG_READ, args=_ready_args, tenant_scoped=True),
    Route("reports:version_publish", Access.ORG_WRITE, args=_ready_args, tenant_scoped=True),
    Route(
        "reports:version_publish",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_fresh_ready_args,
        data=_note,
        tenant_scoped=True,
    ),
    Route(
        "reports:version_retry",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_fresh_failed_args,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
    Route("reports:public_results", Access.PUBLIC, args=_public_args),
    Route("reports:public_results_pdf", Access.PUBLIC, args=_public_args),
    Route(
        "api:report_create",
        Access.ORG_WRITE,
        method="POST",
        ok=202,
        data=_api_create_data,
        tenant_scoped=True,
    ),
    Route("api:report_published", Access.SIGNED_IN),
    Route("api:report_detail", Access.ORG_READ, args=_report_args, tenant_scoped=True),
    Route(
        "api:report_request",
        Access.ORG_WRITE,
        method="POST",
        ok=202,
        args=_report_args,
        data=_note,
        tenant_scoped=True,
    ),
    Route("api:report_version", Access.ORG_READ, args=_ready_args, tenant_scoped=True),
    Route(
        "api:report_publish",
        Access.ORG_WRITE,
        method="POST",
        args=_fresh_ready_args,
        data=_note,
        tenant_scoped=True,
    ),
    Route("api:report_version_pdf", Access.ORG_READ, args=_ready_args, tenant_scoped=True),
    Route("api:report_version_xlsx", Access.ORG_READ, args=_ready_args, tenant_scoped=True),
]
