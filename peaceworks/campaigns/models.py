"""Programmes, campaigns and projects, their themes, and the activities members run."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import TimeStampedModel, Translatable


class Programme(Translatable, TimeStampedModel):
    TRANSLATED_FIELDS = ("name", "description")

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
        return self.translated("name")


class Campaign(Translatable, TimeStampedModel):
    """A campaign (``kind=campaign``) or a project (``kind=project``) of a programme."""

    TRANSLATED_FIELDS = ("name", "description")

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
    partner_organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="partner_campaigns",
        verbose_name=_("partner organisations"),
    )
    partnerships = models.ManyToManyField(
        "directory.Partnership",
        blank=True,
        related_name="campaigns",
        # The table the link had when the directory held it: moving it kept every row.
        db_table="directory_partnership_campaigns",
        verbose_name=_("partnerships"),
        help_text=_("The partnerships that serve this campaign or project."),
    )
    is_published = models.BooleanField(_("is published"), default=False)
    published_summary = models.TextField(
        _("published summary"),
        blank=True,
        help_text=_("Shown on the public campaign page when the campaign is published."),
    )

    class Meta:
        ordering = ["programme__name", "kind", "name"]
        verbose_name = _("campaign or project")
        verbose_name_plural = _("campaigns and projects")

    def __str__(self) -> str:
        return self.translated("name")


class Theme(Translatable):
    """One entry of a campaign's theme taxonomy (e.g. the five rights)."""

    TRANSLATED_FIELDS = ("name", "description")

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
        return f"{self.number}. {self.translated('name')}"


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
    co_organisers = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="co_organised_activities",
        verbose_name=_("co-organisers"),
    )
    fo_disability = models.PositiveIntegerField(_("with a disability"), default=0)
    fo_health = models.PositiveIntegerField(_("with health problems"), default=0)
    fo_education = models.PositiveIntegerField(
        _("facing education and training barriers"), default=0
    )
    fo_cultural = models.PositiveIntegerField(_("facing cultural differences"), default=0)
    fo_social = models.PositiveIntegerField(_("facing social barriers"), default=0)
    fo_economic = models.PositiveIntegerField(_("facing economic barriers"), default=0)
    fo_discrimination = models.PositiveIntegerField(_("facing discrimination"), default=0)
    fo_geographical = models.PositiveIntegerField(_("facing geographical barriers"), default=0)
    fewer_opportunities_total = models.PositiveIntegerField(
        _("participants with fewer opportunities"),
        default=0,
        help_text=_(
            "People counted once even when they face several barriers; at least the largest "
            "category count."
        ),
    )

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
        largest = max(getattr(self, name) or 0 for name in FEWER_OPPORTUNITY_FIELDS)
        if (self.fewer_opportunities_total or 0) < largest:
            raise ValidationError(
                {
                    "fewer_opportunities_total": _(
                        "The number of participants with fewer opportunities cannot be smaller "
                        "than the largest category count (%(count)s)."
                    )
                    % {"count": largest}
                }
            )
        if (self.fewer_opportunities_total or 0) > self.participants_total:
            raise ValidationError(
                {
                    "fewer_opportunities_total": _(
                        "More participants with fewer opportunities than participants."
                    )
                }
            )

    @property
    def participants_total(self) -> int:
        """Volunteers (international and local) and local participants."""
        return (
            (self.international_volunteers or 0)
            + (self.local_volunteers or 0)
            + (self.local_participants or 0)
        )


#: the European fewer-opportunity categories, as (field, label)
FEWER_OPPORTUNITY_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("fo_disability", "disability"),
    ("fo_health", "health"),
    ("fo_education", "education"),
    ("fo_cultural", "cultural"),
    ("fo_social", "social"),
    ("fo_economic", "economic"),
    ("fo_discrimination", "discrimination"),
    ("fo_geographical", "geographical"),
)
FEWER_OPPORTUNITY_FIELDS: tuple[str, ...] = tuple(
    name for name, _key in FEWER_OPPORTUNITY_CATEGORIES
)


class CoOrganiserRequest(TimeStampedModel):
    """An organisation named as an activity's co-organiser by someone who may not act for it.

    Until one of its coordinators (or network staff) accepts, it is not a co-organiser: it is
    not in ``Activity.co_organisers`` and sees nothing of the activity through it. Accepting
    moves it there and deletes the request; declining deletes the request.
    """

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="co_organiser_requests",
        verbose_name=_("activity"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="co_organiser_requests",
        verbose_name=_("organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("co-organiser request")
        verbose_name_plural = _("co-organiser requests")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation"], name="campaigns_co_organiser_request_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.activity}"


class InclusionTarget(TimeStampedModel):
    """A project's target share of participants with fewer opportunities for one year."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="inclusion_targets",
        verbose_name=_("campaign or project"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    share_fewer_opportunities = models.DecimalField(
        _("target share with fewer opportunities (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["campaign_id", "year"]
        verbose_name = _("inclusion target")
        verbose_name_plural = _("inclusion targets")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "year"], name="campaigns_inclusion_year")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.year}: {self.share_fewer_opportunities} %"


class OutputIndicator(models.TextChoices):
    """Output indicators computed from activity records (see ``campaigns.outputs``)."""

    ACTIVITIES = "activities", _("Activities")
    VOLUNTEERS = "volunteers", _("Volunteers (international and local)")
    LOCAL_PARTICIPANTS = "local_participants", _("Local participants")
    HOSTING_COUNTRIES = "hosting_countries", _("Hosting countries")
    ACTIVE_ORGANISATIONS = "active_organisations", _("Active organisations")
    NEW_PARTNERS = "new_partners", _("New partner organisations")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours")
    FEWER_OPPORTUNITIES_SHARE = "fewer_opportunities_share", _("% with fewer opportunities")
    EDUCATION_SESSIONS = "education_sessions", _("Education sessions")


class Plan(Translatable, TimeStampedModel):
    """A campaign strategy for a period of years (e.g. 2027-2028)."""

    TRANSLATED_FIELDS = ("title",)

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="plans", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    is_published = models.BooleanField(_("is published"), default=False)

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("strategy plan")
        verbose_name_plural = _("strategy plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="campaigns_plan_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.translated('title')} ({self.start_year}-{self.end_year})"

    def clean(self) -> None:
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year is before the first year.")})


class Reflection(Translatable, TimeStampedModel):
    TRANSLATED_FIELDS = ("text",)

    class Kind(models.TextChoices):
        EXPERIENCE = "experience", _("Previous experience")
        CHALLENGES = "challenges", _("Current challenges")
        FUTURE = "future", _("Future plans")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    source_reference = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("A meeting decision or a consultation result this reflection draws on."),
    )

    class Meta:
        ordering = ["plan_id", "kind", "id"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return self.translated("text")[:60]


class Goal(Translatable, TimeStampedModel):
    TRANSLATED_FIELDS = ("title", "description")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan_id", "number"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="campaigns_goal_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.translated('title')}"


class Objective(Translatable, TimeStampedModel):
    TRANSLATED_FIELDS = ("title",)

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("goal")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["goal_id", "number"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="campaigns_objective_number")
        ]

    def __str__(self) -> str:
        return self.translated("title")


NOTE_MAX_LENGTH = 2000


class Action(Translatable, TimeStampedModel):
    TRANSLATED_FIELDS = ("title",)

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=300)
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategy_actions",
        verbose_name=_("owner organisation"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategy_actions",
        verbose_name=_("owner"),
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    indicator = models.CharField(
        _("linked output indicator"),
        max_length=40,
        choices=OutputIndicator.choices,
        blank=True,
    )
    target = models.DecimalField(
        _("target for the period"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["objective_id", "due_date", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("start_date")),
                name="campaigns_action_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="campaigns_action_progress_max"
            ),
        ]

    def __str__(self) -> str:
        return self.translated("title")

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        dates_given = isinstance(self.start_date, date) and isinstance(self.due_date, date)
        if dates_given and self.due_date < self.start_date:
            errors["due_date"] = _("The due date is before the start date.")
        if self.target is not None and not self.indicator:
            errors["target"] = _("Choose the output indicator this target is for.")
        if self.status == self.Status.DONE and self.progress != 100:
            errors["progress"] = _("A done action has 100 % progress.")
        if errors:
            raise ValidationError(errors)


class ActionProgressEntry(models.Model):
    """One saved progress of an action: what it was then, who said so, and their note. The
    action keeps the latest figures; these rows are its history."""

    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        related_name="progress_entries",
        verbose_name=_("action"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Action.Status.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self) -> str:
        return f"{self.action_id}: {self.progress} % ({self.status})"
