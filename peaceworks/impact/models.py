"""Indicator frameworks, versioned survey instruments, rounds, respondents and responses.

Texts that respondents read are stored per language in JSON maps (``{"en": ..., "fr": ...}``)
so that an instrument version carries its own wording forever; the analytics engine reads
answers by stable question ``code``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import SentOnce, TimeStampedModel
from peaceworks.impact.typed_answers import profile_of, scores_of

#: languages every shipped text exists in; an instrument may add more
SURVEY_LANGUAGES = ("en", "fr", "es")
#: languages written right to left (the respondent pages set ``dir="rtl"`` for them)
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def pick_text(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in ``language`` (or the active one), falling back to English, then any."""
    if not texts:
        return ""
    language = (language or get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


class Framework(TimeStampedModel):
    """The indicator framework of one campaign: outcomes per theme and their indicators."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="impact_framework",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=40, blank=True, help_text=_("The shipped framework it came from.")
    )

    class Meta:
        ordering = ["campaign__name"]
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")

    def __str__(self) -> str:
        return self.name


class Outcome(models.Model):
    """An intended change, under a theme or under an always-asked block."""

    class Block(models.TextChoices):
        THEME = "theme", _("Theme")
        COMPETENCE = "competence", _("Competences")
        INCLUSION = "inclusion", _("Inclusion")
        OUTPUTS = "outputs", _("Outputs")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("framework")
    )
    block = models.CharField(_("block"), max_length=20, choices=Block.choices)
    theme = models.ForeignKey(
        "campaigns.Theme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="impact_outcomes",
        verbose_name=_("theme"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.JSONField(_("name"), default=dict)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework_id", "order", "code"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="impact_outcome_code")
        ]

    def __str__(self) -> str:
        return pick_text(self.name) or self.code


class Indicator(models.Model):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    class Aggregation(models.TextChoices):
        MEAN_CHANGE = "mean_change", _("Mean change")
        # xgettext:no-python-format
        PERCENT_IMPROVED = "pct_improved", _("% improved")
        TOP2_BOX = "top2_box", _("Top-2-box %")
        COUNT = "count", _("Count")
        SUM = "sum", _("Sum")
        RATIO = "ratio", _("Ratio of aggregates")
        MEAN = "mean", _("Mean")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("framework")
    )
    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("outcome"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.JSONField(_("name"), default=dict)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    aggregation = models.CharField(_("aggregation"), max_length=20, choices=Aggregation.choices)
    #: question codes the indicator is computed from (several = a multi-item scale)
    source_questions = models.JSONField(_("source questions"), default=list, blank=True)
    #: for output indicators: the key of the record-based figure (see ``outputs.OUTPUT_KEYS``)
    output_key = models.CharField(_("output key"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework_id", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="impact_indicator_code")
        ]

    def __str__(self) -> str:
        return pick_text(self.name) or self.code


class Target(models.Model):
    """The value an indicator should reach in a period (a year, or a milestone label)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    period = models.CharField(_("period"), max_length=20)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)

    class Meta:
        ordering = ["indicator_id", "period"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="impact_target_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class Instrument(TimeStampedModel):
    """One version of a questionnaire. A published version never changes again."""

    class Role(models.TextChoices):
        V_PRE = "v_pre", _("Volunteer, before (V-PRE)")
        V_POST = "v_post", _("Volunteer, after (V-POST, with V-THEN)")
        V_FU = "v_fu", _("Volunteer follow-up (V-FU)")
        P_POST = "p_post", _("Partner or host community (P-POST)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="instruments", verbose_name=_("framework")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = models.JSONField(_("title"), default=dict)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    consent_version = models.CharField(_("consent version"), max_length=20, default="1")
    consent_text = models.JSONField(_("consent text"), default=dict)
    sensitive_consent_text = models.JSONField(_("consent text for sensitive items"), default=dict)
    languages = models.JSONField(_("languages"), default=list)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["framework_id", "role", "-version"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "role", "version"], name="impact_instrument_version"
            )
        ]

    def __str__(self) -> str:
        return f"{pick_text(self.title) or self.get_role_display()} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Question(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement 1-5 with “don't know”")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Short text")
        DATE = "date", _("Date")
        TIME = "time", _("Time")
        DATETIME = "datetime", _("Date and time")
        #: an XLSForm question of a type Peaceworks stores but does not analyse (media, geo,
        #: barcode, calculate, hidden, acknowledge, note, start/end...): its type is in ``xlsform``
        RECORDED = "recorded", _("Recorded, not analysed")

    class Block(models.TextChoices):
        THEME = "theme", _("Theme module")
        COMPETENCE = "competence", _("Competences")
        INCLUSION = "inclusion", _("Inclusion")
        PARTNER = "partner", _("Partner")
        DEMOGRAPHICS = "demographics", _("About you")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="questions", verbose_name=_("instrument")
    )
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveIntegerField(_("order"), default=0)
    block = models.CharField(_("block"), max_length=20, choices=Block.choices)
    #: the theme module the question belongs to; empty = asked whatever the themes
    theme = models.ForeignKey(
        "campaigns.Theme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="impact_questions",
        verbose_name=_("theme"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.JSONField(_("text"), default=dict)
    hint = models.JSONField(_("hint"), default=dict, blank=True)
    #: ``[{"value": "woman", "label": {"en": ..., "fr": ...}}, ...]``
    choices = models.JSONField(_("choices"), default=list, blank=True)
    #: the construct (multi-item scale) the item belongs to
    scale = models.SlugField(_("scale"), max_length=60, blank=True)
    is_sensitive = models.BooleanField(_("needs its own consent"), default=False)
    #: asked again in the retrospective ("think back to before") block of a post survey
    in_retrospective = models.BooleanField(_("in the retrospective block"), default=False)
    #: skip logic: ask only when another answer matches ``{"question": code, "value": value}``
    relevant = models.JSONField(_("asked only when"), default=dict, blank=True)
    #: answers to this question go to the harm review queue when ``harm_value`` is chosen
    is_harm_report = models.BooleanField(_("reports harm"), default=False)
    min_value = models.IntegerField(_("minimum"), null=True, blank=True)
    max_value = models.IntegerField(_("maximum"), null=True, blank=True)
    #: the question as its XLSForm wrote it, so the export gives it back exactly:
    #: ``{"type": base type, "row": survey row, "choices": rows of its list,
    #: "groups": begin rows of the groups and repeats it is in, outermost first}``
    xlsform = models.JSONField(_("XLSForm source"), default=dict, blank=True)

    class Meta:
        ordering = ["instrument_id", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="impact_question_code")
        ]

    def __str__(self) -> str:
        return self.code

    def choice_values(self) -> list[str]:
        return [str(choice["value"]) for choice in self.choices]


class Round(TimeStampedModel):
    """An instrument version opened for one activity, reachable through a public link."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre survey")
        POST = "post", _("Post survey")
        FOLLOW_UP = "follow_up", _("Follow-up survey")
        PARTNER = "partner", _("Partner form")

    activity = models.ForeignKey(
        "campaigns.Activity",
        on_delete=models.CASCADE,
        related_name="survey_rounds",
        verbose_name=_("activity"),
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("instrument")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    token = models.CharField(_("public token"), max_length=40, unique=True)
    uses_retrospective = models.BooleanField(_("asks the retrospective block"), default=False)
    #: question codes the organiser switched off (where law or safety requires it)
    omitted_questions = models.JSONField(_("questions left out"), default=list, blank=True)

    class Meta:
        ordering = ["activity_id", "opens_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["activity", "kind"], name="impact_round_kind"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="impact_round_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} - {self.get_kind_display()}"

    #: in ``omitted_questions``: ask no sensitive item or choice at all (no special-category data)
    NO_SENSITIVE_ITEMS = "sensitive_items"

    @property
    def asks_sensitive_items(self) -> bool:
        return self.NO_SENSITIVE_ITEMS not in (self.omitted_questions or [])

    def is_open(self, at: Any = None) -> bool:
        at = at or timezone.now()
        return bool(self.opens_at <= at <= self.closes_at)


class RespondentQuerySet(models.QuerySet["Respondent"]):
    def active(self) -> RespondentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Respondent(models.Model):
    """A pseudonymous person within one activity: only a keyed hash of their matching code."""

    activity = models.ForeignKey(
        "campaigns.Activity",
        on_delete=models.CASCADE,
        related_name="respondents",
        verbose_name=_("activity"),
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = RespondentQuerySet.as_manager()

    class Meta:
        ordering = ["activity_id", "id"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(fields=["activity", "code_hash"], name="impact_respondent_code")
        ]

    def __str__(self) -> str:
        return f"R{self.pk}"


class ResponseQuerySet(models.QuerySet["Response"]):
    def counted(self) -> ResponseQuerySet:
        """Responses that enter figures: not from withdrawn respondents."""
        return self.exclude(respondent__withdrawn_at__isnull=False)


class ScoresField(models.BinaryField):  # type: ignore[type-arg]  # a bytes column
    """``typed_answers.scores_of`` the response's answers, derived on every save (``pre_save``,
    which ``bulk_create`` and ``submission_rows`` call too): never written by hand."""

    def pre_save(self, model_instance: models.Model, add: bool) -> bytes:
        value = scores_of(model_instance.answers, model_instance.then_answers)  # type: ignore[attr-defined]  # a Response
        setattr(model_instance, self.attname, value)
        return value


class ProfileField(models.TextField):  # type: ignore[type-arg]  # a str column
    """``typed_answers.profile_of`` the response's answers, derived like ``ScoresField``."""

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = profile_of(model_instance.answers)  # type: ignore[attr-defined]  # a Response
        setattr(model_instance, self.attname, value)
        return value


class Response(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        API = "api", _("API")
        IMPORT = "import", _("File import")
        KOBO = "kobo", _("KoboToolbox/ODK export")
        ODK = "odk", _("ODK Collect / KoboCollect")
        DEMO = "demo", _("Demo data")

    class HarmStatus(models.TextChoices):
        NONE = "", _("Not flagged")
        PENDING = "pending", _("Waiting for review")
        REVIEWED = "reviewed", _("Reviewed")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="responses", verbose_name=_("round")
    )
    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("respondent"),
    )
    submission_id = models.UUIDField(_("submission id"), unique=True, default=uuid.uuid4)
    instrument_version = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="responses", verbose_name=_("instrument")
    )
    language = models.CharField(_("language"), max_length=8)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    then_answers = models.JSONField(_("retrospective answers"), default=dict, blank=True)
    #: what a full refresh reads of the answers, in typed form (``typed_answers``; derived on
    #: save, null for a row no write path derived: the refresh then reads its JSON)
    scores = ScoresField(_("scores"), null=True, editable=False)
    profile = ProfileField(_("demographic answers"), null=True, editable=False)
    payload_hash = models.CharField(_("payload hash"), max_length=64)
    consent_version = models.CharField(_("consent version"), max_length=20)
    sensitive_consent = models.BooleanField(_("consented to sensitive items"), default=False)
    #: the respondent agreed that their written answers may be quoted, without name or code
    quote_consent = models.BooleanField(_("consented to being quoted"), default=False)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WEB
    )
    harm_status = models.CharField(
        _("harm review"), max_length=10, choices=HarmStatus.choices, blank=True, default=""
    )
    harm_reviewed_at = models.DateTimeField(_("harm reviewed at"), null=True, blank=True)
    harm_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("harm reviewed by"),
    )
    harm_note = models.TextField(_("review note"), blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "submitted_at", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "respondent"])]

    def __str__(self) -> str:
        return str(self.submission_id)


class QuotableAnswer(models.Model):
    """A free-text answer a coordinator marked as quotable in reports (only with the
    respondent's consent to being quoted: ``services.answer_quotable_set``)."""

    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="quotable_answers",
        verbose_name=_("response"),
    )
    question_code = models.SlugField(_("question"), max_length=60)
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        ordering = ["marked_at", "id"]
        verbose_name = _("quotable answer")
        verbose_name_plural = _("quotable answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_code"], name="impact_quotable_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_code}"


class AnalyticsSnapshot(models.Model):
    """The derived analysis table of one campaign: the engine's frame (``.npz``), the watermark
    of what it has seen, and the refresh status a coordinator watches. Rebuildable at any time."""

    class Status(models.TextChoices):
        IDLE = "idle", _("Up to date")
        QUEUED = "queued", _("Refresh queued")
        RUNNING = "running", _("Refreshing")
        FAILED = "failed", _("Refresh failed")

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="analytics_snapshot",
        verbose_name=_("campaign"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IDLE
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    last_response_id = models.BigIntegerField(_("last response counted"), default=0)
    respondents = models.PositiveIntegerField(_("respondents counted"), default=0)
    folds = models.PositiveIntegerField(
        _("incremental updates since the last full refresh"), default=0
    )
    frame = models.BinaryField(_("analysis frame"), default=bytes)
    # what the first request needs (figures/prepared.py), written in the same save as ``frame``
    prepared = models.BinaryField(_("prepared figures"), default=bytes)
    message = models.CharField(_("message"), max_length=300, blank=True)
    # Set when a coordinator's full refresh is queued, cleared when its task starts: one queued
    # refresh per campaign at a time, whatever the task backend.
    full_refresh_queued_at = models.DateTimeField(
        _("full refresh queued at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("analytics snapshot")
        verbose_name_plural = _("analytics snapshots")

    def __str__(self) -> str:
        return f"snapshot {self.campaign_id}"


class SnapshotValue(models.Model):
    """One headline figure per outcome indicator of a snapshot (the campaign total, coordinator
    floor applied), kept as rows so lists and the API's index can read them without the frame."""

    snapshot = models.ForeignKey(
        AnalyticsSnapshot,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("snapshot"),
    )
    indicator = models.CharField(_("indicator"), max_length=60)
    suppressed = models.BooleanField(_("suppressed"), default=False)
    n = models.PositiveIntegerField(_("pairs"), null=True, blank=True)
    mean_change = models.FloatField(_("mean change"), null=True, blank=True)
    ci_low = models.FloatField(_("95 % CI low"), null=True, blank=True)
    ci_high = models.FloatField(_("95 % CI high"), null=True, blank=True)
    # xgettext:no-python-format
    pct_improved = models.FloatField(_("% improved"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("snapshot value")
        verbose_name_plural = _("snapshot values")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "indicator"], name="impact_snapshot_value")
        ]

    def __str__(self) -> str:
        return self.indicator


class CollectionToken(models.Model):
    """A round opened for app collection (ODK Collect, KoboCollect) through a revocable token.

    The token itself is never stored: it is derived from ``salt`` and the server's secret
    key (so the round's coordinators can see it again), and looked up by its SHA-256
    ``token_hash``. At most one token of a round is active (not revoked).
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="collection_tokens", verbose_name=_("round")
    )
    salt = models.CharField(_("salt"), max_length=64)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["round_id", "-created_at"]
        verbose_name = _("collection token")
        verbose_name_plural = _("collection tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(revoked_at__isnull=True),
                name="impact_collection_token_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} ({'revoked' if self.revoked_at else 'active'})"


class ResponseAttachment(models.Model):
    """A file sent with an app submission (a photo, a recording, a signature) that one of its
    answers names, kept in the database with the response (deleted with it, and when the
    respondent withdraws). Downloaded only by those who may read the round's raw answers;
    never in the pseudonymised export."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("response")
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["response_id", "name"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "name"], name="impact_attachment_one_per_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FollowUpContact(models.Model):
    """An e-mail address a respondent gave, with explicit consent, to be reminded once of the
    activity's next survey. Kept apart from the answers (no response refers to it); deleted on
    withdrawal and once no round of the activity is still to come (``impact.retention``)."""

    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.CASCADE,
        related_name="follow_up_contacts",
        verbose_name=_("respondent"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="follow_up_contacts",
        verbose_name=_("round where it was given"),
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8)
    consent_text = models.TextField(_("consent wording agreed to"))
    consented_at = models.DateTimeField(_("consented at"), default=timezone.now)

    class Meta:
        ordering = ["round_id", "id"]
        verbose_name = _("follow-up contact")
        verbose_name_plural = _("follow-up contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "round"], name="impact_follow_up_contact_once"
            )
        ]

    def __str__(self) -> str:
        return f"contact of R{self.respondent_id}"


class FollowUpReminder(SentOnce):
    """A reminder of ``round`` to one respondent, sent once through ``core.once.send_once``:
    the unique row is what makes a person get one reminder per round, whatever the worker
    does."""

    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.CASCADE,
        related_name="follow_up_reminders",
        verbose_name=_("respondent"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="follow_up_reminders",
        verbose_name=_("round reminded of"),
    )

    class Meta:
        ordering = ["round_id", "claimed_at"]
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "round"], name="impact_follow_up_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"R{self.respondent_id} reminded of round {self.round_id}"
