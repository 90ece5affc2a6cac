"""Network meetings: agenda sessions, participants, minutes with their revisions, decisions
that feed the strategy, action items and their reminders, personal calendar feeds."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import SentOnce, StoredDocument, TimeStampedModel


def validate_time_zone(value: str) -> None:
    """An IANA time zone name (``Europe/Paris``)."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("Give an IANA time zone, for example Europe/Paris."), code="time_zone"
        ) from None


class Meeting(TimeStampedModel):
    class Type(models.TextChoices):
        COORDINATORS = "coordinators", _("Network coordinators meeting")
        GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
        STEERING = "steering", _("Steering team")
        PARTNERSHIP = "partnership", _("Partnership meeting")
        STAKEHOLDER = "stakeholder", _("Stakeholder meeting")
        WORKSHOP = "workshop", _("Workshop")

    title = models.CharField(_("title"), max_length=200)
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        help_text=_('Used to number decisions, for example "Paris 2026".'),
    )
    meeting_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_time_zone],
        help_text=_("IANA name, for example Europe/Paris."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    host_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
        verbose_name=_("host organisation"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("campaign or project"),
    )
    stakeholders = models.ManyToManyField(
        "directory.Stakeholder",
        blank=True,
        related_name="meetings",
        verbose_name=_("stakeholders"),
    )
    previous_meeting = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_meetings",
        verbose_name=_("previous meeting"),
        help_text=_("Its open action items are shown on this meeting's agenda."),
    )

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="meetings_meeting_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            isinstance(self.start_date, date)
            and isinstance(self.end_date, date)
            and self.end_date < self.start_date
        ):
            raise ValidationError({"end_date": _("The last day is before the first day.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Participant(TimeStampedModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        NOTE_TAKER = "note_taker", _("Note-taker")
        PARTICIPANT = "participant", _("Participant")
        GUEST = "guest", _("Guest")

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Not recorded")
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Present online")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    class Rsvp(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        TENTATIVE = "tentative", _("Maybe")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_participations",
        verbose_name=_("person with an account"),
    )
    name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("For a person without an account.")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_participations",
        verbose_name=_("organisation represented"),
    )
    represents = models.CharField(
        _("other body represented"),
        max_length=200,
        blank=True,
        help_text=_("A stakeholder or partner outside the network."),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    rsvp = models.CharField(_("answer"), max_length=20, choices=Rsvp.choices, default=Rsvp.PENDING)
    invited_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting_id", "role", "name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="meetings_participant_once",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="meetings_participant_named",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id is not None and self.user is not None:
            return self.user.get_full_name() or self.user.email
        return self.name

    def clean(self) -> None:
        if self.user_id is None and not self.name.strip():
            raise ValidationError({"name": _("Choose a person with an account or give a name.")})


class Session(TimeStampedModel):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        WORKSHOP = "workshop", _("Workshop")
        PARTNERSHIP = "partnership", _("Partnership meeting")
        STAKEHOLDER = "stakeholder", _("Stakeholder meeting")
        SOCIAL = "social", _("Social")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("meeting")
    )
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    description = models.TextField(_("description"), blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=150, blank=True)
    plan = models.ForeignKey(
        "campaigns.Plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_sessions",
        verbose_name=_("strategy plan worked on"),
    )
    framework = models.ForeignKey(
        "impact.Framework",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_sessions",
        verbose_name=_("indicator framework worked on"),
    )
    consultation = models.ForeignKey(
        "consultations.Consultation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_sessions",
        verbose_name=_("consultation discussed"),
    )

    class Meta:
        ordering = ["meeting_id", "day", "start_time", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="meetings_session_times_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            isinstance(self.start_time, time)
            and isinstance(self.end_time, time)
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = _("The session ends before it starts.")
        meeting = self.meeting if self.meeting_id else None
        if (
            meeting is not None
            and isinstance(self.day, date)
            and not meeting.start_date <= self.day <= meeting.end_date
        ):
            errors["day"] = _("The day is outside the meeting's days (%(start)s to %(end)s).") % {
                "start": meeting.start_date.isoformat(),
                "end": meeting.end_date.isoformat(),
            }
        if errors:
            raise ValidationError(errors)

    def starts_at(self) -> datetime:
        """The start as an aware datetime in the meeting's time zone."""
        return datetime.combine(self.day, self.start_time, tzinfo=self.meeting.zone)

    def ends_at(self) -> datetime:
        return datetime.combine(self.day, self.end_time, tzinfo=self.meeting.zone)


class MinutesRevision(models.Model):
    """One version of a session's minutes. A draft is edited in place by the note-taker; once
    the chair approves it, it never changes again: a correction is a new revision."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("session")
    )
    number = models.PositiveIntegerField(_("revision"))
    body = models.TextField(_("minutes (Markdown)"))
    reason = models.CharField(_("reason for the revision"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["session_id", "number"]
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="meetings_minutes_number"),
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(state="draft"),
                name="meetings_minutes_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} r{self.number}"


class Decision(TimeStampedModel):
    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    class Effect(models.TextChoices):
        NONE = "", _("No link")
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    session = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("session"),
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("decision"))
    proposed_by = models.CharField(_("proposed by"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.ADOPTED
    )
    strategy_effect = models.CharField(
        _("effect on the strategy"), max_length=20, choices=Effect.choices, blank=True
    )
    reflection = models.ForeignKey(
        "campaigns.Reflection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decisions",
        verbose_name=_("reflection"),
    )
    goal = models.ForeignKey(
        "campaigns.Goal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decisions",
        verbose_name=_("goal"),
    )
    objective = models.ForeignKey(
        "campaigns.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decisions",
        verbose_name=_("objective"),
    )
    action = models.ForeignKey(
        "campaigns.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decisions",
        verbose_name=_("strategy action"),
    )

    class Meta:
        ordering = ["meeting_id", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="meetings_decision_number")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """``Paris 2026 / D3``."""
        return f"{self.meeting.short_name} / D{self.number}"

    def strategy_item(self) -> models.Model | None:
        return self.action or self.objective or self.goal or self.reflection


class ActionItem(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("decision"),
    )
    title = models.CharField(_("what is to be done"), max_length=300)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_action_items",
        verbose_name=_("owner"),
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_action_items",
        verbose_name=_("owner organisation"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    strategy_action = models.ForeignKey(
        "campaigns.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_action_items",
        verbose_name=_("strategy action"),
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date < today


class SessionDocument(StoredDocument):
    """A document of a session (slides, a background paper, a sheet). Checked and kept
    through ``core.uploads``; the bytes live in the database, so the only way out is the
    access-checked download."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="documents", verbose_name=_("session")
    )

    class Meta:
        ordering = ["session_id", "created_at", "id"]
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")


class ClaimedStep(SentOnce):
    """A reminder step sent once (the unique row of the subclass is what makes a step send
    once); see ``core.once``."""

    step = models.CharField(_("step"), max_length=20)

    class Meta:
        abstract = True


class ReminderSent(ClaimedStep):
    """One reminder step of an action item (``before-7``, ``after-1``), sent once through
    ``core.once.send_once``."""

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("item")
    )

    class Meta:
        ordering = ["item_id", "claimed_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["item", "step"], name="meetings_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.step}"


class RsvpReminderSent(ClaimedStep):
    """One RSVP reminder step (``rsvp-3``) of an invited participant who has not answered,
    claimed and marked sent as :class:`ReminderSent` is."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="rsvp_reminders",
        verbose_name=_("participant"),
    )

    class Meta:
        ordering = ["participant_id", "claimed_at"]
        verbose_name = _("RSVP reminder sent")
        verbose_name_plural = _("RSVP reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "step"], name="meetings_rsvp_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.step}"


class CalendarFeedToken(models.Model):
    """A secret address of a person's calendar feed; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
        verbose_name=_("person"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class StakeholderEngagement(models.Model):
    """The engagement-log entry a stakeholder meeting wrote in the directory."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="engagement_links",
        verbose_name=_("meeting"),
    )
    engagement = models.OneToOneField(
        "directory.Engagement",
        on_delete=models.CASCADE,
        related_name="meeting_link",
        verbose_name=_("engagement"),
    )

    class Meta:
        verbose_name = _("stakeholder engagement of a meeting")
        verbose_name_plural = _("stakeholder engagements of meetings")

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.engagement_id}"
