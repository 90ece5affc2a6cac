"""Reports for funders and partners: a definition (what it covers, in which language, for whom)
and its versions. A version holds the frozen figures it was generated from (``figures``: every
number the document shows) and the documents rendered from them; once published it never
changes: later responses, refreshes, withdrawals and imports reach the next version only."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import TimeStampedModel


class Report(TimeStampedModel):
    class Scope(models.TextChoices):
        CAMPAIGN = "campaign", _("Whole campaign")
        THEME = "theme", _("One theme")
        PROJECT = "project", _("Project")
        ORGANISATION = "organisation", _("One organisation")
        PERIOD = "period", _("One year")

    class Language(models.TextChoices):
        EN = "en", "English"
        FR = "fr", "Français"
        ES = "es", "Español"

    class Audience(models.TextChoices):
        NETWORK = "network", _("Network members only")
        STAKEHOLDERS = "stakeholders", _("Network members and stakeholders")
        PUBLIC = "public", _("Everyone (public results page)")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("title"), max_length=200)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    theme = models.ForeignKey(
        "campaigns.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theme"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    audience = models.CharField(
        _("published to"), max_length=20, choices=Audience.choices, default=Audience.STAKEHOLDERS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.scope == self.Scope.THEME:
            if self.theme_id is None:
                errors["theme"] = str(_("Choose the theme the report covers."))
            elif self.theme is not None and self.theme.campaign_id != self.campaign_id:
                errors["theme"] = str(_("This theme belongs to another campaign."))
        elif self.theme_id is not None:
            errors["theme"] = str(_("A theme is chosen only for a report on one theme."))
        if self.scope == self.Scope.ORGANISATION:
            if self.organisation_id is None:
                errors["organisation"] = str(_("Choose the organisation the report covers."))
        elif self.organisation_id is not None:
            errors["organisation"] = str(
                _("An organisation is chosen only for a report on one organisation.")
            )
        if self.scope == self.Scope.PERIOD:
            if self.year is None:
                errors["year"] = str(_("Choose the year the report covers."))
        elif self.year is not None:
            errors["year"] = str(_("A year is chosen only for a report on one year."))
        if (
            self.scope == self.Scope.PROJECT
            and self.campaign_id is not None
            and self.campaign.kind != "project"
        ):
            errors["scope"] = str(_("This campaign is not a project: choose “Whole campaign”."))
        if errors:
            raise ValidationError(errors)


class ReportVersion(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be generated")
        GENERATING = "generating", _("Being generated")
        READY = "ready", _("Ready to review")
        FAILED = "failed", _("Generation failed")
        PUBLISHED = "published", _("Published")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="versions", verbose_name=_("report")
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    failure_reason = models.CharField(_("reason of the failure"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    #: every figure the documents show, as collected at the published floor
    figures = models.JSONField(_("frozen figures"), default=dict, blank=True)
    pdf = models.BinaryField(_("PDF document"), default=bytes)
    xlsx = models.BinaryField(_("XLSX workbook"), default=bytes)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    change_note = models.TextField(_("what changed"), blank=True)
    withdrawals_note = models.TextField(_("withdrawals since the previous version"), blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ("-number",)
        constraints = [
            models.UniqueConstraint(fields=("report", "number"), name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} — v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_busy(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.GENERATING)

    @property
    def has_documents(self) -> bool:
        return self.state in (self.State.READY, self.State.PUBLISHED)
