"""Networks and member organisations (the tenants of Peaceworks), the stakeholders the
network works with, partnerships, the engagement log and its follow-ups, and pending imports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import StoredDocument, TimeStampedModel
from peaceworks.directory import geography


class Network(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.acronym or self.name


def validate_country(value: str) -> None:
    if geography.country(value) is None:
        raise ValidationError(
            _("%(code)s is not an ISO 3166 country code."), params={"code": value}
        )


class Organisation(TimeStampedModel):
    """A member organisation (or the network's secretariat, ``is_secretariat``).

    Its UN region and sub-region are derived from ``country`` (``geography``), never stored:
    a region filter is a filter on the countries of that region.
    """

    class RoleChoice(models.TextChoices):
        SENDING = "sending", _("Sending")
        HOSTING = "hosting", _("Hosting")
        COORDINATING = "coordinating", _("Coordinating")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("A short unique code used in imports.")
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        help_text=_("ISO 3166 alpha-2 code."),
        validators=[validate_country],
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_secretariat = models.BooleanField(_("is the network secretariat"), default=False)
    is_sending = models.BooleanField(_("sends volunteers"), default=False)
    is_hosting = models.BooleanField(_("hosts volunteers"), default=False)
    is_coordinating = models.BooleanField(_("coordinates a network or programme"), default=False)
    networks: models.ManyToManyField[Network, Affiliation] = models.ManyToManyField(
        Network, through="Affiliation", related_name="organisations", verbose_name=_("networks")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return geography.country_name(self.country)

    @property
    def region_name(self) -> str:
        found = geography.country(self.country)
        return geography.region_name(found.region) if found else ""

    @property
    def subregion_name(self) -> str:
        found = geography.country(self.country)
        return geography.subregion_name(found.subregion) if found else ""

    @property
    def role_labels(self) -> list[str]:
        flags = [
            (self.is_sending, self.RoleChoice.SENDING),
            (self.is_hosting, self.RoleChoice.HOSTING),
            (self.is_coordinating, self.RoleChoice.COORDINATING),
        ]
        return [str(role.label) for is_set, role in flags if is_set]


class Affiliation(TimeStampedModel):
    class MembershipType(models.TextChoices):
        FULL = "full", _("Full member")
        CANDIDATE = "candidate", _("Candidate")
        AFFILIATED = "affiliated", _("Affiliated")
        PARTNER = "partner", _("Partner")
        SUPPORTER = "supporter", _("Supporter")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("network")
    )
    membership_type = models.CharField(
        _("membership type"),
        max_length=20,
        choices=MembershipType.choices,
        default=MembershipType.FULL,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)

    class Meta:
        ordering = ["network__name", "organisation__name"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network"], name="directory_affiliation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.network}"


class AffiliationStatusChange(models.Model):
    """One dated entry of an affiliation's history (membership type and status from a date)."""

    affiliation = models.ForeignKey(
        Affiliation,
        on_delete=models.CASCADE,
        related_name="history",
        verbose_name=_("affiliation"),
    )
    membership_type = models.CharField(
        _("membership type"), max_length=20, choices=Affiliation.MembershipType.choices
    )
    status = models.CharField(_("status"), max_length=20, choices=Affiliation.Status.choices)
    valid_from = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["affiliation_id", "-valid_from", "-recorded_at"]
        verbose_name = _("affiliation status change")
        verbose_name_plural = _("affiliation status changes")

    def __str__(self) -> str:
        return f"{self.affiliation} · {self.status} · {self.valid_from}"


class Stakeholder(TimeStampedModel):
    """Someone outside the network it works with: a UN agency, a funder, a city..."""

    class Type(models.TextChoices):
        UN_AGENCY = "un_agency", _("UN agency")
        FUNDER = "funder", _("Funder")
        PUBLIC_AUTHORITY = "public_authority", _("Public authority")
        UNIVERSITY = "university", _("University or research")
        CSO = "cso", _("Civil-society organisation")
        SISTER_NETWORK = "sister_network", _("Sister network")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    stakeholder_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country]
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return geography.country_name(self.country)


class StakeholderContact(TimeStampedModel):
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("stakeholder"),
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Partnership(TimeStampedModel):
    """An agreement between the network (or members) and organisations or stakeholders."""

    class Purpose(models.TextChoices):
        FUNDER = "funder", _("Funder")
        HOST = "host", _("Host")
        CO_ORGANISER = "co_organiser", _("Co-organiser")
        ADVOCACY_TARGET = "advocacy_target", _("Advocacy target")
        RESEARCH_PARTNER = "research_partner", _("Research partner")

    class Status(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        NEGOTIATING = "negotiating", _("Negotiating")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    title = models.CharField(_("title"), max_length=200)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.EXPLORING
    )
    signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partnerships", verbose_name=_("organisations")
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, blank=True, related_name="partnerships", verbose_name=_("stakeholders")
    )
    # ``campaigns`` (the campaigns or projects a partnership serves) is the reverse of
    # ``campaigns.Campaign.partnerships``: the link lives on the campaigns side, after the
    # directory in the app order.

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="directory_partnership_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class PartnershipDocument(StoredDocument):
    """A signed agreement or annex. The bytes live in the database so that no public media
    URL can ever serve them: the only way out is the access-checked download view."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("partnership"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partnership document")
        verbose_name_plural = _("partnership documents")


class Engagement(TimeStampedModel):
    """One meeting, call or exchange with a stakeholder or partner, and what came of it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        EMAIL = "email", _("E-mail exchange")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=200)
    people = models.TextField(_("people"), blank=True, help_text=_("Who took part."))
    summary = models.TextField(_("summary"), blank=True)
    advice_received = models.TextField(_("advice received"), blank=True)
    commitments = models.TextField(_("commitments made"), blank=True)
    stakeholder = models.ForeignKey(
        Stakeholder,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="engagements",
        verbose_name=_("stakeholder"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="engagements",
        verbose_name=_("organisation"),
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
        verbose_name=_("partnership"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stakeholder__isnull=False)
                | models.Q(organisation__isnull=False)
                | models.Q(partnership__isnull=False),
                name="directory_engagement_has_a_party",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not (self.stakeholder_id or self.organisation_id or self.partnership_id):
            raise ValidationError(
                _("An engagement is with a stakeholder, an organisation or a partnership.")
            )


class FollowUp(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("engagement"),
    )
    description = models.CharField(_("what is to be done"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="directory_follow_ups",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["status", "due_date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class WebhookEvent(models.TextChoices):
    """What an organisation can be told about, as it happens."""

    RESPONSE_RECEIVED = "response.received", _("A survey response was received")
    IMPORT_FINISHED = "import.finished", _("An import finished")
    REPORT_PUBLISHED = "report.published", _("A report was published")
    ACTION_ITEM_DUE = "action_item.due", _("An action item is due")
    CONSULTATION_PHASE_CHANGED = "consultation.phase_changed", _("A consultation changed phase")


class WebhookSubscription(TimeStampedModel):
    """An organisation's HTTPS endpoint told of chosen events, each delivery signed with
    ``secret`` (HMAC-SHA256, see docs/api.md). The URL's host must resolve to public
    addresses only, when saved and again at every delivery."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation__name", "url"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(TimeStampedModel):
    """One event to send to one subscription, retried with exponential backoff until it is
    answered 2xx or runs out of attempts (then ``failed``, and it can be replayed)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    event_id = models.UUIDField(_("event id"))
    payload = models.JSONField(_("payload"), default=dict)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"


class WebhookAttempt(models.Model):
    """One try at a delivery: when, to which address, the answer's status or the error."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    address = models.CharField(_("address"), max_length=64, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery} @ {self.at:%Y-%m-%d %H:%M:%S}"
