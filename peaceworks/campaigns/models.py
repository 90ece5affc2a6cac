"""Programmes, campaigns and projects, their themes, and the activities members run."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import TimeStampedModel


class Programme(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Campaign(TimeStampedModel):
    """A campaign (``kind=campaign``) or a project (``kind=project``) of a programme."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Campaign")
        PROJECT = "project", _("Project")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CAMPAIGN)
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    lead_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_campaigns",
        verbose_name=_("lead organisation"),
    )

    class Meta:
        ordering = ["programme__name", "kind", "name"]
        verbose_name = _("campaign or project")
        verbose_name_plural = _("campaigns and projects")

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """One entry of a campaign's theme taxonomy (e.g. the five rights)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="themes", verbose_name=_("campaign")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["campaign_id", "number"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="campaigns_theme_number"),
            models.UniqueConstraint(fields=["campaign", "code"], name="campaigns_theme_code"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Activity(TimeStampedModel):
    """Something a member organisation runs under a campaign or project."""

    class Type(models.TextChoices):
        WORKCAMP = "workcamp", _("Workcamp")
        MLTV = "mltv", _("Mid/long-term volunteering")
        TRAINING = "training", _("Training")
        SEMINAR = "seminar", _("Seminar")
        STUDY_SESSION = "study_session", _("Study session")
        AWARENESS = "awareness", _("Local awareness action")
        HUMAN_RIGHTS_WEEK = "hr_week", _("Human-rights-week event")
        ADVOCACY_MEETING = "advocacy", _("Advocacy meeting")
        ONLINE_ACTION = "online", _("Online action")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    #: hours a day assumed for workcamps when the organiser gives none
    DEFAULT_WORKCAMP_HOURS = 6

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="activities", verbose_name=_("campaign")
    )
    host_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="hosted_activities",
        verbose_name=_("hosting organisation"),
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    activity_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    country = models.CharField(_("country"), max_length=2)
    place = models.CharField(_("place"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    themes = models.ManyToManyField(Theme, related_name="activities", verbose_name=_("themes"))
    international_volunteers = models.PositiveIntegerField(_("international volunteers"), default=0)
    local_volunteers = models.PositiveIntegerField(_("local volunteers"), default=0)
    local_participants = models.PositiveIntegerField(_("local participants"), default=0)
    hours_per_day = models.DecimalField(
        _("hours per day"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hours_per_day_defaulted = models.BooleanField(_("hours per day defaulted"), default=False)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="campaigns_activity_dates_ordered",
            )
        ]
        indexes = [models.Index(fields=["host_organisation", "start_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def duration_days(self) -> int:
        """Days from start to end, both included."""
        return (self.end_date - self.start_date).days + 1

    def clean(self) -> None:
        dates_given = isinstance(self.start_date, date) and isinstance(self.end_date, date)
        if dates_given and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
