"""Reads of the reports app and its one access rule.

A report's drafts (every version, whatever its state) are read by those who read what it covers:
a report on one organisation by network staff and that organisation's members; any other report
by every member of the network. Writing (defining, requesting, retrying, publishing) is for
network staff and, for a report on one organisation, its coordinators; a reader who may not
write gets 403, anyone else 404.

A published version is read, beside those, by the report's audience: with ``stakeholders``, the
stakeholder accounts (of the organisation, for a report on one organisation; of any member, for
the others); with ``public``, everyone signed in, and the campaign's public results page shows
it without sign-in. Everyone else gets 404, drafts included.
"""

from __future__ import annotations

import enum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from peaceworks.accounts.access import Actor, Viewer, viewer_for
from peaceworks.accounts.models import Role
from peaceworks.campaigns.models import Campaign
from peaceworks.core.errors import Forbidden, NotFound
from peaceworks.reports.models import Report, ReportVersion


class Purpose(enum.Enum):
    READ = "read"  # the report and every version, drafts included
    WRITE = "write"  # define, request, retry, publish


def _organisation_of(report: Report) -> int | None:
    return report.organisation_id if report.scope == Report.Scope.ORGANISATION else None


def can_read_drafts(viewer: Viewer, report: Report) -> bool:
    organisation = _organisation_of(report)
    if organisation is not None:
        return viewer.can_read_org(organisation)
    return viewer.is_network_member


def can_write(viewer: Viewer, report: Report) -> bool:
    organisation = _organisation_of(report)
    if organisation is not None:
        return viewer.can_write_org(organisation)
    return viewer.is_network_staff


def stakeholder_org_ids(viewer: Viewer) -> frozenset[int]:
    return frozenset(org for org, role in viewer.org_roles.items() if role == Role.STAKEHOLDER)


def can_read_published(viewer: Viewer, report: Report) -> bool:
    """Whether ``viewer`` may read the report's published versions."""
    if can_read_drafts(viewer, report):
        return True
    if report.audience == Report.Audience.PUBLIC:
        return True
    if report.audience != Report.Audience.STAKEHOLDERS:
        return False
    stakeholder_of = stakeholder_org_ids(viewer)
    organisation = _organisation_of(report)
    return bool(stakeholder_of) and (organisation is None or organisation in stakeholder_of)


def report_check(*, actor: Actor, report: Report, purpose: Purpose) -> None:
    """NotFound for whoever may not read the report's drafts; Forbidden for a reader writing."""
    viewer = viewer_for(actor)
    if not can_read_drafts(viewer, report):
        raise NotFound
    if purpose is Purpose.WRITE and not can_write(viewer, report):
        raise Forbidden


def _drafts_q(viewer: Viewer, prefix: str = "") -> Q | None:
    """The reports whose drafts ``viewer`` reads, as a filter (None: every report)."""
    if viewer.is_network_staff:
        return None
    if not viewer.is_network_member:
        return Q(pk__in=[])
    return ~Q(**{f"{prefix}scope": Report.Scope.ORGANISATION}) | Q(
        **{f"{prefix}organisation_id__in": viewer.readable_org_ids}
    )


def _published_q(viewer: Viewer, prefix: str = "") -> Q:
    """The reports whose published versions ``viewer`` reads through the audience."""
    q = Q(**{f"{prefix}audience": Report.Audience.PUBLIC})
    stakeholder_of = stakeholder_org_ids(viewer)
    if stakeholder_of:
        q |= Q(**{f"{prefix}audience": Report.Audience.STAKEHOLDERS}) & (
            ~Q(**{f"{prefix}scope": Report.Scope.ORGANISATION})
            | Q(**{f"{prefix}organisation_id__in": stakeholder_of})
        )
    return q


def report_get_for_user(*, user: Actor, pk: int, purpose: Purpose = Purpose.READ) -> Report:
    """A report for its page: its drafts' readers, or (reading) its published versions'
    readers when it has one; 404 otherwise, 403 for a reader writing."""
    report = (
        Report.objects.select_related("campaign", "theme", "organisation").filter(pk=pk).first()
    )
    if report is None:
        raise NotFound
    viewer = viewer_for(user)
    if purpose is Purpose.READ and not can_read_drafts(viewer, report):
        published = report.versions.filter(state=ReportVersion.State.PUBLISHED).exists()
        if published and can_read_published(viewer, report):
            return report
        raise NotFound
    report_check(actor=user, report=report, purpose=purpose)
    return report


def version_get_for_user(*, user: Actor, pk: int, purpose: Purpose = Purpose.READ) -> ReportVersion:
    """A version: drafts for their readers; a published one also for its audience."""
    version = (
        ReportVersion.objects.select_related(
            "report", "report__campaign", "report__theme", "report__organisation"
        )
        .defer("pdf", "xlsx")
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise NotFound
    viewer = viewer_for(user)
    if (
        purpose is Purpose.READ
        and version.is_published
        and can_read_published(viewer, version.report)
    ):
        return version
    report_check(actor=user, report=version.report, purpose=purpose)
    return version


def version_document(*, version: ReportVersion, kind: str) -> bytes:
    """The stored PDF or XLSX of a version its reader already opened."""
    field = "pdf" if kind == "pdf" else "xlsx"
    data = ReportVersion.objects.filter(pk=version.pk).values_list(field, flat=True).first()
    return bytes(data or b"")


def report_list_visible_to(*, user: Actor) -> QuerySet[Report]:
    """Every report whose drafts the user reads, and those with a published version the
    user's audience reads."""
    viewer = viewer_for(user)
    reports = Report.objects.select_related("campaign", "theme", "organisation")
    drafts = _drafts_q(viewer)
    if drafts is None:
        return reports
    published = Exists(
        ReportVersion.objects.filter(report=OuterRef("pk"), state=ReportVersion.State.PUBLISHED)
    )
    return reports.filter(drafts | (_published_q(viewer) & Q(published)))


def versions_for(*, user: Actor, report: Report) -> list[ReportVersion]:
    """The versions of a report the user may see (only published ones for its audience)."""
    versions = report.versions.defer("pdf", "xlsx", "figures").order_by("-number")
    if not can_read_drafts(viewer_for(user), report):
        versions = versions.filter(state=ReportVersion.State.PUBLISHED)
    return list(versions)


def published_versions_for(*, user: Actor, limit: int = 100) -> list[ReportVersion]:
    """Published versions the user may read, newest first (a stakeholder's home)."""
    return list(published_versions_visible_to(user=user).order_by("-published_at", "-pk")[:limit])


def published_versions_visible_to(*, user: Actor) -> QuerySet[ReportVersion]:
    """Published versions the user may read, their reports and campaigns joined, unordered
    (the API pages and orders them)."""
    viewer = viewer_for(user)
    versions = (
        ReportVersion.objects.filter(state=ReportVersion.State.PUBLISHED)
        .select_related("report", "report__campaign")
        .defer("pdf", "xlsx", "figures")
    )
    drafts = _drafts_q(viewer, "report__")
    if drafts is not None:
        versions = versions.filter(drafts | _published_q(viewer, "report__"))
    return versions


def public_results_version(*, campaign: Campaign) -> ReportVersion | None:
    """The newest published version of the campaign's public whole-campaign report."""
    return (
        ReportVersion.objects.filter(
            state=ReportVersion.State.PUBLISHED,
            report__campaign=campaign,
            report__audience=Report.Audience.PUBLIC,
            report__scope__in=(Report.Scope.CAMPAIGN, Report.Scope.PROJECT),
        )
        .select_related("report", "report__campaign")
        .order_by("-published_at", "-pk")
        .first()
    )


def public_results_url(campaign: Campaign) -> str:
    """The address of the campaign's public results page, "" when it published none (the
    campaign's public page links it through ``campaigns.hooks``)."""
    if public_results_version(campaign=campaign) is None:
        return ""
    return reverse("reports:public_results", args=[campaign.code])


def public_results_campaign(*, code: str) -> tuple[Campaign, ReportVersion]:
    """A campaign and its public results (404 when it published none)."""
    campaign = Campaign.objects.filter(code=code).first()
    if campaign is None:
        raise NotFound
    version = public_results_version(campaign=campaign)
    if version is None:
        raise NotFound
    return campaign, version


def public_campaigns() -> list[Campaign]:
    """Campaigns with public results (listed on a stakeholder's home)."""
    ids = ReportVersion.objects.filter(
        state=ReportVersion.State.PUBLISHED,
        report__audience=Report.Audience.PUBLIC,
        report__scope__in=(Report.Scope.CAMPAIGN, Report.Scope.PROJECT),
    ).values("report__campaign_id")
    return list(Campaign.objects.filter(pk__in=ids).order_by("name"))
