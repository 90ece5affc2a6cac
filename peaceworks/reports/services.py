"""Writes of the reports app: define a report, request a version (generated in the background),
generate it, retry a failed one, publish one.

Who may do what (``selectors.report_access``): a report on one organisation is written by network
staff and that organisation's coordinators; any other report by network staff. Publishing
freezes nothing new: a version's figures were frozen when it was generated; publishing makes
that version, unchanged, readable by the report's audience.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, user_of
from peaceworks.campaigns.models import Campaign
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.core.records import assign_changes, save_validated
from peaceworks.core.scheduling import enqueue_on_commit
from peaceworks.directory.models import WebhookEvent
from peaceworks.directory.services.webhooks import webhook_emit
from peaceworks.reports.documents import (
    figures_hash,
    render_html,
    render_pdf,
    render_xlsx,
    version_label,
    withdrawals_text,
)
from peaceworks.reports.figures import collect_figures
from peaceworks.reports.models import Report, ReportVersion
from peaceworks.reports.selectors import Purpose, report_check

REPORT_FIELDS = (
    "campaign",
    "title",
    "scope",
    "theme",
    "organisation",
    "year",
    "language",
    "audience",
)
GENERATE_TASK = "peaceworks.reports.tasks.report_generate_task"


class NotReady(DomainError):
    status_code = 409


@transaction.atomic
def report_create(
    *, actor: Actor, campaign: Campaign, changes: Mapping[str, Any], generate: bool = True
) -> Report:
    """A new report definition (checked as a write on what it covers) and, unless
    ``generate`` is false, its first version queued for generation."""
    report = Report(campaign=campaign, created_by=user_of(actor))
    changed = assign_changes(report, {**changes, "campaign": campaign}, allowed=REPORT_FIELDS)
    report_check(actor=actor, report=report, purpose=Purpose.WRITE)
    save_validated(report, changed=changed)
    audit_record(actor=actor, action="report.create", target=report)
    if generate:
        report_request(actor=actor, report=report)
    return report


@transaction.atomic
def report_request(*, actor: Actor, report: Report, change_note: str = "") -> ReportVersion:
    """A new version of ``report``, queued: its figures are collected when it is generated."""
    report_check(actor=actor, report=report, purpose=Purpose.WRITE)
    Report.objects.select_for_update().filter(pk=report.pk).first()  # one number at a time
    last = report.versions.aggregate(last=Max("number"))["last"] or 0
    version = ReportVersion.objects.create(
        report=report,
        number=last + 1,
        created_at=timezone.now().replace(microsecond=0),
        requested_by=user_of(actor),
        change_note=change_note.strip(),
    )
    audit_record(actor=actor, action="report.request", target=version)
    enqueue_on_commit(GENERATE_TASK, version.pk)
    return version


@transaction.atomic
def report_retry(*, actor: Actor, version: ReportVersion) -> ReportVersion:
    """Queue a failed version's generation again."""
    report_check(actor=actor, report=version.report, purpose=Purpose.WRITE)
    if version.state != ReportVersion.State.FAILED:
        raise NotReady(_("Only a version whose generation failed can be retried."), field="state")
    ReportVersion.objects.filter(pk=version.pk).update(
        state=ReportVersion.State.QUEUED, progress=0, failure_reason=""
    )
    version.refresh_from_db()
    audit_record(actor=actor, action="report.retry", target=version)
    enqueue_on_commit(GENERATE_TASK, version.pk)
    return version


def _progress(version_id: int, value: int) -> None:
    ReportVersion.objects.filter(pk=version_id).update(progress=value)


def _previous_published(version: ReportVersion) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(
            report_id=version.report_id,
            state=ReportVersion.State.PUBLISHED,
            number__lt=version.number,
        )
        .order_by("-number")
        .first()
    )


def _documents(version: ReportVersion, figures: Mapping[str, Any]) -> tuple[bytes, bytes]:
    label = version_label(version, language=figures["language"])
    html = render_html(
        figures, version_label=label, created_at=version.created_at, change_note=version.change_note
    )
    pdf = render_pdf(html, identifier=figures_hash(figures))
    xlsx = render_xlsx(figures, version_label=label, created_at=version.created_at)
    return pdf, xlsx


def report_generate(*, actor: Actor, version_id: int) -> ReportVersion | None:
    """Collect the figures of a queued version, freeze them and render its documents, with the
    progress stored as it goes (a page polls it). A failure is kept with its reason. Run by the
    task (``actor`` None); does nothing for a version that is not queued (idempotent)."""
    claimed = ReportVersion.objects.filter(
        pk=version_id, state__in=(ReportVersion.State.QUEUED,)
    ).update(state=ReportVersion.State.GENERATING, progress=5, failure_reason="")
    if not claimed:
        return None
    version = ReportVersion.objects.select_related(
        "report", "report__campaign", "report__theme", "report__organisation"
    ).get(pk=version_id)
    if actor is not None:  # a person asking for it now, rather than the task
        report_check(actor=actor, report=version.report, purpose=Purpose.WRITE)
    try:
        figures = collect_figures(
            version,
            progress=lambda value: _progress(version_id, value),
            previous=_previous_published(version),
        )
        _progress(version_id, 70)
        pdf, xlsx = _documents(version, figures)
        _progress(version_id, 95)
    except Exception as error:  # noqa: BLE001  # any failure is shown with its reason
        reason = f"{type(error).__name__}: {error}"[:500]
        ReportVersion.objects.filter(pk=version_id).update(
            state=ReportVersion.State.FAILED, failure_reason=reason
        )
        audit_record(actor=actor, action="report.generation_failed", target=version)
        version.refresh_from_db()
        return version
    with transaction.atomic():
        ReportVersion.objects.filter(pk=version_id).update(
            state=ReportVersion.State.READY,
            progress=100,
            figures=figures,
            pdf=pdf,
            xlsx=xlsx,
            content_hash=figures_hash(figures),
            generated_at=timezone.now(),
            withdrawals_note=withdrawals_text(figures["withdrawals"]),
        )
        audit_record(actor=actor, action="report.generated", target=version)
    version.refresh_from_db()
    return version


@transaction.atomic
def report_publish(*, actor: Actor, version: ReportVersion, change_note: str = "") -> ReportVersion:
    """Publish a ready version to the report's audience. Its figures are those frozen when it
    was generated; a changed note re-renders the documents from those same figures."""
    report_check(actor=actor, report=version.report, purpose=Purpose.WRITE)
    locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if locked.state != ReportVersion.State.READY:
        raise NotReady(
            _("Only a generated version that is not yet published can be published."),
            field="state",
        )
    note = change_note.strip()
    changes: dict[str, Any] = {
        "state": ReportVersion.State.PUBLISHED,
        "published_at": timezone.now(),
        "published_by": user_of(actor),
    }
    if note and note != locked.change_note:
        locked.change_note = note
        pdf, xlsx = _documents(locked, locked.figures)
        changes.update(change_note=note, pdf=pdf, xlsx=xlsx)
    ReportVersion.objects.filter(pk=locked.pk).update(**changes)
    locked.refresh_from_db()
    audit_record(actor=actor, action="report.publish", target=locked)
    report = locked.report
    webhook_emit(
        event=WebhookEvent.REPORT_PUBLISHED,
        # an organisation's report is news for that organisation; any other for the network
        organisation_ids=[report.organisation_id] if report.organisation_id else None,
        payload={
            "report_id": report.pk,
            "version": locked.number,
            "title": report.title,
            "campaign_id": report.campaign_id,
        },
    )
    return locked
