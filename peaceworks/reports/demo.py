"""The reports part of the demo network: one published, public report of the demo campaign
(``rpc``), so that stakeholders find it on their home and the campaign has public results.
Deterministic and idempotent: run again, it keeps the report and its published version."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from peaceworks.campaigns.models import Campaign
from peaceworks.reports.models import Report, ReportVersion
from peaceworks.reports.services import report_generate

TITLE = "Raising Peace Camps: results for partners"
COORDINATOR = "coordinator@peaceworks.test"


@dataclass(frozen=True)
class ReportsDemo:
    report: Report | None
    version: ReportVersion | None


def seed() -> ReportsDemo:
    """Define, generate and publish the demo report (after the analytics refresh)."""
    campaign = Campaign.objects.filter(code="rpc").first()
    if campaign is None:
        return ReportsDemo(None, None)
    coordinator = get_user_model().objects.filter(email=COORDINATOR).first()
    report, _created = Report.objects.get_or_create(
        campaign=campaign,
        title=TITLE,
        defaults={
            "scope": Report.Scope.CAMPAIGN,
            "language": Report.Language.EN,
            "audience": Report.Audience.PUBLIC,
            "created_by": coordinator,
        },
    )
    version = report.versions.filter(number=1).first()
    if version is None:
        version = ReportVersion.objects.create(
            report=report,
            number=1,
            created_at=timezone.now().replace(microsecond=0),
            requested_by=coordinator,
        )
    if version.state == ReportVersion.State.QUEUED:
        report_generate(actor=None, version_id=version.pk)  # the demo's own work, no person
        version.refresh_from_db()
    if version.state == ReportVersion.State.READY:
        ReportVersion.objects.filter(pk=version.pk).update(
            state=ReportVersion.State.PUBLISHED,
            published_at=version.created_at,
            published_by=coordinator,
            change_note="First version.",
        )
        version.refresh_from_db()
    return ReportsDemo(report, version)
