"""Consultations: prompts and contributions, statements and votes, synthesis runs and the
draft document they lead to.

A consultation moves draft → open → deliberation → synthesis → closed. Contributions are
taken while it is open; votes while it is open or in deliberation. Its audience is every
member of the network, the members of chosen networks or regions, or anyone holding its
public link (no account).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import TimeStampedModel

LANGUAGES = (("en", _("English")), ("fr", _("French")), ("es", _("Spanish")))
LANGUAGE_CODES = tuple(code for code, _label in LANGUAGES)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Consultation(TimeStampedModel):
    class Audience(models.TextChoices):
        ALL_MEMBERS = "all_members", _("All members of the network")
        NETWORKS = "networks", _("Members of chosen networks")
        REGIONS = "regions", _("Members in chosen regions")
        PUBLIC_LINK = "public_link", _("Anyone with the public link (no account)")

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for contributions")
        DELIBERATION = "deliberation", _("Deliberation (voting)")
        SYNTHESIS = "synthesis", _("Synthesis")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL_MEMBERS
    )
    networks = models.ManyToManyField(
        "directory.Network", blank=True, related_name="consultations", verbose_name=_("networks")
    )
    regions = models.JSONField(_("regions"), default=list, blank=True)
    public_token = models.CharField(_("public link token"), max_length=64, default=new_token)
    allows_anonymous = models.BooleanField(_("allows anonymous contributions"), default=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    deliberation_on = models.DateField(_("deliberation from"), null=True, blank=True)
    synthesis_on = models.DateField(_("synthesis from"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    @property
    def takes_contributions(self) -> bool:
        return self.phase == self.Phase.OPEN

    @property
    def takes_votes(self) -> bool:
        return self.phase in (self.Phase.OPEN, self.Phase.DELIBERATION)


class Prompt(TimeStampedModel):
    """A question, written in one or more languages (``texts``: language code → text)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="prompts")
    number = models.PositiveIntegerField(_("number"), default=1)
    texts = models.JSONField(_("texts"), default=dict)

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")

    def __str__(self) -> str:
        return self.text_in("en")[:80]

    def text_in(self, language: str) -> str:
        texts: dict[str, str] = self.texts or {}
        for code in (language[:2], "en", *texts):
            if texts.get(code):
                return texts[code]
        return ""


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Contribution(TimeStampedModel):
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="contributions")
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_contributions",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_contributions",
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    quote_consent = models.BooleanField(_("may be quoted"), default=False)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return self.text[:60]


class ContributionRevision(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="revisions"
    )
    text = models.TextField(_("text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited at"), auto_now_add=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Comment(TimeStampedModel):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Statement(TimeStampedModel):
    class Origin(models.TextChoices):
        FACILITATOR = "facilitator", _("Written by a facilitator")
        PARTICIPANT = "participant", _("Submitted by a participant")
        PROMOTED = "promoted", _("Promoted from a contribution")
        IMPORTED = "imported", _("Imported")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.TextField(_("statement"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    source = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_id = models.CharField(_("imported id"), max_length=40, blank=True)

    class Meta:
        ordering = ["consultation", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.text[:60]


class Participant(models.Model):
    """Someone who votes: a user, a public-link visitor known by the random token of their
    signed participant cookie (pseudonymous: no name, no account), or an imported voter."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, blank=True)
    external_id = models.CharField(_("imported id"), max_length=40, blank=True)

    class Meta:
        ordering = ["consultation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=models.Q(user__isnull=False),
                name="consultations_participant_one_per_user",
            ),
            # a public-link visitor is one participant per consultation, whatever the race
            models.UniqueConstraint(
                fields=["consultation", "token"],
                condition=~models.Q(token=""),
                name="consultations_participant_one_per_token",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id or f"P{self.pk}"


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    cast_at = models.DateTimeField(_("cast at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="consultations_vote_one_per_statement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}:{self.statement_id}={self.value}"


class SynthesisRun(TimeStampedModel):
    class Kind(models.TextChoices):
        THEMES = "themes", _("Themes")
        GROUPS = "groups", _("Opinion groups")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="synthesis_runs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="queued")
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    seed = models.IntegerField(_("seed"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.get_kind_display()} #{self.pk}"


class ThemeEdit(TimeStampedModel):
    """A facilitator's edit of the themes, re-applied after every run (in order)."""

    class Kind(models.TextChoices):
        RENAME = "rename", _("Rename")
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="theme_edits"
    )
    kind = models.CharField(_("edit"), max_length=10, choices=Kind.choices)
    theme_keys = models.JSONField(_("themes"), default=list)
    label = models.CharField(_("label"), max_length=200, blank=True)
    concept_groups = models.JSONField(_("concept groups"), default=list, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {', '.join(self.theme_keys)}"


class ConceptTerm(TimeStampedModel):
    """A facilitator's addition to the concept lexicon for this consultation."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="concept_terms"
    )
    concept = models.SlugField(_("concept"), max_length=60)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)
    term = models.CharField(_("term"), max_length=100)

    class Meta:
        ordering = ["concept", "language", "term"]

    def __str__(self) -> str:
        return f"{self.concept}:{self.language}:{self.term}"


class Draft(TimeStampedModel):
    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="draft"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class StrategyLink(TimeStampedModel):
    """A statement or theme that became a reflection, objective or action in a strategy."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="strategy_links"
    )
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.CASCADE, related_name="strategy_links"
    )
    theme_key = models.CharField(_("theme"), max_length=60, blank=True)
    theme_label = models.CharField(_("theme label"), max_length=200, blank=True)
    reflection = models.ForeignKey(
        "campaigns.Reflection", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    objective = models.ForeignKey(
        "campaigns.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.ForeignKey(
        "campaigns.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self) -> str:
        return self.theme_label or (self.statement.text[:60] if self.statement else "")
